using System.Buffers;

namespace CalendarConnect.Shared;

/// <summary>
/// What the id of a per-company MCP key looks like (<c>mk_3f9a…</c>): <see cref="Prefix"/> and 1 to
/// <see cref="MaxLengthAfterPrefix"/> ASCII letters, digits, '-' or '_'. The MCP server issues and checks them; the
/// backend checks one before it puts it in a URL to the MCP server and in what it shows the admin.
/// </summary>
public static class McpKeyIdRule
{
    public const string Prefix = "mk_";
    public const int MaxLengthAfterPrefix = 64;

    private static readonly SearchValues<char> AllowedAfterPrefix =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static bool IsValid(string? keyId) =>
        keyId is not null && keyId.Length - Prefix.Length is >= 1 and <= MaxLengthAfterPrefix
        && keyId.StartsWith(Prefix, StringComparison.Ordinal) && !keyId.AsSpan(Prefix.Length).ContainsAnyExcept(AllowedAfterPrefix);
}
