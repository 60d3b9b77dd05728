using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.TimeZones;
using NodaTime.Text;

namespace CalendarConnect.GoogleEmulator;

/// <summary>The timestamp spellings Google uses on the wire.</summary>
public static partial class GoogleTime
{
    /// <summary>created/updated and freeBusy timeMin/timeMax: 2025-03-24T12:58:18.000Z.</summary>
    public static readonly InstantPattern Timestamp = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'");

    /// <summary>freeBusy busy periods: 2020-02-11T12:00:00Z.</summary>
    public static readonly InstantPattern BusyTime = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss'Z'");

    /// <summary>Event dateTime: 2025-03-24T07:30:00-05:00 (Z for UTC).</summary>
    public static readonly OffsetDateTimePattern EventDateTime = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'sso<Z+HH:mm>");

    public static readonly LocalDatePattern Date = LocalDatePattern.Iso;

    private static readonly OffsetDateTimePattern Rfc3339 = OffsetDateTimePattern.Rfc3339;
    private static readonly LocalDateTimePattern LocalIso = LocalDateTimePattern.ExtendedIso;

    /// <summary>Whether an RFC 3339 timestamp ends in an offset or Z.</summary>
    public static bool HasExplicitOffset(string text) => HasOffset().IsMatch(text);

    /// <summary>Parses an RFC 3339 timestamp that carries an offset (or Z); Google rejects ones without.</summary>
    public static bool TryParseWithOffset(string? text, out Instant instant)
    {
        instant = default;
        if (string.IsNullOrWhiteSpace(text) || !HasOffset().IsMatch(text)) return false;
        var result = Rfc3339.Parse(text.ToUpperInvariant());
        if (!result.Success) return false;
        instant = result.Value.ToInstant();
        return true;
    }

    /// <summary>Parses an event dateTime: with an offset, or local time in <paramref name="zone"/>.</summary>
    public static bool TryParseEventDateTime(string? text, DateTimeZone zone, out Instant instant)
    {
        if (TryParseWithOffset(text, out instant)) return true;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var local = LocalIso.Parse(text);
        if (!local.Success) return false;
        instant = zone.ResolveLocal(local.Value, Resolvers.LenientResolver).ToInstant();
        return true;
    }

    public static bool TryParseDate(string? text, out LocalDate date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var result = Date.Parse(text);
        if (!result.Success) return false;
        date = result.Value;
        return true;
    }

    public static bool TryFindZone(string? id, [NotNullWhen(true)] out DateTimeZone? zone)
    {
        zone = string.IsNullOrWhiteSpace(id) ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id);
        return zone is not null;
    }

    public static Instant ToInstant(this TimeProvider clock) => Instant.FromDateTimeOffset(clock.GetUtcNow());

    [GeneratedRegex(@"(?i)(z|[+-]\d\d:\d\d)$")]
    private static partial Regex HasOffset();
}
