using NodaTime;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>A message understood against the company's current date.</summary>
/// <param name="Date">The resolved date, or null when none was named or the words name no real date.</param>
/// <param name="DateUnrecognised">A date was named but is impossible (e.g. "31/02").</param>
public sealed record UnderstoodMessage(Language Language, Intent Intent, LocalDate? Date, LocalTime? Time, bool DateUnrecognised);

public static class MessageUnderstanding
{
    /// <summary>Parses <paramref name="text"/> and resolves its date relative to <paramref name="now"/> (the company's zone).</summary>
    /// <param name="fallbackLanguage">Used when the text itself does not show its language.</param>
    public static UnderstoodMessage Understand(string? text, ZonedDateTime now, Language fallbackLanguage = Language.Spanish)
    {
        var parsed = MessageParser.Parse(text);
        var date = parsed.Date?.Resolve(now.Date);
        return new UnderstoodMessage(parsed.Language ?? fallbackLanguage, parsed.Intent, date, parsed.Time,
            parsed.Date is not null && date is null);
    }
}
