using System.Text.RegularExpressions;
using static CalendarConnect.Assistant.Understanding.MatchText;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>
/// Writes out what customers shorten or split on a phone ("tmr", "2moro", "x la tarde", "finde", "mie", "fri",
/// "to morrow", "medio dia", "pasado ma ñana", "yesss", "👍"), on normalised text, before typos are corrected.
/// </summary>
internal static partial class Shorthand
{
    /// <summary>Whole words and the words they stand for. Not "dom" or "mar": they are names ("me llamo Dom", "Mar") and a month.</summary>
    private static readonly Dictionary<string, string> Words = new()
    {
        ["tmr"] = "tomorrow", ["tmrw"] = "tomorrow", ["tmw"] = "tomorrow", ["tmrow"] = "tomorrow", ["2moro"] = "tomorrow",
        ["2morrow"] = "tomorrow", ["2mrw"] = "tomorrow", ["tomoz"] = "tomorrow",
        ["q"] = "que", ["xq"] = "porque", ["pq"] = "porque", ["pls"] = "please", ["plz"] = "please", ["plis"] = "please",
        ["x"] = "por", ["xfa"] = "por favor", ["xfavor"] = "por favor", ["porfis"] = "por favor",
        ["lun"] = "lunes", ["mie"] = "miercoles", ["mier"] = "miercoles", ["jue"] = "jueves", ["vie"] = "viernes",
        ["sab"] = "sabado",
        ["mon"] = "monday", ["tue"] = "tuesday", ["tues"] = "tuesday", ["wed"] = "wednesday", ["thu"] = "thursday",
        ["thur"] = "thursday", ["thurs"] = "thursday", ["fri"] = "friday", ["sat"] = "saturday",
        ["finde"] = "fin de semana", ["wknd"] = "weekend", ["hrs"] = "hs", ["hr"] = "hs",
        ["dalee"] = "dale", ["sisi"] = "si si", ["sisisi"] = "si si", ["vier"] = "viernes", ["lune"] = "lunes", ["mnn"] = "manana",
        ["yess"] = "yes", ["yas"] = "yes", ["sii"] = "si", ["okk"] = "ok", ["oka"] = "ok",
    };

    /// <summary>"Sun" is a word of its own; right after "sat or" / "sat and" it is Sunday.</summary>
    [GeneratedRegex(@"\b(sat|saturday)\s+(or|and|&|-)\s+sun\b", Options, TimeoutMs)]
    private static partial Regex SaturdayOrSun();

    /// <summary>Words split in two by a stray space: rejoined only as these exact pairs.</summary>
    [GeneratedRegex(@"\bto morrow\b|\btom orrow\b|\bmedio dia\b|\bma nana\b|\bman ana\b|\bmiercol es\b|\bsab ado\b|\bmid day\b", Options, TimeoutMs)]
    private static partial Regex SplitWord();

    [GeneratedRegex(@"[a-z0-9]+", Options, TimeoutMs)]
    private static partial Regex Word();

    /// <summary>A letter typed three times or more ("siii", "yesss", "graciasss"): one is meant.</summary>
    [GeneratedRegex(@"([a-z])\1{2,}", Options, TimeoutMs)]
    private static partial Regex Stretched();

    /// <summary>
    /// A message of nothing but thumbs up or other "ok" emoji (any skin tone). Among other emoji ("🙂🙂 🗓️👍") a thumb is
    /// no explicit yes.
    /// </summary>
    [GeneratedRegex(@"^(?:\s|👍|👌|✅|🆗|\uD83C[\uDFFB-\uDFFF]|\uFE0F)+$", Options, TimeoutMs)]
    private static partial Regex OnlyOkEmoji();

    public static string Expand(string normalized)
    {
        if (string.IsNullOrEmpty(normalized)) return normalized;
        var text = OnlyOkEmoji().IsMatch(normalized) ? "ok" : normalized;
        text = Stretched().Replace(text, m => m.Groups[1].Value);
        text = SplitWord().Replace(text, m => m.Value.Replace(" ", "", StringComparison.Ordinal));
        text = SaturdayOrSun().Replace(text, m => m.Groups[1].Value + " " + m.Groups[2].Value + " sunday");
        text = Word().Replace(text, m => Words.TryGetValue(m.Value, out var full) ? full : m.Value);
        return text.Trim();
    }
}
