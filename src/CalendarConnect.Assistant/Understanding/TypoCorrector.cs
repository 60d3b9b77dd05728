using System.Text.RegularExpressions;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>
/// Fixes one slip of the thumb in the words that carry a date or an intent ("mañna", "tomorow", "miercole",
/// "vienes", "reservr", "apointment"), so a typo gets understood rather than a "no entiendo".
/// </summary>
/// <remarks>
/// Only words of five letters or more are corrected, only towards this small vocabulary, and only by one edit
/// (insert, delete, substitute or swap two neighbours; two edits for words of eight letters or more, which is
/// where "tommorow" and "miercloes" happen, and for seven-letter words towards words of nine letters or more: "wensday"). Real words
/// that sit one edit away from the vocabulary are listed in <see cref="Keep"/> so they stay what they are.
/// </remarks>
public static partial class TypoCorrector
{
    private static readonly string[] Vocabulary =
    [
        "manana", "tomorrow", "today", "pasado", "mediodia", "tarde", "noche", "morning", "afternoon", "evening", "tonight",
        "lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "enero", "febrero", "marzo", "abril", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
        "january", "february", "march", "april", "august", "september", "october", "november", "december",
        "reservar", "turno", "appointment", "cancelar", "cancel", "reschedule", "cambiar", "gracias", "thanks",
        "disponible", "available", "quiero", "please",
    ];

    /// <summary>Words that are right as they are although one edit away from the vocabulary.</summary>
    private static readonly HashSet<string> Keep =
    [
        "entero", "junior", "turnos", "reservo", "reservas", "reservame", "cancela", "cancelo", "canceled", "cancelled",
        "cambia", "cambio", "marta", "martas", "tardes", "noches", "mananas", "manzana", "pasada", "pasados", "lunas",
        "quieres", "quiere", "quieren", "juev", "march", "marcha", "today's", "tarda", "tardo", "mornings", "evenings",
        "afternoons", "viernes", "sabados", "domingos", "lunes", "please", "pleased", "thank", "gracia", "turne", "turnon",
        "reservan", "reservar", "reservas", "disponibles", "julia", "julian", "marzos", "abriles", "cambian", "cambie",
        "monday's", "friday's", "fridays", "mondays", "sundays", "saturdays", "tuesdays", "wednesdays", "thursdays",
        "todas", "coche", "junto", "abrir", "quiera", "pagado", "pesado", "thinks", "match", "marco", "turbo", "reserve",
        "noches", "nocha", "tarta", "cancer", "jugues", "nuevos", "nueves", "remember", "remembered", "preservar",
        "mananita", "mananitas", "everyday", "decembers", "novembers", "temprano", "tempranito",
    ];

    private static readonly HashSet<string> VocabularySet = [.. Vocabulary];

    /// <summary>Returns <paramref name="normalized"/> (see <see cref="TextNormalizer"/>) with typos in known words fixed.</summary>
    public static string Correct(string normalized) =>
        string.IsNullOrEmpty(normalized) ? normalized : Word().Replace(normalized, m => CorrectWord(m.Value));

    private static string CorrectWord(string word)
    {
        if (word.Length < 5 || word.Length > 14 || VocabularySet.Contains(word) || Keep.Contains(word) || MessageParser.IsKnownWord(word))
            return word;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in Vocabulary)
        {
            // Long words take two slips; so does a seven-letter word spelt as a long word sounds ("wensday").
            var allowed = word.Length >= 8 || (word.Length >= 7 && candidate.Length >= 9) ? 2 : 1;
            if (Math.Abs(candidate.Length - word.Length) > allowed) continue;
            var distance = Distance(word, candidate, allowed);
            if (distance > allowed) continue;
            // Two vocabulary words equally close: no correction, since choosing would be a guess.
            if (distance < bestDistance) (best, bestDistance) = (candidate, distance);
            else if (distance == bestDistance) best = null;
        }
        return best ?? word;
    }

    /// <summary>Optimal string alignment distance (Levenshtein plus swaps of neighbours), stopping early past <paramref name="limit"/>.</summary>
    private static int Distance(string a, string b, int limit)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            var rowMin = int.MaxValue;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) value = Math.Min(value, d[i - 2, j - 2] + 1);
                d[i, j] = value;
                rowMin = Math.Min(rowMin, value);
            }
            if (rowMin > limit) return limit + 1;
        }
        return d[a.Length, b.Length];
    }

    [GeneratedRegex(@"[a-z]+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: MatchText.TimeoutMs)]
    private static partial Regex Word();
}
