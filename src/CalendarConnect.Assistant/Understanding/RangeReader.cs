using System.Text.RegularExpressions;
using NodaTime;
using static CalendarConnect.Assistant.Understanding.MatchText;
using Meridiem = CalendarConnect.Assistant.Understanding.TimeReader.Meridiem;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>
/// A span of clock time instead of one time: "from 1 to 4pm", "entre las 3 y las 6", "de 10 a 12", "after 3pm" (to the
/// end of the day), "antes de las 11" (from the start of the day). The am/pm said at one end informs the other one.
/// </summary>
internal static partial class RangeReader
{
    /// <summary>"After 4" runs to the end of the day: the last representable time, so a slot at 23:30 is still inside.</summary>
    public static readonly LocalTime EndOfDay = LocalTime.MaxValue;

    // The second end may read "a las 3": an hour before "de la tarde" is written out so by then ("entre 1 y 3 de la tarde").
    // Either end may carry its half or quarter hour ("de 5 a 6 y media"): the range ends at 18:30, not at 18:00.
    // "Anything 10 to 12", "any time 2 to 4": asking for anything names the span as "between" does.
    [GeneratedRegex(@"\b(?:entre|between|from|de|desde|anything|anytime|any time|something)\s+(?:las?\s+)?(?<h1>\d{1,2})(?:[:.](?<m1>\d{2}))?(?:\s+(?<f1>y media|y cuarto|menos cuarto))?\s*(?<p1>am|pm|hs)?\s*(?:y|and|to|a|hasta|till|until|-)\s*(?:(?:a\s+)?las?\s+)?(?<h2>\d{1,2})(?:[:.](?<m2>\d{2}))?(?:\s+(?<f2>y media|y cuarto|menos cuarto))?\s*(?<p2>am|pm|hs)?(?![\d/:])", Options, TimeoutMs)]
    private static partial Regex Between();

    /// <summary>"After 3pm", "later than 3", "después de las 4", "a partir de las 4", "pasadas las 3", "anything past 3" (not "half past 3").</summary>
    [GeneratedRegex(@"\b(?:after|later than|despues de|despues del|a partir de|a partir del|desde|from|pasadas|pasada|(?<!\b(?:half|quarter|ten|twenty|five)\s)past)\s+(?:las?\s+)?(?:(?<noon>mediodia|noon|midday)|(?<h>\d{1,2})(?:[:.](?<m>\d{2}))?(?:\s*(?<p>am|pm|hs))?)(?![\d/:]|st\b|nd\b|rd\b|th\b)(?<on>\s+(?:on|onwards|en adelante))?", Options, TimeoutMs)]
    private static partial Regex After();

    [GeneratedRegex(@"\b(?:before|no later than|antes de|antes del|until|till|hasta)\s+(?:las?\s+|the\s+)?(?:(?<noon>mediodia|noon|midday)|(?<h>\d{1,2})(?:[:.](?<m>\d{2}))?\s*(?<p>am|pm|hs)?)(?![\d/:]|st\b|nd\b|rd\b|th\b)", Options, TimeoutMs)]
    private static partial Regex Before();

    /// <summary>"Not before 10", "no antes de las 10", "not after 5": the bound said the other way round.</summary>
    [GeneratedRegex(@"\b(?:no|not)\s*$", Options, TimeoutMs)]
    private static partial Regex NegatedBound();

    /// <summary>"Trabajo hasta las 5", "I'm at work till 5": busy until then, so free from then on.</summary>
    [GeneratedRegex(@"\b(?:trabajo|laburo|trabajando|laburando|salgo|work|working|busy|ocupad[oa]s?|en clase|in class|at school|colegio|facultad|facu|school)\b", Options, TimeoutMs)]
    private static partial Regex BusyUntil();

    /// <summary>"Estoy libre hasta las 5 porque después trabajo": free until then, whatever else is said.</summary>
    [GeneratedRegex(@"\b(?:libre|libres|free|available|disponible)\b", Options, TimeoutMs)]
    private static partial Regex FreeUntil();

