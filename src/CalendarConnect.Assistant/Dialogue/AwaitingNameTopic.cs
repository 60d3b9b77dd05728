using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;

namespace CalendarConnect.Assistant.Dialogue;

/// <summary>The customer said yes to a proposal and was asked for a name: a message that is only a name books it.</summary>
internal static class AwaitingNameTopic
{
    /// <returns>Null when the message names a day or time: a new request, checked in its turn.</returns>
    public static async Task<Answer?> AnswerAsync(DialogueTurn turn, AwaitingName topic, CancellationToken cancellationToken)
    {
        var (state, intent, words) = (turn.State, turn.Intent, turn.Words);
        if (turn.Parsed.MentionsDateOrTime) return null;
        var start = topic.Proposal.Start.LocalDateTime;
        if (intent is Intent.Decline or Intent.Cancel)
            return new Answer(turn.Reply(ReplyTexts.ProposalDeclined(words), intent), state.NothingPending());
        if (intent == Intent.MyAppointment) return Appointments.Listed(turn);
        // "Espera" or "mejor otro día" after the yes takes it back: nothing is booked, and it is no name.
        if (PersonName.IsRetraction(turn.Text))
            return new Answer(turn.Reply(ReplyTexts.ProposalDeclined(words), Intent.Decline), state.NothingPending());
        if (ExplicitYes.NameAfterYes(topic, turn.Parsed, turn.Text) is { } name)
            return await Writes.BookAsync(turn, topic.Proposal, name, cancellationToken);
        return new Answer(turn.Reply(ReplyTexts.NameNotUnderstood(words), intent, start.Date, start.TimeOfDay), state);
    }
}
