namespace CalendarConnect.Shared;

/// <summary>
/// Customer ids are case-insensitive and stored in their canonical form, lower-case (ASCII: the id rule allows only
/// ASCII letters, so no culture can turn an id it refuses into one it accepts). Each service lower-cases every id at
/// its boundary, and a migration lower-cases the rows stored before (see <c>CustomerIdCollisions</c>). Linked into the
/// MCP server, the backend and the assistant.
/// </summary>
internal static class CustomerIdCase
{
    /// <summary>The canonical form of an id: A–Z lower-cased, anything else as it is.</summary>
    public static string Canonical(string id) =>
        id.AsSpan().IndexOfAnyInRange('A', 'Z') < 0 ? id : string.Create(id.Length, id, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = source[i] is >= 'A' and <= 'Z' ? (char)(source[i] + 32) : source[i];
        });
}
