using System.Text.RegularExpressions;
using static CalendarConnect.Assistant.Understanding.MatchText;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>
/// A time given relative to the one being talked about: "una hora más tarde", "¿la podemos retrasar una hora?", "push it
/// back an hour", "adelantala media hora", "30 minutes earlier"; "un rato más tarde" or "a bit later" say the direction
/// but no amount. Without a comparative or a verb that moves ("retrasar", "push back") a duration is no shift ("dentro
/// de una hora" is an offset from now).
/// </summary>
internal static partial class ShiftReader
{
    private const string Amount =
        @"(?<amount>(?:(?:una|1|one|an|a)\s+hora|(?:an?|one|1)\s+(?:hour|hr|hs))(?<half>\s+(?:y\s+media|and\s+a\s+half))?|media\s+hora|half\s+an\s+hour|" +
        @"(?:un|a)\s+cuarto\s+de\s+hora|a\s+quarter\s+of\s+an\s+hour|(?<count>\d{1,3}|dos|tres|cuatro|two|three|four)\s+(?<unit>horas|hours|hrs|hs|minutos|minutes|mins|min))";

    /// <summary>"A day", "two days", "una semana": a shift by whole days keeps the time of day ("push it back a week").</summary>
    private const string Days =
        @"(?:(?:a|an|one|1|un|una)\s+(?<dayunit>day|dia|week|semana))|(?<daycount>\d{1,2}|dos|tres|cuatro|two|three|four)\s+(?<dayunit>days|dias|weeks|semanas)";

    private const string Vague = @"(?<vague>un\s+rato|un\s+poco|un\s+poquito|un\s+poquitin|a\s+bit|a\s+little(?:\s+bit)?|a\s+tad)";

    private const string Later = @"mas\s+tarde|later|despues";

    private const string Earlier = @"mas\s+temprano|earlier|antes|sooner";

    /// <remarks>"Push it a week" pushes it back ("push it forward" does not); "recorrer" (Mexico) is to put off.</remarks>
    private const string LaterVerb = @"retras\w*|atras\w*|posterg\w*|pospon\w*|recorr\w*|push(?:ed)?(?!(?:\s+(?:it|that))?\s+(?:forward|up|earlier|ahead|sooner)\b)(?:\s+(?:it|that))?(?:\s+back)?|move\s+(?:it\s+|that\s+)?back|delay\w*";

    private const string EarlierVerb = @"adelant\w*|bring\s+(?:it\s+|that\s+)?forward|move\s+(?:it\s+|that\s+)?up|pull\s+(?:it\s+|that\s+)?forward";

    private static readonly Dictionary<string, int> Counts = new()
    {
        ["dos"] = 2, ["two"] = 2, ["tres"] = 3, ["three"] = 3, ["cuatro"] = 4, ["four"] = 4,
    };

    /// <summary>"Una hora más tarde", "a bit later": an amount (or a vague one) and a comparative.</summary>
    [GeneratedRegex(@"\b(?:" + Amount + "|" + Vague + @")\s+(?:(?<later>" + Later + ")|(?<earlier>" + Earlier + @"))\b", Options, TimeoutMs)]
    private static partial Regex ByComparative();

    /// <summary>"Retrásala una hora", "push it back by 30 minutes", "adelantame el turno media hora": a verb that moves, then the amount.</summary>
    [GeneratedRegex(@"\b(?:(?<later>" + LaterVerb + ")|(?<earlier>" + EarlierVerb + @"))\b(?:\s+[a-z']+){0,3}?\s+(?:" + Amount + "|" + Vague + @")\b", Options, TimeoutMs)]
    private static partial Regex ByVerb();

    /// <summary>"Push it back a week", "adelantalo un día": a verb that moves, then whole days.</summary>
    [GeneratedRegex(@"\b(?:(?<later>" + LaterVerb + ")|(?<earlier>" + EarlierVerb + @"))\b(?:\s+[a-z']+){0,3}?\s+(?:by\s+)?(?:" + Days + @")\b", Options, TimeoutMs)]
    private static partial Regex DaysByVerb();

