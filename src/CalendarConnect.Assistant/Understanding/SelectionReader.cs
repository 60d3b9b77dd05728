using System.Text.RegularExpressions;
using static CalendarConnect.Assistant.Understanding.MatchText;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>
/// A pick from the list the assistant just showed, when that is all the message says: "the second one", "la última",
/// "la segunda opción", "option 2", "esa primera", "la de las 11", "the 3 o'clock one", "the later one", "the tuesday one".
/// </summary>
internal static partial class SelectionReader
{
    /// <summary>Longer messages say more than a pick, and are read as requests.</summary>
    private const int MaxLength = 60;

    private static readonly Dictionary<string, int> Positions = new()
    {
        ["primero"] = 1, ["primera"] = 1, ["primer"] = 1, ["first"] = 1, ["1st"] = 1, ["1ro"] = 1, ["1ra"] = 1, ["1"] = 1, ["uno"] = 1, ["una"] = 1, ["one"] = 1,
        ["segundo"] = 2, ["segunda"] = 2, ["second"] = 2, ["2nd"] = 2, ["2do"] = 2, ["2da"] = 2, ["2"] = 2, ["dos"] = 2, ["two"] = 2,
        ["tercero"] = 3, ["tercera"] = 3, ["tercer"] = 3, ["third"] = 3, ["3rd"] = 3, ["3ro"] = 3, ["3ra"] = 3, ["3"] = 3, ["tres"] = 3, ["three"] = 3,
        ["cuarto"] = 4, ["cuarta"] = 4, ["fourth"] = 4, ["4th"] = 4, ["4to"] = 4, ["4ta"] = 4, ["4"] = 4, ["cuatro"] = 4, ["four"] = 4,
        ["quinto"] = 5, ["quinta"] = 5, ["fifth"] = 5, ["5th"] = 5, ["5to"] = 5, ["5ta"] = 5, ["5"] = 5, ["cinco"] = 5, ["five"] = 5,
    };

    private static readonly HashSet<string> LastWords = ["ultimo", "ultima", "last"];

    private static readonly HashSet<string> SecondToLastWords = ["penultimo", "penultima", "anteultimo", "anteultima"];

    /// <remarks>"No actually the earlier one", "no, mejor la otra": a pick said again after one was made.</remarks>
    private const string Lead = @"^\W*(?:(?:ok|dale|bueno|entonces|then|yes|si|vale|no|actually|wait|espera|perdon|sorry|hmm+|mm+|m|um+|uh)\W+){0,3}(?:(?:i'?ll take|i'?d like|i want|give me|me quedo con|quiero|dame|prefiero|mejor)\s+)?";

    private const string Tail = @"(?:\W+(?:please|pls|por favor|porfa|gracias|thanks|esta bien|me sirve|me va bien|me viene bien|me queda bien|is fine|works|works for me|is good|is good for me|is fine for me|is perfect|suits me|would be great|then))?\W*$";

    [GeneratedRegex(Lead + @"(?:(?:el|la|lo|the|esa|ese|esta|este|that|this)\s+)?(?:very\s+)?(?<which>primero|primera|primer|segundo|segunda|tercero|tercera|tercer|cuarto|cuarta|quinto|quinta|ultimo|ultima|penultimo|penultima|anteultimo|anteultima|first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th|1ro|1ra|2do|2da|3ro|3ra|4to|4ta|5to|5ta)(?:\s+(?:one|turno|cita|appointment|opcion|option|horario|hora|slot|time|de la lista|on the list|de esas|de esos|de ellas|de ellos|of those|of them))?" + Tail, Options, TimeoutMs)]
    private static partial Regex ByOrdinal();

    [GeneratedRegex(Lead + @"(?:(?:la|el|the)\s+)?(?:opcion|option|numero|number|nro|n°|#)\s*(?<which>[1-5]|uno|una|dos|tres|cuatro|cinco|one|two|three|four|five)" + Tail, Options, TimeoutMs)]
    private static partial Regex ByNumber();

    [GeneratedRegex(Lead + @"(?:(?:la|el|esa|ese)\s+de\s+(?<time>(?:las?\s+)?\d{1,2}(?:[:.]\d{2})?(?:\s*(?:am|pm|hs))?(?:\s+(?:y media|y cuarto))?)|(?:the|that)\s+(?<hour>\d{1,2}(?::\d{2})?)\s*(?<suffix>o'?clock|am|pm)?\s+one|the one at\s+(?<hour>\d{1,2}(?::\d{2})?)\s*(?<suffix>am|pm)?)" + Tail, Options, TimeoutMs)]
    private static partial Regex ByTime();

    /// <summary>"La del medio", "the middle one", "the one in the middle".</summary>
    [GeneratedRegex(Lead + @"(?:(?:la|el|lo|esa|ese)\s+del\s+medio|(?:the\s+)?middle(?:\s+one)?|the\s+one\s+in\s+the\s+middle)" + Tail, Options, TimeoutMs)]
    private static partial Regex InMiddle();

    /// <summary>
    /// "The later one", "the earlier one": one of two, by its time; "the earliest", "the latest", "la más tarde", "la más
    /// temprana": the first or last of any number.
    /// </summary>
    [GeneratedRegex(Lead + @"(?:(?:el|la|lo|the|esa|ese|that)\s+)?(?:(?<later>later|(?<most>latest|mas tarde|de mas tarde))|earlier|(?<most>earliest|mas temprano|mas temprana|de mas temprano))(?:\s+(?:one|time|slot|option|turno|cita|opcion|horario|hora))?" + Tail, Options, TimeoutMs)]
    private static partial Regex ByOrder();

