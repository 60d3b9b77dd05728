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

    /// <summary>
    /// The years a tool argument may name. Far wider than any booking horizon or appointment list, and far inside what
    /// instants can hold: arithmetic on a date in year 1 or 9999 (the next day, a week of busy time) would overflow.
    /// </summary>
    public const int FirstArgumentYear = 1900;

    public const int LastArgumentYear = 2999;

    /// <summary>Said in every message about a date argument that cannot be read.</summary>
    public const string ArgumentYears = "in the years 1900 to 2999";

    /// <summary>A date argument (YYYY-MM-DD) within <see cref="FirstArgumentYear"/>..<see cref="LastArgumentYear"/>.</summary>
    public static LocalDate? ParseArgumentDate(string text) =>
        LocalDatePattern.Iso.Parse(text) is { Success: true } date && IsArgumentYear(date.Value.Year) ? date.Value : null;

    /// <summary>A date argument (its start in the company's zone) or a date-time argument (<see cref="ParseArgumentDateTime"/>).</summary>
    public static Instant? ParseMoment(string text, DateTimeZone zone)
    {
        if (LocalDatePattern.Iso.Parse(text).Success) return ParseArgumentDate(text) is { } date ? zone.AtStartOfDay(date).ToInstant() : null;
        return ParseArgumentDateTime(text, zone);
    }

    /// <summary>A date-time argument as <see cref="ParseDateTime"/> reads it, within the argument years.</summary>
    public static Instant? ParseArgumentDateTime(string text, DateTimeZone zone) => Parse(text, zone, IsArgumentYear);

    /// <summary>A date-time with offset, or a local date-time in the company's zone (a wall time skipped by DST moves forward, as clocks do).</summary>
    public static Instant? ParseDateTime(string text, DateTimeZone zone) => Parse(text, zone, _ => true);

    private static bool IsArgumentYear(int year) => year is >= FirstArgumentYear and <= LastArgumentYear;

    private static Instant? Parse(string text, DateTimeZone zone, Func<int, bool> yearAllowed)
    {
        foreach (var pattern in OffsetPatterns)
            if (pattern.Parse(text) is { Success: true } offset) return yearAllowed(offset.Value.Year) ? offset.Value.ToInstant() : null;
        foreach (var pattern in LocalPatterns)
            if (pattern.Parse(text) is { Success: true } local) return yearAllowed(local.Value.Year) ? zone.AtLeniently(local.Value).ToInstant() : null;
        return null;
    }
}
