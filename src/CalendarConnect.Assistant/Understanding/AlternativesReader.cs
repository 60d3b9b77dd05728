using System.Text.RegularExpressions;
using static CalendarConnect.Assistant.Understanding.MatchText;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>
/// Two slots offered as alternatives in one message: "el 20 a las 3 o el 21 a las 4", "thursday at 10 or friday at 2",
/// "mañana a las 3 o a las 4", "at 10 or 11". Neither is taken for the customer: both are handed on, and the customer
/// is asked which. What one side leaves out it shares with the other ("el jueves a las 10 o el viernes" is Friday at 10
/// too). Two days alone ("lunes o martes") are <see cref="AlternativeDays"/>, read by <see cref="SpanReader"/>.
/// </summary>
internal static partial class AlternativesReader
{
    /// <summary>"o", "u", "or", "o bien", "or else" between two sides.</summary>
    [GeneratedRegex(@"\s(?:o bien|or else|o|u|or)\s", Options, TimeoutMs)]
    private static partial Regex Or();

    /// <summary>"o 4", "or 11am": a bare hour right after "o" when the other side said a time.</summary>
    [GeneratedRegex(@"^\W*(?<hour>\d{1,2}(?:[:.]\d{2})?)(?<suffix>\s*(?:am|pm|hs)\b)?(?![\d/-])", Options, TimeoutMs)]
    private static partial Regex BareHour();

    private sealed record Side(DateExpression? Date, LocalTimeReading Time, bool NamesSomething);

    private readonly record struct LocalTimeReading(NodaTime.LocalTime? Time, bool Assumed);

    /// <summary>The two alternatives, or null when the message offers none (or more than a day and a time on either side).</summary>
    public static IReadOnlyList<Alternative>? Read(string text, Language? language)
    {
        foreach (Match or in Or().Matches(text))
        {
            var left = ReadSide(text[..or.Index], language);
            if (left is not { NamesSomething: true }) continue;
            var rightText = text[(or.Index + or.Length)..];
            if (left.Time.Time is not null)
                rightText = BareHour().Replace(rightText, bare => "a las " + bare.Groups["hour"].Value + bare.Groups["suffix"].Value, 1);
            var right = ReadSide(rightText, language);
            if (right is not { NamesSomething: true }) continue;

            var first = new Alternative(left.Date ?? right.Date, left.Time.Time ?? right.Time.Time,
                left.Time.Time is not null ? left.Time.Assumed : right.Time.Assumed);
            var second = new Alternative(right.Date ?? left.Date, right.Time.Time ?? left.Time.Time,
                right.Time.Time is not null ? right.Time.Assumed : left.Time.Assumed);
            // "Mañana a las 3 o mañana a las 3" offers one slot, not two.
            if (first == second) return null;
            return [first, second];
        }
        return null;
    }

    /// <summary>The day and time one side names; null when it names several days or a range (no single slot).</summary>
    private static Side? ReadSide(string words, Language? language)
    {
        var (span, date, rest) = SpanReader.Read(words);
        if (span is not null) return null;
        if (date is null) (date, rest) = DateReader.Read(rest, language);
        rest = TimeReader.NumberWordsToDigits(rest);
        var period = TimeReader.ReadPeriod(rest);
        if (RangeReader.Read(rest, period).Range is not null) return null;
        var (time, assumed) = TimeReader.Read(rest, period);
        return new Side(date, new LocalTimeReading(time, assumed), date is not null || time is not null);
    }
}
