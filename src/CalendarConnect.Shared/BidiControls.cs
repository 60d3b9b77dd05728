using System.Buffers;

namespace CalendarConnect.Shared;

/// <summary>
/// Unicode's bidirectional controls: embeddings and overrides U+202A–U+202E, isolates U+2066–U+2069, the marks
/// U+200E/U+200F and the Arabic letter mark U+061C. In a name or note they make text display in another order than it
/// is stored ("\u202Egnp.exe" shows as "exe.png"), so free text that people will read is refused when it holds one.
/// Both services apply it; each says so in its own words.
/// </summary>
public static class BidiControls
{
    public const string Listed = "U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C";

    private static readonly SearchValues<char> Characters = SearchValues.Create(
        "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C");

    public static bool ContainsAny(string text) => text.AsSpan().ContainsAny(Characters);
}