    /// <summary>
    /// "9-11am", "10-12", "4 a 6 de la tarde", "2 to 4pm": two hours without "de" / "between" before them. With "a" or "to"
    /// only when am/pm or a part of the day follows ("voy con 2 a 3 amigos" is no range).
    /// </summary>
    [GeneratedRegex(@"(?<![\d/:.-])\b(?<h1>\d{1,2})(?:[:.](?<m1>\d{2}))?\s*(?<p1>am|pm|hs)?\s*(?:-\s*(?:a las\s+)?(?<h2>\d{1,2})(?:[:.](?<m2>\d{2}))?(?:\s+(?<f2>y media|y cuarto|menos cuarto))?\s*(?<p2>am|pm|hs)?(?![\d/:-])|\s+(?:a|to)\s+(?:a las\s+)?(?<h2>\d{1,2})(?:[:.](?<m2>\d{2}))?(?:\s+(?<f2>y media|y cuarto|menos cuarto))?\s*(?:(?<p2>am|pm|hs)\b|(?=\s*(?:de la (?:manana|tarde|noche)|in the (?:morning|afternoon|evening))\b)))", Options, TimeoutMs)]
    private static partial Regex BareBetween();

    /// <summary>
    /// What follows a "de 3 a 5" that counts something else: people, a duration, a distance ("de 3 a 5 personas", "de 2 a 3
    /// horas dura?", "for 2 to 3 people"). Such a phrase is no time at all, and is blanked so no reader takes its numbers.
    /// "Horas" counts too: "de 9 a 13 horas" is asked back rather than "de 2 a 3 horas" proposed.
    /// </summary>
    [GeneratedRegex(@"^\s*(?:personas?|people|persons|pax|adultos|adults|chicos|ninos|kids|children|horas|hours|minutos|minutes|mins|dias|days|semanas|weeks|meses|months|anos|years|cuadras|blocks|km|sesiones|sessions|clases|classes)\b", Options, TimeoutMs)]
    private static partial Regex Quantity();

    /// <summary>The range in <paramref name="text"/> (number words already digits), and the text with it blanked out.</summary>
    /// <param name="period">A part of the day said in the message ("de la tarde"): the am/pm of ends that say none.</param>
    public static (TimeRange? Range, string Remaining) Read(string text, PartOfDay? period)
    {
        var cue = TimeReader.CueOf(period);
        foreach (var pair in new[] { Between().Match(text), BareBetween().Match(text) })
        {
            if (!pair.Success) continue;
            if (Quantity().IsMatch(text.AsSpan(pair.Index + pair.Length))) return (null, Blank(text, pair));
            if (Ends(End(pair, "1"), End(pair, "2"), cue) is { } range) return (range, Blank(text, pair));
        }

        // "A partir del 20", "después del 20": a day of the month, not 20:00 (only "del mediodía" is a time after "del").
        if (After().Match(text) is { Success: true } after
            && (!after.Value.StartsWith("from", StringComparison.Ordinal) || after.Groups["on"].Success)
            && (!after.Value.Contains("del ", StringComparison.Ordinal) || after.Groups["noon"].Success)
            && Single(after, cue) is ({ } from, var assumed))
            return (NegatedBound().IsMatch(text.AsSpan(0, after.Index)) ? new TimeRange(LocalTime.Midnight, from, assumed) : new TimeRange(from, EndOfDay, assumed),
                Blank(text, after));

        if (Before().Match(text) is { Success: true } before && Single(before, cue) is ({ } to, var toAssumed) && to > LocalTime.Midnight)
            return (NegatedBound().IsMatch(text.AsSpan(0, before.Index)) || (BusyUntil().IsMatch(text) && !FreeUntil().IsMatch(text)) ? new TimeRange(to, EndOfDay, toAssumed)
                : new TimeRange(LocalTime.Midnight, to, toAssumed), Blank(text, before));

        // "Tomorrow after lunch", "el lunes después de comer": from when lunch is over, when no hour is said.
        if (AfterLunch().Match(text) is { Success: true } lunch && !text.Any(char.IsAsciiDigit))
            return (new TimeRange(LunchOver, EndOfDay), Blank(text, lunch));

        return (null, text);
    }

    /// <summary>When "after lunch" starts: lunch is over by 14:00 in every variant the assistant serves.</summary>
    public static readonly LocalTime LunchOver = new(14, 0);

    [GeneratedRegex(@"\bafter\s+(?:lunch|lunchtime|lunch time)\b|\bdespues\s+(?:de|del)\s+(?:comer|almorzar|almuerzo|la comida|lonche|lunch)\b", Options, TimeoutMs)]
    private static partial Regex AfterLunch();

