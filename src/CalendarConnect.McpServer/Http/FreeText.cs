namespace CalendarConnect.McpServer.Http;

/// <summary>
/// The rule for free text that enters this server and that people will read (an appointment's name and notes in the
/// company's calendar, an MCP key's label in the admin console): no control characters (a line break only where the
/// field allows several lines) and no bidirectional controls, which would make it show in another order than it is.
/// </summary>
public static class FreeText
{
    /// <summary>Null when <paramref name="text"/> may be stored; otherwise the one-line reason, naming <paramref name="field"/>.</summary>
    public static string? Problem(string field, string text, bool allowLineBreaks = false) =>
        BidiControls.ContainsAny(text)
            ? $"{field} may not contain bidirectional control characters ({BidiControls.Listed}): they make text show in another order than it is written."
            : text.Any(c => char.IsControl(c) && !(allowLineBreaks && c == '\n'))
                ? $"{field} may not contain control characters{(allowLineBreaks ? " other than line breaks" : "")}."
                : null;
}
