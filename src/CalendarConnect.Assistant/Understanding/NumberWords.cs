namespace CalendarConnect.Assistant.Understanding;

/// <summary>Numbers customers write as words ("a las tres", "in ten days", "dentro de un mes"), in one place.</summary>
internal static class NumberWords
{
    private static readonly Dictionary<string, int> Values = new()
    {
        ["un"] = 1, ["una"] = 1, ["uno"] = 1, ["one"] = 1, ["a"] = 1, ["dos"] = 2, ["two"] = 2, ["tres"] = 3, ["three"] = 3,
        ["cuatro"] = 4, ["four"] = 4, ["cinco"] = 5, ["five"] = 5, ["seis"] = 6, ["six"] = 6, ["siete"] = 7, ["seven"] = 7,
        ["ocho"] = 8, ["eight"] = 8, ["nueve"] = 9, ["nine"] = 9, ["diez"] = 10, ["ten"] = 10, ["once"] = 11, ["eleven"] = 11,
        ["doce"] = 12, ["twelve"] = 12,
    };

    /// <summary>The hours as words, for a regex alternation ("a" is left out: it is only a number in "in a week").</summary>
    public const string Hours =
        "una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve";

    /// <summary>A count of days, weeks or months, as a regex alternation: digits or words ("un", "a", "tres", "ten", "un par de").</summary>
    public const string Count = Couple + @"|\d{1,2}|un|una|a|an|one|" + Hours;

    /// <summary>"Un par de días", "a couple of weeks": two.</summary>
    private const string Couple = "a couple of|couple of|un par de|par de";

    private static readonly string[] SpanishDays =
    [
        "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once", "doce", "trece", "catorce",
        "quince", "dieciseis", "diecisiete", "dieciocho", "diecinueve", "veinte", "veintiuno", "veintidos", "veintitres",
        "veinticuatro", "veinticinco", "veintiseis", "veintisiete", "veintiocho", "veintinueve", "treinta", "treinta y uno",
    ];

    private static readonly string[] EnglishOrdinals =
    [
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth",
        "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth",
    ];

    /// <summary>
    /// The days of a month as voice-to-text writes them: "veintitrés", "treinta y uno", "twenty third", "thirty-first".
    /// English ordinals past the twentieth are "twenty" or "thirty" with a unit ordinal, by space or hyphen.
    /// </summary>
    private static readonly Dictionary<string, int> DayWords = BuildDayWords();

    private static Dictionary<string, int> BuildDayWords()
    {
        var days = new Dictionary<string, int>();
        for (var i = 0; i < SpanishDays.Length; i++) days[SpanishDays[i]] = i + 1;
        for (var i = 0; i < EnglishOrdinals.Length; i++) days[EnglishOrdinals[i]] = i + 1;
        days["thirtieth"] = 30;
        foreach (var (tens, value) in new[] { ("twenty", 20), ("thirty", 30) })
            for (var unit = 1; unit <= (value == 20 ? 9 : 1); unit++)
            {
                days[tens + " " + EnglishOrdinals[unit - 1]] = value + unit;
                days[tens + "-" + EnglishOrdinals[unit - 1]] = value + unit;
            }
        return days;
    }

    /// <summary>The day of the month a word names, and whether it is English (an ordinal), or null.</summary>
    public static (int Day, bool English)? DayOf(string words) =>
        DayWords.TryGetValue(words, out var day) ? (day, Array.IndexOf(SpanishDays, words) < 0) : null;

    /// <summary>The value of a number written in digits or as one of the words above.</summary>
    public static int Parse(string word) =>
        Values.TryGetValue(word, out var value) ? value
        : word == "an" ? 1
        : Couple.Split('|').Contains(word) ? 2
        : int.Parse(word, System.Globalization.CultureInfo.InvariantCulture);
}
