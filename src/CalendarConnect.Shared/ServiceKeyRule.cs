namespace CalendarConnect.Shared;

/// <summary>
/// MCP_API_KEY is compared exactly, byte for byte, with what callers send as <c>Authorization: Bearer …</c>. A key
/// with a space, line break or other invisible character (a copy and paste often brings one at either end) would be
/// accepted at start-up and then answer 401 to every call, so each service that reads it refuses it at start-up.
/// Used by the MCP server, the backend and the assistant.
/// </summary>
public static class ServiceKeyRule
{
    public const string Variable = "MCP_API_KEY";

    /// <summary>Null when every character is visible ASCII; otherwise the one-line problem, naming the variable, never the key.</summary>
    public static string? CharacterProblem(string key) =>
        key.All(c => c is > ' ' and < '\u007f')
            ? null
            : $"{Variable} may contain only visible ASCII characters, but it has a space, line break or other invisible or non-ASCII character (often copied along at either end): set the key alone.";
}