    /// <summary>
    /// "The tuesday one", "el del miércoles", "la del viernes", "wednesday works": the listed time on that day (the day
    /// itself is read by <see cref="DateReader"/>).
    /// </summary>
    [GeneratedRegex(Lead + @"(?:(?:the|that)\s+(?<day>" + DateReader.WeekdayNames + @")\s+(?:one|option|slot|time)|(?:el|la|lo|esa|ese)\s+del?\s+(?<day>" + DateReader.WeekdayNames + @")|(?:on\s+)?(?<day>" + DateReader.WeekdayNames + @")\s+(?:works|works for me|is good|is good for me|is fine|is perfect|suits me|me sirve|me va bien|me viene bien|me queda bien|esta bien))" + Tail, Options, TimeoutMs)]
    private static partial Regex ByDay();

    /// <summary>"The other one", "la otra", "el otro horario": of two, the one not taken.</summary>
    [GeneratedRegex(Lead + @"(?:(?:el|la|lo|the|esa|ese|that)\s+)?(?:other|otra|otro)(?:\s+(?:one|time|slot|option|turno|cita|opcion|horario|hora))?" + Tail, Options, TimeoutMs)]
    private static partial Regex TheOther();

    /// <summary>"That one", "esa", "ese mismo": a pick that does not say which ("that works" is a yes, not this).</summary>
    [GeneratedRegex(Lead + @"(?:(?:that|this)\s+one|(?:esa|ese|esta|este)(?:\s+(?:misma|mismo|hora|horario|turno|cita))?)" + Tail, Options, TimeoutMs)]
    private static partial Regex Unnamed();

    /// <summary>
    /// "11", "10 works", "the 11", "no wait, 4", "las 11 porfa": an hour and nothing else but a few words around it. Read
    /// only as a pick from the times just listed; with no list it asks for nothing.
    /// </summary>
    [GeneratedRegex(@"^\W*(?:(?:ok|dale|bueno|entonces|then|yes|si|vale|no|wait|espera|perdon|sorry|actually|mejor|hmm+|mm+|um+|uh)\W+){0,3}(?:(?:(?:the|la|las|el|a las|at)\s+)?(?<hour>\d{1,2})|(?<=^\W*)(?:(?:a\s+)?las\s+|at\s+)?(?<hour>" + HourWords + @"))(?::(?<minute>\d{2}))?\s*(?<suffix>am|pm|hs|h)?(?:\s+(?:mejor|instead|then|entonces|one))?" + Tail, Options, TimeoutMs)]
    private static partial Regex BareHour();

    /// <summary>
    /// Hours said as a word alone ("eleven", "las once"), with nothing before them ("yes five" and "el dos" say something
    /// else); not "one"/"una"/"uno", which as often point at an item ("that one").
    /// </summary>
    private const string HourWords = "dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve";

    public static ListSelection? Read(string normalized)
    {
        if (normalized.Length > MaxLength) return null;
        if (InMiddle().IsMatch(normalized)) return new SelectionInMiddle();
        if (ByOrder().Match(normalized) is { Success: true } order) return new SelectionByOrder(Later: order.Groups["later"].Success, Most: order.Groups["most"].Success);
        if (TheOther().IsMatch(normalized)) return new SelectionOther();
        if (ByDay().IsMatch(normalized)) return new SelectionByDay();
        if (Unnamed().IsMatch(normalized)) return new SelectionUnnamed();
        if (BareHour().Match(normalized) is { Success: true } bare
            && TimeReader.Read("at " + (bare.Groups["hour"].Value is var hour && hour[0] is >= '0' and <= '9' ? hour : NumberWords.Parse(hour).ToString(System.Globalization.CultureInfo.InvariantCulture)) + (bare.Groups["minute"].Success ? ":" + bare.Groups["minute"].Value : "")
                               + (bare.Groups["suffix"].Value is "am" or "pm" ? bare.Groups["suffix"].Value : ""), null) is ({ } bareTime, var bareAssumed))
            return new SelectionByTime(bareTime, bareAssumed);
        if (ByOrdinal().Match(normalized) is { Success: true } ordinal)
        {
            var which = ordinal.Groups["which"].Value;
            return LastWords.Contains(which) ? new SelectionByPosition(1, FromEnd: true)
                : SecondToLastWords.Contains(which) ? new SelectionByPosition(2, FromEnd: true)
                : new SelectionByPosition(Positions[which]);
        }
        if (ByNumber().Match(normalized) is { Success: true } number)
            return new SelectionByPosition(Positions[number.Groups["which"].Value]);
        if (ByTime().Match(normalized) is { Success: true } byTime)
        {
            var said = byTime.Groups["time"].Success
                ? "a " + (byTime.Groups["time"].Value.StartsWith("la", StringComparison.Ordinal) ? byTime.Groups["time"].Value : "las " + byTime.Groups["time"].Value)
                : "at " + byTime.Groups["hour"].Value + (byTime.Groups["suffix"].Value is "am" or "pm" ? byTime.Groups["suffix"].Value : "");
            if (TimeReader.Read(said, null) is ({ } time, var assumed)) return new SelectionByTime(time, assumed);
        }
        return null;
    }
}
