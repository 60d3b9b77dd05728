using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Dialogue;

/// <summary>
/// The one rule both engines (the rules and the LLM mode) apply before any write: the customer's latest message is an
/// explicit yes to what the previous reply proposed, or the name asked for right after that yes.
/// </summary>
internal static class ExplicitYes
{
    /// <summary>"Sí", "dale", "yes": the parser's <see cref="Intent.Confirm"/>, nothing looser.</summary>
    public static bool IsYes(ParsedMessage parsed) => parsed.Intent == Intent.Confirm;

    /// <summary>
    /// The name a message gives when the customer said yes and was asked for one: only a message that says nothing
    /// else ("hola", "sí" or "no" is not a name), and not a retraction ("espera", "mejor otro día").
    /// </summary>
    public static string? NameAfterYes(Topic topic, ParsedMessage parsed, string? text) =>
        topic is AwaitingName && parsed.Intent == Intent.Other && !PersonName.IsRetraction(text) ? PersonName.Read(text) : null;

    /// <summary>
    /// "Yes, Laura Mills", "sí, es para Rocío", "ok book it, Jack", "dale, a nombre de Ana Gómez" to a booking proposal:
    /// the name, when the words before it are by themselves an explicit yes (the same test as <see cref="IsYes"/>: no
    /// doubt, question or no) and the words after are only a name (<see cref="PersonName.NamesAfterLeadingWords"/>, so
    /// "yes please" or "sí, gracias" is none). Null otherwise, so the name is asked as usual.
    /// </summary>
    public static string? NameWithYes(Topic topic, ParsedMessage parsed, string? text)
    {
        if (topic is not Proposing { MoveEventId: null } || parsed.MentionsDateOrTime || MessageParser.HasNegation(text)) return null;
        foreach (var (before, name) in PersonName.NamesAfterLeadingWords(text))
        {
            // As after "¿a nombre de quién?" (NameAfterYes), the name must read as nothing else: "dale dalee" is a yes twice.
            var (yes, named) = (MessageParser.Parse(before), MessageParser.Parse(name));
            if (yes.Intent == Intent.Confirm && !yes.MentionsDateOrTime && named.Intent == Intent.Other && !named.MentionsDateOrTime) return name;
        }
        return null;
    }

    /// <summary>
    /// "Sí, el del jueves" to "¿cancelo tu turno del jueves…?", "yes 3pm works" to a 3 pm proposal: a message that would be
    /// a plain yes but for the day or time it names, and names only what the question was about (<paramref name="asked"/>).
    /// Anything else it names (another day, a range, a time ruled out) makes it a new request, not a yes.
    /// </summary>
    public static async Task<bool> IsYesNamingAsync(DialogueTurn turn, LocalDateTime asked, CancellationToken cancellationToken)
    {
        var parsed = turn.Parsed;
        if (parsed is not { MentionsDateOrTime: true, Range: null, Span: null, Soonest: false, RuledOutDate: null, RuledOutTime: null, MovedDate: null }
            || parsed.Intent is Intent.Reschedule or Intent.MyAppointment
            || !ConfirmationReader.IsYes(turn.Text ?? "", TextNormalizer.Normalize(turn.Text), MessageParser.WordsOf(turn.Text), namedTimeIsChecked: true))
            return false;
        try
        {
            var company = await turn.Calendar.GetCurrentTimeAsync(cancellationToken);
            var understood = MessageUnderstanding.Resolve(parsed, company.Now, turn.Language);
            return !understood.DateUnrecognised && !understood.DateAmbiguous && Appointments.Names(understood, asked);
        }
        catch (McpCalendarException)
        {
            // Without the company's date "el jueves" cannot be matched: it is no yes, and is answered as a new request.
            return false;
        }
    }
}
