using System.Text.Json.Nodes;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>
/// How Google writes an event's times in a response: every timed start, end and originalStartTime carries an offset in
/// one zone, the request's timeZone parameter or else the calendar's, whatever offset (or none) it was written with.
/// The event's own timeZone field stays as stored (recorded: a Helsinki event in a Stockholm calendar reads +02:00
/// in July, "timeZone": "Europe/Helsinki").
/// </summary>
public static class EventRendering
{
    public static JsonObject InZone(JsonObject resource, DateTimeZone outputZone, DateTimeZone calendarZone)
    {
        var result = resource.DeepClone().AsObject();
        // An end or original start written without a zone of its own is read in the start's zone, like EventTiming does.
        var startZone = ZoneOf(result["start"] as JsonObject, calendarZone);
        foreach (var name in new[] { "start", "end", "originalStartTime" })
        {
            if (result[name] is not JsonObject time || EventResource.Text(time, "dateTime") is not { } text) continue;
            if (GoogleTime.TryParseEventDateTime(text, ZoneOf(time, startZone), out var instant))
                time["dateTime"] = GoogleTime.EventDateTime.Format(instant.InZone(outputZone).ToOffsetDateTime());
        }
        return result;
    }

    private static DateTimeZone ZoneOf(JsonObject? time, DateTimeZone fallback) =>
        time is not null && GoogleTime.TryFindZone(EventResource.Text(time, "timeZone"), out var zone) ? zone : fallback;
}
