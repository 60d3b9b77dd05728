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
        @"(?<amount>(?:(?:una|1|one|an|a)\s+hora|(?:an?|one|1)\s+hour)(?<half>\s+(?:y\s+media|and\s+a\s+half))?|media\s+hora|half\s+an\s+hour|" +
        @"(?:un|a)\s+cuarto\s+de\s+hora|a\s+quarter\s+of\s+an\s+hour|(?<count>\d{1,3}|dos|tres|cuatro|two|three|four)\s+(?<unit>horas|hours|hrs|minutos|minutes|mins|min))";

    private const string Vague = @"(?<vague>un\s+rato|un\s+poco|un\s+poquito|un\s+poquitin|a\s+bit|a\s+little(?:\s+bit)?|a\s+tad)";

    private const string Later = @"mas\s+tarde|later|despues";

    private const string Earlier = @"mas\s+temprano|earlier|antes|sooner";

    private const string LaterVerb = @"retras\w*|atras\w*|posterg\w*|pospon\w*|push(?:ed)?\s+(?:it\s+|that\s+)?back|move\s+(?:it\s+|that\s+)?back|delay\w*";

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

    /// <summary>"Make it later", "hacelo más temprano": later or earlier, by how much unsaid.</summary>
    [GeneratedRegex(@"\b(?:make|do)\s+it\s+(?:(?<later>later)|(?<earlier>earlier|sooner))\b|\b(?:hacelo|hazlo|hacela|hazla|ponelo|ponlo|ponela|ponla)\s+(?:(?<later>mas\s+tarde)|(?<earlier>mas\s+temprano|antes))\b", Options, TimeoutMs)]
    private static partial Regex Unmeasured();

    /// <summary>The shift the text asks for and where it was said; null when it asks for none.</summary>
    public static (TimeShift Shift, Match Said)? Read(string normalized)
    {
        foreach (var match in new[] { ByComparative().Match(normalized), ByVerb().Match(normalized), Unmeasured().Match(normalized) })
        {
            if (!match.Success) continue;
            var later = match.Groups["later"].Success;
            return (new TimeShift(later, Minutes(match)), match);
        }
        return null;
    }

    /// <summary>How many minutes the match says; null for "un rato", "a bit" or no amount at all.</summary>
    private static int? Minutes(Match match)
    {
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
