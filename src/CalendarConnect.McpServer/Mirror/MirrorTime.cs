using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace CalendarConnect.McpServer.Mirror;

/// <summary>
/// Timestamps in the mirror's tables: UTC with milliseconds and a fixed width, so they compare as text on both engines
/// (a notification in the same second as a sync's start must still count as after it).
/// </summary>
public static class MirrorTime
{
    private static readonly InstantPattern Pattern = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'");

    public static string Format(Instant instant) => Pattern.Format(instant);

    public static string Format(DateTimeOffset value) => Format(Instant.FromDateTimeOffset(value));

    public static Instant? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (Pattern.Parse(text) is { Success: true } exact) return exact.Value;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? Instant.FromDateTimeOffset(parsed)
            : null;
    }

    /// <summary>
    /// Google's <c>updated</c> (RFC 3339, usually with milliseconds) in the same fixed form. A deleted event's tombstone may
    /// come without one: it then counts as <paramref name="seenAt"/>, so it always wins over what was stored before.
    /// </summary>
    public static string FromGoogle(string? updated, Instant seenAt) => Format(Parse(updated) ?? seenAt);
}
