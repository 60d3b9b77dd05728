using System.Globalization;
using System.Text.RegularExpressions;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>
/// Reads the answer to "¿A nombre de quién hago la reserva?": "Ana", "Me llamo Ana García", "my name is John".
/// The name goes into the company's calendar, so only something that looks like a name is accepted; anything else
/// gets the question again rather than a booking under "ok gracias".
/// </summary>
public static partial class PersonName
{
    /// <summary>The MCP server's limit for <c>customer_name</c>; names are far shorter, so this never cuts a real one.</summary>
    public const int MaxLength = 60;

    private const int MaxWords = 5;

    /// <summary>The name in <paramref name="text"/>, or null when the text is not (just) a name.</summary>
    public static string? Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 200) return null;
        var name = Prefix().Replace(text.Trim(), "");
        name = name.Trim().TrimEnd('.', '!', ',', ';').Trim();
        name = Spaces().Replace(name, " ");
        if (name.Length is 0 or > MaxLength || !Shape().IsMatch(name)) return null;
        if (name.Split(' ').Length > MaxWords) return null;
        // "Mejor otro día" or "cambié de opinión" has a name's shape; words the assistant reads as something else are no name.
        // "Yes please" or "sí, de una" after a yes is no name either: words no name is made of, and particles alone.
        var words = MessageParser.WordsOf(name);
        if (IsRetraction(name) || words.All(NameConnectors.Contains)
            || words.Any(w => !NameParticles.Contains(w) && (MessageParser.IsKnownWord(w) || NotNameWords.Contains(w)))) return null;
        // "ana garcía" is typed quickly on a phone; the calendar entry reads better as "Ana García". A name the
        // person capitalised themselves ("María del Carmen", "McDonald") is kept exactly.
        return name == name.ToLowerInvariant() ? CultureInfo.GetCultureInfo("es-ES").TextInfo.ToTitleCase(name) : name;
    }

    /// <summary>
    /// Whether <paramref name="message"/> gives <paramref name="name"/> as the customer's name: the whole message is
    /// that name as <see cref="Read"/> reads it, or the name follows "soy" / "me llamo" / "my name is" as whole words
    /// ("…mañana a las 3, soy Ana"). "Ana" inside "mañana" is not a name the customer gave.
    /// </summary>
    public static bool GivenIn(string? message, string name)
    {
        if (string.IsNullOrWhiteSpace(message) || message.Length > 1000 || Read(name) is not { } read) return false;
        if (string.Equals(Read(message), read, StringComparison.OrdinalIgnoreCase)) return true;
        try
        {
            return Regex.IsMatch(message, @"(?:^|[^\p{L}])(?:me llamo|mi nombre es|soy|a nombre de|my name is|my name's|name is|i'm|i am|under)\s+"
                + Regex.Escape(name.Trim()) + @"(?![\p{L}\p{M}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(MatchText.TimeoutMs));
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// "Yes, Laura Mills", "ok book it, Jack", "sí, es para Rocío", "dale, a nombre de Ana Gómez": the ways to cut
    /// <paramref name="text"/> at a gap between words into the words before and a name (as <see cref="Read"/> reads what
    /// follows, introduction included), the shortest first part first. The caller decides whether the first part is a yes.
    /// </summary>
    public static IEnumerable<(string Before, string Name)> NamesAfterLeadingWords(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 200) yield break;
        foreach (Match gap in WordGap().Matches(text))
        {
            var before = text[..gap.Index];
            if (before.Trim().Length > 0 && Read(text[(gap.Index + gap.Length)..]) is { } name) yield return (before, name);
        }
    }

    // Spaces and the punctuation that separates a yes from what follows ("yes,Laura", "sí… Marta").
    [GeneratedRegex(@"[\s,;:!…]+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: MatchText.TimeoutMs)]
    private static partial Regex WordGap();

    /// <summary>Words that join the parts of a name ("María de la Cruz") and are no name alone ("sí, de una" is none).</summary>
    private static readonly HashSet<string> NameConnectors = ["de", "del", "la", "las", "los", "el", "y"];

    /// <summary>Words of names that the parser also knows ("María de la Cruz", "Ty", "Jo March", "May").</summary>
    private static readonly HashSet<string> NameParticles =
        [.. NameConnectors, "ty", "san", "santa", "van", "von", "da", "di", "do", "april", "june", "august", "march", "may"];

    /// <summary>
    /// Everyday words no name is made of, beyond those the parser already reads (<see cref="MessageParser.IsKnownWord"/>):
    /// what follows a yes when it is no name ("yes thanks", "ok cool", "sí, está bien", "yes, same time", "dale, hacelo") and
    /// who a booking is for when no name is given ("sí, para mi hermana"). Words that are also names ("Will", "Paz", "Sol",
    /// "Rosa") are left out on purpose.
    /// </summary>
    private static readonly HashSet<string> NotNameWords =
    [
        "fine", "nice", "awesome", "lovely", "brilliant", "wonderful", "excellent", "amazing", "problem", "problems", "worries", "deal",
        "right", "all", "totally", "exactly", "correct", "same", "go", "me", "so", "much", "lot", "then", "now", "just", "also", "too",
        "again", "be", "see", "done", "work", "i'll", "we'll", "that's", "thats", "it's", "its", "a", "him", "her", "them", "us", "he",
        "she", "they", "our", "your", "his", "friend", "wife", "husband", "son", "daughter", "mom", "mum", "dad", "mother", "father",
        "sister", "brother", "partner", "kid", "boyfriend", "girlfriend", "boss", "thing", "here", "ready",
        // How "please" and "thanks" are typed on a phone: "yes pls" is no customer called Pls.
        "pls", "plz", "plss", "plis", "pliz", "pleas", "thx", "thnx", "thanx", "tks", "tnx", "thank", "u", "you", "yah", "k", "kk",
        "okey", "okay", "oki", "okis", "xfa", "xfavor", "porfi", "porfas", "grax", "grs", "gracia", "graciass", "obvio", "claro",
        "lista", "bien", "muy", "mil", "muchas", "igual", "mismo", "misma", "te", "lo", "le", "nos", "reservalo", "reservala",
        "reservamelo", "reservamela", "agendalo", "agendala", "agendamelo", "agendamela", "anotalo", "anotala", "anotame",
        "anotamelo", "hazlo", "hacelo", "adelante", "nomas", "ya", "porfa", "porfis", "porfavor", "supuesto", "acuerdo", "uno",
        "problema", "problemas", "pasa", "perfecta", "todo", "eso", "esto", "asi", "pues", "nada", "es", "sin", "tambien", "seguro",
        "segura", "exacto", "correcto", "re", "super", "bueno", "buena", "yo", "ahi", "aca", "aqui", "alli",
        "hermana", "hermano", "hijo", "hija", "mama", "papa", "esposa", "esposo", "marido", "mujer", "novia", "novio", "amiga",
        "amigo", "jefe", "jefa", "senora", "senor", "abuela", "abuelo", "tia", "tio", "nena", "nene", "ahorita",
    ];

    /// <summary>Words that take back a yes: "espera", "mejor otro día", "cambié de opinión", "wait, actually…".</summary>
    private static readonly HashSet<string> RetractionWords =
    [
        "espera", "espere", "esperate", "pera", "mejor", "otro", "otra", "cambie", "opinion", "olvidalo", "olvida", "olvidate", "despues",
        "luego", "wait", "hold", "actually", "mind", "nevermind", "forget", "later", "stop", "another", "other",
    ];

    /// <summary>
    /// Whether <paramref name="text"/> takes back the customer's yes (a retraction word, a negation or a cancel):
    /// after "¿a nombre de quién?" it drops the proposal rather than being booked as a name.
    /// </summary>
    public static bool IsRetraction(string? text) =>
        MessageParser.HasNegation(text) || MessageParser.IsCancelWord(text) || MessageParser.WordsOf(text).Any(RetractionWords.Contains);

    /// <summary>Words before a name: "me llamo", "a nombre de", "my name is", "it's for" / "its for" (voice-to-text drops the apostrophe), "under the name".</summary>
    [GeneratedRegex(@"^(?:(?:hola|hi|hello)[,!]?\s+)?(?:me llamo|mi nombre es|soy|a nombre de|es para|para|my name is|my name's|(?:the\s+)?name(?:\s+is)?|name's|i'm|i am|(?:it'?s|it is)(?:\s+for)?|for|(?:put it\s+)?under(?:\s+the\s+name(?:\s+of)?)?)\s+",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: MatchText.TimeoutMs)]
    private static partial Regex Prefix();

    // Letters (any script, with their accents), spaces between words, apostrophes, hyphens and dots ("J. Pérez").
    [GeneratedRegex(@"^\p{L}[\p{L}\p{M}'’.\- ]*\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: MatchText.TimeoutMs)]
    private static partial Regex Shape();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: MatchText.TimeoutMs)]
    private static partial Regex Spaces();

    /// <summary>Two capitalised words side by side, as a first name and a surname are written ("Domingo Pérez").</summary>
    [GeneratedRegex(@"(?<![\p{L}\p{M}])(\p{Lu}[\p{Ll}\p{M}]+)\s+(\p{Lu}[\p{Ll}\p{M}]+)(?![\p{L}\p{M}])", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: MatchText.TimeoutMs)]
    private static partial Regex CapitalisedPair();

    /// <summary>
    /// Capitalised words that stand beside a weekday without making it a name: "Hola Domingo", "Next Tuesday", "Tuesday
    /// Morning", "Viernes Por la tarde" (phones and some people capitalise every word).
    /// </summary>
    private static readonly HashSet<string> NotASurname =
    [
        "hola", "buenas", "buen", "hi", "hey", "hello", "el", "este", "esta", "proximo", "proxima", "que", "para", "por", "a", "al", "en",
        "de", "del", "y", "o", "es", "mejor", "puede", "quiero", "ok", "dale", "vale", "si", "no", "gracias", "porfa", "manana", "tarde",
        "noche", "temprano", "mediodia", "the", "on", "this", "next", "at", "by", "or", "and", "is", "works", "morning", "afternoon",
        "evening", "night", "noon", "please", "thanks", "then", "entonces", "ya", "hoy", "today", "tomorrow", "tonight", "after", "before",
        "antes", "despues", "desde", "hasta", "entre", "from", "to", "until", "perfecto", "perfect", "great", "good", "sure", "yes",
    ];

    /// <summary>
    /// <paramref name="normalized"/> with a weekday that is part of a name blanked: "Domingo Pérez", "Soledad Martes",
    /// "Tuesday Jones" (a capitalised weekday beside a capitalised word that is no month, day or common word), so the
    /// answer to "¿a nombre de quién?" does not read as a change of plan to Sunday.
    /// </summary>
    internal static string WithoutNamesLikeDays(string raw, string normalized)
    {
        if (raw.Length > 200) return normalized;
        foreach (Match pair in CapitalisedPair().Matches(raw))
        {
            var (first, second) = (TextNormalizer.Normalize(pair.Groups[1].Value), TextNormalizer.Normalize(pair.Groups[2].Value));
            if (DateReader.IsWeekdayName(first) == DateReader.IsWeekdayName(second)) continue;
            var other = DateReader.IsWeekdayName(first) ? second : first;
            if (NotASurname.Contains(other) || DateReader.FullMonthNames.Split('|').Contains(other)) continue;
            normalized = normalized.Replace(first + " " + second, new string(' ', first.Length + 1 + second.Length), StringComparison.Ordinal);
        }
        return normalized;
    }
}
