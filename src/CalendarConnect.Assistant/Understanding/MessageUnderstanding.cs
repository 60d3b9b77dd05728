using NodaTime;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>A message understood against the company's current date.</summary>
/// <param name="Date">The resolved date, or null when none was named, the words name no real date, or two readings are possible.</param>
/// <param name="DateUnrecognised">A date was named but is impossible (e.g. "31/02"), or a period has no day left ("early this week" on a Friday).</param>
/// <param name="Period">A part of the day, when the customer named one.</param>
/// <param name="MeridiemAssumed"><paramref name="Time"/> was said without am/pm; its other reading is 12 hours apart.</param>
/// <param name="DateChoices">Two readings of a numeric date ("3/2" in English): the customer is asked which one.</param>
/// <param name="Soonest">"Lo antes posible", "next available": the next free times from now.</param>
/// <param name="Span">The first and last day of a period the customer named ("next week", "a principios del mes que viene"); <paramref name="Date"/> is then null.</param>
/// <param name="Range">A span of clock time ("entre las 3 y las 6"); <paramref name="Time"/> is then null.</param>
/// <param name="RuledOutDate">The day the customer ruled out in this message ("el lunes no me sirve"): never to be proposed.</param>
/// <param name="RuledOutTime">The time the customer ruled out ("no a las 3, a las 4").</param>
/// <param name="Selection">A pick from the list just shown ("the second one", "la de las 11").</param>
/// <param name="Alternatives">Two slots offered as alternatives, their days resolved (null where only a time was said).</param>
public sealed record UnderstoodMessage(Language Language, Intent Intent, LocalDate? Date, LocalTime? Time, bool DateUnrecognised,
    PartOfDay? Period = null, bool MeridiemAssumed = false, IReadOnlyList<LocalDate>? DateChoices = null, bool Soonest = false,
    (LocalDate First, LocalDate Last)? Span = null, TimeRange? Range = null, LocalDate? RuledOutDate = null, LocalTime? RuledOutTime = null,
    ListSelection? Selection = null, IReadOnlyList<(LocalDate? Date, LocalTime? Time)>? Alternatives = null)
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
        var today = now.Date;
        // "El viernes 5" when no coming 5th is a Friday: the 5 is the hour, as in "el viernes a las 5". A day that agrees
        // with its weekday ("el viernes 7" with Friday the 7th coming) stays the date.
        if (parsed is { Date: WeekdayWithDay { Day: >= 1 and <= 12 } withDay, Time: null, Range: null } && withDay.Choices(today).Count > 1)
        {
            var (hour, assumed) = TimeReader.Build(withDay.Day, 0, TimeReader.CueOf(parsed.Period));
            parsed = parsed with { Date = new NextWeekday(withDay.Weekday), Time = hour, MeridiemAssumed = assumed };
        }
        var understood = new UnderstoodMessage(language, parsed.Intent, null, parsed.Time, false, parsed.Period, parsed.MeridiemAssumed,
            Soonest: parsed.Soonest, Span: parsed.Span?.Resolve(today), Range: parsed.Range, RuledOutDate: OneDate(parsed.RuledOutDate, today),
            RuledOutTime: parsed.RuledOutTime, Selection: parsed.Selection);
        if (parsed.Alternatives is { } alternatives)
        {
            // A day either alternative names that is no real date, or one of two readings, is not guessed: asked back.
            var resolved = alternatives.Select(a => (Date: OneDate(a.Date, today), a.Time)).ToList();
            return alternatives.Zip(resolved).Any(pair => pair.First.Date is not null && pair.Second.Date is null)
                ? understood with { DateUnrecognised = true }
                : understood with { Alternatives = resolved };
        }
        if (parsed.Date is DateChoice either)
        {
            var choices = either.Choices(today);
            // One impossible reading ("2/30") leaves the other, and "el viernes 17" on a Friday is one date: not a guess.
            return choices.Count == 1
                ? understood with { Date = choices[0], Soonest = false }
                : understood with { DateUnrecognised = choices.Count == 0, DateChoices = choices.Count == 0 ? null : choices, Soonest = false };
        }

        var date = parsed.Date?.Resolve(today);
        // "El martes no, el otro martes": a day that is also the one ruled out is no reading; the customer is asked.
        if (date is not null && date == understood.RuledOutDate) return understood;
        // A period with no day left ("early this week" said on a Friday) is as unrecognised as "31/02"; two days apart
        // offered as alternatives ("lunes o jueves") are no span, but were said right: the customer is asked which one.
        return understood with
        {
            Date = date,
            DateUnrecognised = (parsed.Date is not null && date is null) || (parsed.Span is not null and not AlternativeDays && understood.Span is null),
        };
    }

    /// <summary>The one day an expression names, or null (a day with two readings is not ruled out by guessing one).</summary>
    private static LocalDate? OneDate(DateExpression? expression, LocalDate today) => expression switch
    {
        null => null,
        DateChoice choice => choice.Choices(today) is [var only] ? only : null,
        _ => expression.Resolve(today),
    };
}
