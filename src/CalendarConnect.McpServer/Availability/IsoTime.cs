using NodaTime;
using NodaTime.Text;

namespace CalendarConnect.McpServer.Availability;

/// <summary>How tools read and write moments: ISO 8601 with the offset in force in the company's zone.</summary>
public static class IsoTime
{
    private static readonly OffsetDateTimePattern WithOffset = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'sso<+HH:mm>");

    private static readonly IPattern<OffsetDateTime>[] OffsetPatterns =
    [
        OffsetDateTimePattern.ExtendedIso,
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mmo<G>"),
    ];

    private static readonly IPattern<LocalDateTime>[] LocalPatterns =
    [
        LocalDateTimePattern.ExtendedIso,
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm"),
    ];

    public static string Format(Instant instant, DateTimeZone zone) => WithOffset.Format(instant.InZone(zone).ToOffsetDateTime());

    /// <summary>A date (its start in the company's zone), a date-time with offset, or a local date-time in the company's zone.</summary>
    public static Instant? ParseMoment(string text, DateTimeZone zone)
    {
        if (LocalDatePattern.Iso.Parse(text) is { Success: true } date) return zone.AtStartOfDay(date.Value).ToInstant();
        return ParseDateTime(text, zone);
    }

    /// <summary>A date-time with offset, or a local date-time in the company's zone (a wall time skipped by DST moves forward, as clocks do).</summary>
    public static Instant? ParseDateTime(string text, DateTimeZone zone)
    {
        foreach (var pattern in OffsetPatterns)
            if (pattern.Parse(text) is { Success: true } offset) return offset.Value.ToInstant();
        foreach (var pattern in LocalPatterns)
            if (pattern.Parse(text) is { Success: true } local) return zone.AtLeniently(local.Value).ToInstant();
        return null;
    }
}