    /// <summary>"From 3pm to 5pm", "de las 3 a las 5" in a move: where the appointment is and where it goes, as two times.</summary>
    public static (LocalTime From, LocalTime To, bool MeridiemAssumed, string Remaining)? ReadFromTo(string text, PartOfDay? period) =>
        Between().Match(text) is { Success: true } between && Ends(End(between, "1"), End(between, "2"), TimeReader.CueOf(period)) is { } range
            ? (range.From, range.To, range.MeridiemAssumed, Blank(text, between))
            : null;

    private readonly record struct Said(int Hour, int Minute, Meridiem Meridiem);

    /// <summary>One end as said: "6:30", "6 y media" (6:30), "6 y cuarto" (6:15), "7 menos cuarto" (6:45).</summary>
    private static Said End(Match match, string index)
    {
        var (hour, minute) = (Int(match.Groups["h" + index]), OptionalInt(match.Groups["m" + index]) ?? 0);
        (hour, minute) = match.Groups["f" + index].Value switch
        {
            "y media" => (hour, 30),
            "y cuarto" => (hour, 15),
            "menos cuarto" => (TimeReader.HourBefore(hour), 45),
            _ => (hour, minute),
        };
        return new Said(hour, minute, MeridiemOf(match.Groups["p" + index]));
    }

    private static Meridiem MeridiemOf(Group group) => group.Value switch
    {
        "am" => Meridiem.Am,
        "pm" => Meridiem.Pm,
        "hs" => Meridiem.TwentyFour,
        _ => Meridiem.None,
    };

    private static (LocalTime?, bool) Single(Match match, Meridiem cue)
    {
        if (match.Groups["noon"].Success) return (new LocalTime(12, 0), false);
        var meridiem = MeridiemOf(match.Groups["p"]);
        return TimeReader.Build(Int(match.Groups["h"]), OptionalInt(match.Groups["m"]) ?? 0, meridiem == Meridiem.None ? cue : meridiem);
    }

    /// <summary>
    /// Both ends, the unmarked one taking the marked one's am/pm when that keeps the order ("from 1 to 4pm" is 13–16,
    /// "from 11 to 1pm" is 11–13); with neither marked, the likely readings, and "de 6 a 9" is 18–21 rather than backwards.
    /// </summary>
    private static TimeRange? Ends(Said opening, Said closing, Meridiem cue)
    {
        if (opening.Meridiem == Meridiem.None && cue != Meridiem.None) opening = opening with { Meridiem = cue };
        if (closing.Meridiem == Meridiem.None && cue != Meridiem.None) closing = closing with { Meridiem = cue };

        if (opening.Meridiem == Meridiem.None && closing.Meridiem is Meridiem.Am or Meridiem.Pm)
        {
            var (end, _) = TimeReader.Build(closing.Hour, closing.Minute, closing.Meridiem);
            foreach (var guess in new[] { closing.Meridiem, closing.Meridiem == Meridiem.Pm ? Meridiem.Am : Meridiem.Pm })
                if (TimeReader.Build(opening.Hour, opening.Minute, guess) is ({ } start, _) && end is { } e && start < e) return new TimeRange(start, e);
            return null;
        }
        if (closing.Meridiem == Meridiem.None && opening.Meridiem is Meridiem.Am or Meridiem.Pm)
        {
            var (start, _) = TimeReader.Build(opening.Hour, opening.Minute, opening.Meridiem);
            foreach (var guess in new[] { opening.Meridiem, Meridiem.Pm })
                if (TimeReader.Build(closing.Hour, closing.Minute, guess) is ({ } end, _) && start is { } s && s < end) return new TimeRange(s, end);
            return null;
        }

        var (first, firstAssumed) = TimeReader.Build(opening.Hour, opening.Minute, opening.Meridiem);
        var (last, lastAssumed) = TimeReader.Build(closing.Hour, closing.Minute, closing.Meridiem);
        if (first is not { } a || last is not { } b) return null;
        if (a >= b && lastAssumed && b.Hour < 12) b = b.PlusHours(12);
        return a < b ? new TimeRange(a, b, firstAssumed || lastAssumed) : null;
    }
}
