using System.Globalization;

namespace CalendarConnect.McpServer.Storage;

/// <summary>
/// ISO 8601 UTC with a Z and whole seconds ('2025-01-20T12:00:00Z'): the spec's timestamp format, and Google's
/// for timeMin/timeMax. Always the invariant culture: a custom format otherwise follows the machine's calendar
/// and time separator (a Thai locale writes the year 2568).
/// </summary>
public static class IsoUtc
{
    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
