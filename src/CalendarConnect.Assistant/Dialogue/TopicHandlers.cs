using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;

namespace CalendarConnect.Assistant.Dialogue;

/// <summary>
/// Answers one message by the conversation's topic: a question the assistant asked is answered first ("sí" means yes
/// to it, whatever else "sí" could mean); what the topic's handler leaves is a new request.
/// </summary>
internal static class TopicHandlers
{
    public static async Task<Answer> AnswerAsync(DialogueTurn turn, CancellationToken cancellationToken)
    {
        // "¿Abren los sábados?" whatever is under way: what the assistant can do, then the question it asked, asked again.
        if (turn.Parsed.AsksOpeningHours)
        {
            var again = Appointments.AskedAgain(turn.State, turn.Words);
            var text = ReplyTexts.OpeningHours(turn.Words);
            return new Answer(turn.Reply(again is null ? text : text + " " + again, Intent.Help), turn.State);
        }

        // "El lunes no me sirve" on its own answers a proposal or offer by ruling something out: other days or times,
        // never the one ruled out. A cancellation question or a choice among appointments reads it in its own way.
        if (turn.Parsed is { MentionsDateOrTime: false } and ({ RuledOutDate: not null } or { RuledOutTime: not null })
            && turn.State.Topic is not (ConfirmingCancellation or ChoosingAppointment))
            return ClosingAskedBefore(turn.State.Topic, await Availability.RuledOutAsync(turn, cancellationToken));

        // "No wait, 4" to a proposal: a new time on its day (a pick only where a list is shown).
        if (ListPick.AsTime(turn.Parsed, turn.State.Topic) is { } timed) turn = turn with { Parsed = timed };

        // "Una hora más tarde" is relative to what the topic is about (a proposal, an appointment): answered on its own.
        if (turn.Parsed is { Shift: { } shift, Date: null, Time: null, Span: null, Range: null, Soonest: false }
            && turn.Intent is not (Intent.Cancel or Intent.MyAppointment)
            && turn.State.Topic is not (ConfirmingCancellation or ChoosingAppointment))
            return ClosingAskedBefore(turn.State.Topic, await Shifts.AnswerAsync(turn, shift, cancellationToken));

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
        return answer ?? ClosingAskedBefore(turn.State.Topic, await Requests.AnswerAsync(turn, cancellationToken));
    }

    /// <summary>
    /// A message passed on as a new request answers no question asked before it. When its answer left that question's
    /// topic as it was (the reply asked nothing new: the calendar could not be read, say), the question is closed, so the
    /// next "ok" cannot answer a question the last reply did not ask. A move whose new time is missing stays a move.
    /// </summary>
    /// <remarks>
    /// Compared by reference: a reply that asks the same question again builds its topic anew and keeps it. A yes to a
    /// write the calendar refused to make is no new request (its topic's handler answers it), so it can still be retried.
    /// </remarks>
    internal static Answer ClosingAskedBefore(Topic askedBefore, Answer answer) =>
        ReferenceEquals(answer.Next.Topic, askedBefore)
            ? answer with { Next = answer.Next with { Topic = WithoutQuestion(askedBefore) } }
            : answer;

    /// <summary>What is left of <paramref name="topic"/> once its question is closed: a move under way, or nothing.</summary>
    internal static Topic WithoutQuestion(Topic topic) => topic switch
    {
        Proposing or AwaitingName or ConfirmingCancellation or ChoosingAppointment =>
            topic.EventBeingMoved is { } moving ? new Moving(moving) : Idle.Instance,
        _ => topic,
    };
}
