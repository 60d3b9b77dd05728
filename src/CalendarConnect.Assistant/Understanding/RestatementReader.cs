using System.Text.RegularExpressions;
using NodaTime;
using static CalendarConnect.Assistant.Understanding.MatchText;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>
/// The customer takes back what they just said and says it again: "friday at 2, sorry I meant 3", "el viernes a las
/// 12, perdón, a la 1", "mañana a las 4, no, mejor a las 5", "el lunes a las 10, bueno no, a las 11", "a las 5 no espere
/// a las 3", "tomorrow at 10 no wait make it 11", "sat at 10 actually make that 11", "el jueves a las 5, ah no, que salgo
/// tarde, a las 6" (a reason may come in between). What is said last wins; what it does not say again (the day, when
/// only the hour is restated) is kept from before.
/// The first words are a slip, not a no: nothing is ruled out (compare <see cref="CorrectionReader"/>).
/// </summary>
internal static partial class RestatementReader
{
    /// <summary>The words that take back what was said, one or more in a row ("no wait make it", "sorry I meant").</summary>
    [GeneratedRegex(@"(?:\b(?:sorry|oops|perdon|perdona|perdone|disculpa|disculpe|disculpas|wait|espera|espere|esperen|actually|mejor dicho|mejor|or rather|rather|i mean|i meant|meant|quise decir|quiero decir|queria decir|o sea|digo|make it|make that|change (?:it|that) to|scratch that|let'?s say|que sea|en realidad|correction|corrijo|bueno no|pues no|(?:ah|ay|uy|ups|oops|uf|ahh) no|no|nope|oh)\b[\s,;.:!—–-]*)+", Options, TimeoutMs)]
    private static partial Regex Marker();

    /// <summary>Marker words that take nothing back on their own: "mañana a las 3 no, a las 5" is a no (<see cref="CorrectionReader"/>).</summary>
    private static readonly HashSet<string> OnlyWithAnother = ["no", "nope", "oh"];

    /// <summary>
    /// An ellipsis or a dash right before a bare "no": "el jueves a las 9... no, a las 11", "friday at 3 - no, 5". What came
    /// before is taken back, as with "sorry"; without the pause "mañana a las 3 no, a las 5" rules 3 out (<see cref="CorrectionReader"/>).
    /// </summary>
    [GeneratedRegex(@"(?:\.{2,}|…|\s[-—–]+)\s*$", Options, TimeoutMs)]
    private static partial Regex PauseBefore();

    [GeneratedRegex(@"[a-z]+", Options, TimeoutMs)]
    private static partial Regex Word();

    /// <summary>"Sorry I meant 3", "make it 11", "actually 10 is better": after the marker a bare hour is the new time.</summary>
    [GeneratedRegex(@"^\W*(?<hour>\d{1,2}(?:[:.]\d{2})?|" + NumberWords.Hours + @")(?<suffix>\s*(?:am|pm|hs)\b)?(?=\W*(?:(?:then|please|pls|instead|entonces|mejor|por favor|porfa|(?:is|would be|works?) (?:better|best|fine|good)|(?:es|seria|me va|me viene) mejor)\W*)?$)", Options, TimeoutMs)]
    private static partial Regex BareHour();

    /// <param name="KeptDate">The day said before, when the restatement names none.</param>
    /// <param name="KeptTime">The time said before, when the restatement names none.</param>
    /// <param name="KeptPeriod">The part of the day said before.</param>
    /// <param name="Remaining">The text with what was taken back blanked out: only the restatement is left to read.</param>
    /// <param name="Marker">The words that took it back, in the text that was read.</param>
    public sealed record Restatement(DateExpression? KeptDate, LocalTime? KeptTime, bool KeptTimeAssumed, PartOfDay? KeptPeriod, string Remaining, Match Marker);

    /// <summary>The last restatement in <paramref name="text"/>: marker words with a day or time said before them and again after them.</summary>
    public static Restatement? Read(string text, Language? language)
    {
        Restatement? last = null;
        foreach (Match marker in Marker().Matches(text))
        {
            if (Word().Matches(marker.Value).All(word => OnlyWithAnother.Contains(word.Value)) && !PauseBefore().IsMatch(text[..marker.Index])) continue;
            var end = marker.Index + marker.Length;
            var after = BareHour().Replace(text[end..], bare =>
                "a las " + (char.IsAsciiDigit(bare.Groups["hour"].Value[0]) ? bare.Groups["hour"].Value
                    : NumberWords.Parse(bare.Groups["hour"].Value).ToString(System.Globalization.CultureInfo.InvariantCulture)) + bare.Groups["suffix"].Value);
            var (afterDate, afterTime, _, _) = DayAndTime(after, language);
            var afterNamesDays = afterDate is not null || SpanReader.Read(after) is { Span: not null } or { Day: not null };
            if (!afterNamesDays && afterTime is null) continue;
            var (beforeDate, beforeTime, beforeAssumed, beforePeriod) = DayAndTime(text[..marker.Index], language);
            if (beforeDate is null && beforeTime is null) continue;
            last = new Restatement(afterNamesDays ? null : beforeDate, afterTime is null ? beforeTime : null, beforeAssumed, beforePeriod,
                new string(' ', end) + after, marker);
        }
        return last;
    }

    private static (DateExpression? Date, LocalTime? Time, bool Assumed, PartOfDay? Period) DayAndTime(string words, Language? language)
    {
        var (date, rest) = DateReader.Read(TimeReader.NumberWordsToDigits(words), language);
        var period = TimeReader.ReadPeriod(rest);
        var (time, assumed) = TimeReader.Read(rest, period);
        return (date, time, assumed, period);
    }
}
