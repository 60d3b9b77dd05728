namespace CalendarConnect.Backend.Web;

/// <summary>
/// The rule for free text the admin API stores and shows to people (a company's name, an MCP key's label): no control
/// characters, and no bidirectional controls, which would make it show in another order than it is written
/// ("\u202Egnp.exe" shows as "exe.png").
/// </summary>
public static class FreeText
{
    /// <summary>Null when <paramref name="text"/> may be stored; otherwise the field error to answer (400).</summary>
    public static string? Error(string text) =>
        BidiControls.ContainsAny(text) ? ApiTexts.NoBidiControls
        : text.Any(char.IsControl) ? ApiTexts.NoControlCharacters
        : null;
}
