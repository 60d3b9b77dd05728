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
        // "ana garcía" is typed quickly on a phone; the calendar entry reads better as "Ana García". A name the
        // person capitalised themselves ("María del Carmen", "McDonald") is kept exactly.
        return name == name.ToLowerInvariant() ? CultureInfo.GetCultureInfo("es-ES").TextInfo.ToTitleCase(name) : name;
    }

    [GeneratedRegex(@"^(?:(?:hola|hi|hello)[,!]?\s+)?(?:me llamo|mi nombre es|soy|a nombre de|es para|para|my name is|my name's|name is|i'm|i am|it's|it is|under)\s+",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Prefix();

    // Letters (any script, with their accents), spaces between words, apostrophes, hyphens and dots ("J. Pérez").
    [GeneratedRegex(@"^\p{L}[\p{L}\p{M}'’.\- ]*\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Shape();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Spaces();
}
