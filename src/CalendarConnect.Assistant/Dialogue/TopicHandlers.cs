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
