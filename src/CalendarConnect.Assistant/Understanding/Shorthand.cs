using System.Text.RegularExpressions;
using static CalendarConnect.Assistant.Understanding.MatchText;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>
/// Writes out what customers shorten or split on a phone ("tmr", "2moro", "x la tarde", "finde", "mie", "fri",
/// "to morrow", "medio dia", "pasado ma ñana", "alas 3", "@ 10", "yesss", "👍"), on normalised text, before typos are corrected.
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

    /// <summary>
    /// Diminutives that say the same as the word ("dentro de tres semanitas", "un diita", "a la tardecita", "tempranito"):
    /// the plain word. Listed, not derived from "-ito"/"-ita", because "cita" or "bonito" are words of their own.
    /// </summary>
    private static readonly Dictionary<string, string> Diminutives = new()
    {
        ["semanita"] = "semana", ["semanitas"] = "semanas", ["diita"] = "dia", ["diitas"] = "dias", ["diyita"] = "dia",
        ["diyitas"] = "dias", ["mesecito"] = "mes", ["mesecitos"] = "meses", ["tardecita"] = "tarde", ["nochecita"] = "noche",
        ["tempranito"] = "temprano", ["mananita"] = "manana", ["findecito"] = "fin de semana",
        ["horita"] = "hora", ["horitas"] = "horas",
    };

    /// <summary>
    /// Words that a stray space splits in two ("maña na", "vi ernes", "satur day", "medio dia"): two neighbouring words that
    /// together make one of these are rejoined. Only day and month names and the words for tomorrow and noon, of five
    /// letters or more, so no two real words are ever glued together by chance.
    /// </summary>
    private static readonly HashSet<string> SplitWords =
    [
        .. DateReader.WeekdayNames.Split('|'), .. DateReader.FullMonthNames.Split('|').Where(m => m.Length >= 5),
        "manana", "tomorrow", "mediodia", "midday", "pasado",
    ];

    /// <summary>"Sun" is a word of its own; right after "sat or" / "sat and" it is Sunday.</summary>
    [GeneratedRegex(@"\b(sat|saturday)\s+(or|and|&|-)\s+sun\b", Options, TimeoutMs)]
    private static partial Regex SaturdayOrSun();

    /// <summary>"Alas 3", "ala una": "a las" / "a la" written together, only before an hour ("alas" and "ala" are words too).</summary>
    [GeneratedRegex(@"\ba(?<article>las?)\s+(?=\d|(?:" + NumberWords.Hours + @")\b)", Options, TimeoutMs)]
    private static partial Regex JoinedArticle();

    /// <summary>"@ 10", "@10am": "at" before a time (chat shorthand).</summary>
    [GeneratedRegex(@"@\s*(?=\d)", Options, TimeoutMs)]
    private static partial Regex AtSign();

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
        text = Rejoined(text);
        text = JoinedArticle().Replace(text, m => "a " + m.Groups["article"].Value + " ");
        text = AtSign().Replace(text, "at ");
        text = SaturdayOrSun().Replace(text, m => m.Groups[1].Value + " " + m.Groups[2].Value + " sunday");
        text = Word().Replace(text, m => Words.TryGetValue(m.Value, out var full) || Diminutives.TryGetValue(m.Value, out full) ? full : m.Value);
        return text.Trim();
    }

    private static readonly char[] NotALetter = [.. ",.;:!?)\"'".ToCharArray()];

    /// <summary>The text with every split word of <see cref="SplitWords"/> written whole again ("vi ernes" → "viernes").</summary>
    private static string Rejoined(string text)
    {
        // Each pair is tried from every word on, so "el vi ernes" finds "vi ernes" after "el vi" did not match.
        // The second word may carry the punctuation that follows it ("maña na,"): it is kept after the rejoined word.
        var words = text.Split(' ');
        var joined = new List<string>(words.Length);
        for (var i = 0; i < words.Length; i++)
        {
            var second = i + 1 < words.Length ? words[i + 1].TrimEnd(NotALetter) : "";
            if (second.Length > 0 && words[i].All(char.IsAsciiLetterLower) && !SplitWords.Contains(words[i]) && !SplitWords.Contains(second)
                && SplitWords.Contains(words[i] + second))
            {
                joined.Add(words[i] + words[i + 1]);
                i++;
            }
            else joined.Add(words[i]);
        }
        return string.Join(' ', joined);
    }
}
