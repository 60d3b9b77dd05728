using NodaTime;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>A message understood against the company's current date.</summary>
/// <param name="Date">The resolved date, or null when none was named or the words name no real date.</param>
/// <param name="DateUnrecognised">A date was named but is impossible (e.g. "31/02").</param>
public sealed record UnderstoodMessage(Language Language, Intent Intent, LocalDate? Date, LocalTime? Time, bool DateUnrecognised);

/// <summary>The one place where what a customer wrote meets the company's clock.</summary>
public static class MessageUnderstanding
{
    /// <summary>Parses <paramref name="text"/> and resolves its date relative to <paramref name="now"/> (the company's zone).</summary>
    /// <param name="fallbackLanguage">Used when the text itself does not show its language.</param>
    public static UnderstoodMessage Understand(string? text, ZonedDateTime now, Language fallbackLanguage = Language.Spanish) =>
        Resolve(MessageParser.Parse(text), now, fallbackLanguage);

    /// <summary>
    /// Resolves an already parsed message. The assistant parses first, without a clock, to learn whether the
    /// message needs the calendar at all; only then does it ask the MCP server for the company's <paramref name="now"/>.
    /// </summary>
    public static UnderstoodMessage Resolve(ParsedMessage parsed, ZonedDateTime now, Language fallbackLanguage)
    {
        var date = parsed.Date?.Resolve(now.Date);
        return new UnderstoodMessage(parsed.Language ?? fallbackLanguage, parsed.Intent, date, parsed.Time,
            parsed.Date is not null && date is null);
    }
}
