using System.Text.Json.Nodes;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>The half-open interval an event occupies.</summary>
public readonly record struct EventSpan(Instant Start, Instant End)
{
    /// <summary>Google's events.list rule: timeMin bounds the END (exclusive), timeMax the START (exclusive).</summary>
    public bool Overlaps(Instant? timeMin, Instant? timeMax) =>
        (timeMin is not { } min || End > min) && (timeMax is not { } max || Start < max);
}

/// <summary>An event's start and end: either whole local days, or two instants.</summary>
public abstract record EventTiming
{
    public abstract EventSpan SpanIn(DateTimeZone calendarZone);

    /// <summary>Reads start/end of an event resource; null with <paramref name="error"/> when Google would refuse them.</summary>
    public static EventTiming? Parse(JsonObject resource, DateTimeZone calendarZone, out ApiError? error)
    {
        error = null;
        if (resource["end"] is not JsonObject end) return Fail(out error, ApiError.Required("Missing end time."));
        if (resource["start"] is not JsonObject start) return Fail(out error, ApiError.Required("Missing start time."));

        var startDate = Text(start, "date");
        var endDate = Text(end, "date");
        var startDateTime = Text(start, "dateTime");
        var endDateTime = Text(end, "dateTime");
        if (startDate is not null && endDate is not null && startDateTime is null && endDateTime is null)
        {
            if (!GoogleTime.TryParseDate(startDate, out var first)) return Fail(out error, ApiError.Invalid("Invalid start time."));
            if (!GoogleTime.TryParseDate(endDate, out var last)) return Fail(out error, ApiError.Invalid("Invalid end time."));
            if (last < first) return Fail(out error, ApiError.TimeRangeEmpty);
            return new AllDayTiming(first, last);
        }
        if (startDateTime is null || endDateTime is null || startDate is not null || endDate is not null)
        {
            if ((startDate ?? startDateTime) is null) return Fail(out error, ApiError.Required("Missing start time."));
            if ((endDate ?? endDateTime) is null) return Fail(out error, ApiError.Required("Missing end time."));
            return Fail(out error, ApiError.BadRequest("Start and end times must either both be date or both be dateTime."));
        }

        var startZoneId = Text(start, "timeZone");
        var endZoneId = Text(end, "timeZone");
        if (startZoneId is not null && !GoogleTime.TryFindZone(startZoneId, out _))
            return Fail(out error, ApiError.Invalid("Invalid time zone definition for start time."));
        if (endZoneId is not null && !GoogleTime.TryFindZone(endZoneId, out _))
            return Fail(out error, ApiError.Invalid("Invalid time zone definition for end time."));
        var startZone = startZoneId is null ? calendarZone : DateTimeZoneProviders.Tzdb[startZoneId];
        var endZone = endZoneId is null ? startZone : DateTimeZoneProviders.Tzdb[endZoneId];

        if (!GoogleTime.TryParseEventDateTime(startDateTime, startZone, out var startInstant))
            return Fail(out error, ApiError.Invalid("Invalid start time."));
        if (!GoogleTime.TryParseEventDateTime(endDateTime, endZone, out var endInstant))
            return Fail(out error, ApiError.Invalid("Invalid end time."));
        if (endInstant < startInstant) return Fail(out error, ApiError.TimeRangeEmpty);
        return new TimedTiming(startInstant, endInstant, startZone, startZoneId);
    }

    /// <summary>
    /// Through the API, a timed start or end must say where it is: an offset in its dateTime, or its own timeZone.
    /// Google refuses one with neither (the control API's insert-as-given does not ask).
    /// </summary>
    public static ApiError? MissingTimeZone(JsonObject body)
    {
        foreach (var name in new[] { "start", "end" })
        {
            if (body[name] is JsonObject time && Text(time, "dateTime") is { } text
                && !GoogleTime.HasExplicitOffset(text) && Text(time, "timeZone") is null)
                return ApiError.Required($"Missing time zone definition for {name} time.");
        }
        return null;
    }

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static EventTiming? Fail(out ApiError? error, ApiError value)
    {
        error = value;
        return null;
    }
}

/// <summary>All-day: local dates, end exclusive, placed in the calendar's time zone.</summary>
public sealed record AllDayTiming(LocalDate Start, LocalDate End) : EventTiming
{
    public override EventSpan SpanIn(DateTimeZone calendarZone) =>
        new(calendarZone.AtStartOfDay(Start).ToInstant(), calendarZone.AtStartOfDay(End).ToInstant());
}

/// <summary>Timed: two instants; <see cref="Zone"/> is where its recurrence is reckoned (start.timeZone, else the calendar's).</summary>
public sealed record TimedTiming(Instant Start, Instant End, DateTimeZone Zone, string? TimeZoneId) : EventTiming
{
    public override EventSpan SpanIn(DateTimeZone calendarZone) => new(Start, End);
}