    /// <summary>
    /// "The day before instead", "a day later", "el día anterior", "un día después": the day next to the one talked about,
    /// at its time. Not "the day after tomorrow" (a date), nor "tomorrow or the day after" (two days).
    /// </summary>
    [GeneratedRegex(@"(?<!\b(?:or|o|and|y|u)\s+)\b(?:the\s+(?<dayunit>day)\s+(?:(?<earlier>before)|(?<later>after))|the\s+(?<earlier>previous)\s+(?<dayunit>day)|el\s+(?<dayunit>dia)\s+(?:(?<earlier>anterior|antes)|(?<later>siguiente|despues))|(?:" + Days + @")\s+(?:(?<earlier>earlier|antes|mas temprano)|(?<later>later|despues|mas tarde)))\b(?!\s+(?:tomorrow|manana|that\b|de\s+manana))", Options, TimeoutMs)]
    private static partial Regex DayNextTo();

    /// <summary>"Same time next week", "a la misma hora la semana que viene": a week later, at the same time of day.</summary>
    [GeneratedRegex(@"\b(?<later>(?:at\s+)?(?:the\s+)?same\s+time\s+(?:the\s+)?(?:next|following)\s+(?<dayunit>week)|(?:a\s+)?la\s+misma\s+hora\s+(?:de\s+)?(?:la\s+)?(?:(?<dayunit>semana)\s+(?:que viene|siguiente|proxima|que entra)|proxima\s+(?<dayunit>semana)))\b", Options, TimeoutMs)]
    private static partial Regex SameTimeNextWeek();

    /// <summary>"Make it later", "hacelo más temprano": later or earlier, by how much unsaid.</summary>
    [GeneratedRegex(@"\b(?:make|do)\s+it\s+(?:(?<later>later)|(?<earlier>earlier|sooner))\b|\b(?:hacelo|hazlo|hacela|hazla|ponelo|ponlo|ponela|ponla)\s+(?:(?<later>mas\s+tarde)|(?<earlier>mas\s+temprano|antes))\b", Options, TimeoutMs)]
    private static partial Regex Unmeasured();

    /// <summary>The shift the text asks for and where it was said; null when it asks for none.</summary>
    public static (TimeShift Shift, Match Said)? Read(string normalized)
    {
        foreach (var match in new[] { SameTimeNextWeek().Match(normalized), DayNextTo().Match(normalized), DaysByVerb().Match(normalized), ByComparative().Match(normalized), ByVerb().Match(normalized), Unmeasured().Match(normalized) })
        {
            if (!match.Success) continue;
            var later = match.Groups["later"].Success;
            return (new TimeShift(later, Minutes(match)), match);
        }
        return null;
    }

    /// <summary>A day's shift in minutes: the same time of day on another day (the calendar checks the day's own DST).</summary>
    public const int MinutesInADay = 24 * 60;

    /// <summary>How many minutes the match says (whole days for "the day before", "push it back a week"); null for "un rato", "a bit" or no amount at all ("hr" arrives as "hs").</summary>
    private static int? Minutes(Match match)
    {
        if (match.Groups["dayunit"].Success)
        {
            var days = match.Groups["daycount"].Success
                ? (Counts.TryGetValue(match.Groups["daycount"].Value, out var word) ? word : Int(match.Groups["daycount"]))
                : 1;
            return days * (match.Groups["dayunit"].Value[0] is 'w' or 's' ? 7 : 1) * MinutesInADay;
        }
        if (!match.Groups["amount"].Success) return null;
        var amount = match.Groups["amount"].Value;
        if (match.Groups["count"].Success)
        {
            var said = match.Groups["count"].Value;
            var count = Counts.TryGetValue(said, out var word) ? word : Int(match.Groups["count"]);
            return match.Groups["unit"].Value.StartsWith('h') ? count * 60 : count;
        }
        if (amount.Contains("cuarto", StringComparison.Ordinal) || amount.Contains("quarter", StringComparison.Ordinal)) return 15;
        if (amount.StartsWith("media", StringComparison.Ordinal) || amount.StartsWith("half", StringComparison.Ordinal)) return 30;
        return match.Groups["half"].Success ? 90 : 60;
    }
}
