using CalendarConnect.Assistant.Conversations;

namespace CalendarConnect.Assistant.Dialogue;

/// <summary>
/// Answers one message by the conversation's topic: a question the assistant asked is answered first ("sí" means yes
/// to it, whatever else "sí" could mean); what the topic's handler leaves is a new request.
/// </summary>
internal static class TopicHandlers
{
    public static async Task<Answer> AnswerAsync(DialogueTurn turn, CancellationToken cancellationToken)
    {
        // "El lunes no me sirve" on its own answers a proposal or offer by ruling something out: other days or times,
        // never the one ruled out. A cancellation question or a choice among appointments reads it in its own way.
        if (turn.Parsed is { MentionsDateOrTime: false } and ({ RuledOutDate: not null } or { RuledOutTime: not null })
            && turn.State.Topic is not (ConfirmingCancellation or ChoosingAppointment))
            return await Availability.RuledOutAsync(turn, cancellationToken);

        var answer = turn.State.Topic switch
        {
            ConfirmingCancellation topic => await ConfirmingCancellationTopic.AnswerAsync(turn, topic, cancellationToken),
            Proposing topic => await ProposingTopic.AnswerAsync(turn, topic, cancellationToken),
            AwaitingName topic => await AwaitingNameTopic.AnswerAsync(turn, topic, cancellationToken),
            ChoosingAppointment topic => await ChoosingAppointmentTopic.AnswerAsync(turn, topic, cancellationToken),
            // Offered times and a move under way give way to a new request first (Requests asks them after those).
            OfferingChoices or Moving or Idle => null,
            _ => throw new InvalidOperationException($"No handler for the topic {turn.State.Topic.GetType().Name}."),
        };
        return answer ?? await Requests.AnswerAsync(turn, cancellationToken);
    }
}
