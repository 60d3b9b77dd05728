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
        var start = topic.Proposal.Start.LocalDateTime;
        // "Sí" to "¿«Domingo» es el nombre…?": the name the customer wrote.
        if (topic.NameOrDay is { } named && ExplicitYes.IsYes(turn.Parsed))
            return await Writes.BookAsync(turn, topic.Proposal, named, cancellationToken);
        // "Domingo" alone is a name as often as a day (and phones capitalise either): ask rather than guess.
        if (LoneWeekday(turn) is { } word)
            return new Answer(turn.Reply(ReplyTexts.NameOrDay(word, words), intent, start.Date, start.TimeOfDay), state with { Topic = topic with { NameOrDay = word } });
        if (turn.Parsed.MentionsDateOrTime) return null;
        // "Ok gracias, chau" instead of a name: goodbye, nothing booked.
        if (turn.Parsed.Farewell) return new Answer(turn.Reply(ReplyTexts.FarewellNothingWritten(words), intent), state.NothingPending());
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

    /// <summary>
    /// The message is one word, read as a weekday and nothing else ("Domingo", not "el domingo" or "¿domingo?"): the word,
    /// capitalised as a name; null otherwise.
    /// </summary>
    private static string? LoneWeekday(DialogueTurn turn)
    {
        var text = (turn.Text ?? "").Trim().TrimEnd('.', '!').Trim();
        if (turn.Parsed is not { Date: NextWeekday { TodayCounts: false }, Time: null, Period: null, Range: null, Span: null, Soonest: false }
            || text.Length == 0 || !text.All(char.IsLetter))
            return null;
        return System.Globalization.CultureInfo.GetCultureInfo("es-ES").TextInfo.ToTitleCase(text.ToLowerInvariant());
    }
}
