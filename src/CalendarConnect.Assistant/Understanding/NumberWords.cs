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

    /// <summary>A count of days, weeks or months, as a regex alternation: digits or words ("un", "a", "tres", "ten").</summary>
    public const string Count = @"\d{1,2}|un|una|a|an|one|" + Hours;

    /// <summary>The value of a number written in digits or as one of the words above.</summary>
    public static int Parse(string word) =>
        Values.TryGetValue(word, out var value) ? value
        : word == "an" ? 1
        : int.Parse(word, System.Globalization.CultureInfo.InvariantCulture);
}
