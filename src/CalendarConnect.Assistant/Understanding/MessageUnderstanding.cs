using NodaTime;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>A message understood against the company's current date.</summary>
/// <param name="Date">The resolved date, or null when none was named, the words name no real date, or two readings are possible.</param>
/// <param name="DateUnrecognised">A date was named but is impossible (e.g. "31/02").</param>
/// <param name="Period">A part of the day, when the customer named one.</param>
/// <param name="MeridiemAssumed"><paramref name="Time"/> was said without am/pm; its other reading is 12 hours apart.</param>
/// <param name="DateChoices">Two readings of a numeric date ("3/2" in English): the customer is asked which one.</param>
/// <param name="Soonest">"Lo antes posible", "next available": the next free times from now.</param>
public sealed record UnderstoodMessage(Language Language, Intent Intent, LocalDate? Date, LocalTime? Time, bool DateUnrecognised,
    PartOfDay? Period = null, bool MeridiemAssumed = false, IReadOnlyList<LocalDate>? DateChoices = null, bool Soonest = false)
{
    public bool DateAmbiguous => DateChoices is { Count: > 1 };
}

/// <summary>The one place where what a customer wrote meets the company's clock.</summary>
public static class MessageUnderstanding
{
    /// <summary>Parses <paramref name="text"/> and resolves its date relative to <paramref name="now"/> (the company's zone).</summary>
    /// <param name="fallbackLanguage">Used when the text itself does not show its language.</param>
    public static UnderstoodMessage Understand(string? text, ZonedDateTime now, Language fallbackLanguage = Language.Spanish) =>
        Resolve(MessageParser.Parse(text, fallbackLanguage), now, fallbackLanguage);

    /// <summary>
    /// Resolves an already parsed message. The assistant parses first, without a clock, to learn whether the
    /// message needs the calendar at all; only then does it ask the MCP server for the company's <paramref name="now"/>.
    /// </summary>
    public static UnderstoodMessage Resolve(ParsedMessage parsed, ZonedDateTime now, Language fallbackLanguage)
    {
        var language = parsed.Language ?? fallbackLanguage;
        if (parsed.Date is DateChoice either)
        {
            var choices = either.Choices(now.Date);
            // One impossible reading ("2/30") leaves the other, and "el viernes 17" on a Friday is one date: not a guess.
            return choices.Count == 1
                ? new UnderstoodMessage(language, parsed.Intent, choices[0], parsed.Time, false, parsed.Period, parsed.MeridiemAssumed)
                : new UnderstoodMessage(language, parsed.Intent, null, parsed.Time, choices.Count == 0, parsed.Period, parsed.MeridiemAssumed,
                    choices.Count == 0 ? null : choices);
        }

        var date = parsed.Date?.Resolve(now.Date);
        return new UnderstoodMessage(language, parsed.Intent, date, parsed.Time, parsed.Date is not null && date is null,
            parsed.Period, parsed.MeridiemAssumed, Soonest: parsed.Soonest);
    }
}
