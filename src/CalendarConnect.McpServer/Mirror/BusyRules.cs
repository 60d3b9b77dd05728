using CalendarConnect.McpServer.Availability;
using CalendarConnect.McpServer.GoogleCalendar;
using NodaTime;
using NodaTime.Text;

namespace CalendarConnect.McpServer.Mirror;

/// <summary>
/// Google's own rule for what blocks time, applied to an event from events.list, so the mirror's busy time is what
/// freeBusy would answer: cancelled, transparent ("show as available"), working-location events and events the
/// calendar's owner declined do not block; everything else does (tentative too). All-day events cover their local
/// days in the calendar's zone, end date exclusive.
/// </summary>
public static class BusyRules
{
    public static bool Blocks(GoogleEvent item, string? ownerEmail)
    {
        if (item.IsCancelled || item.Transparency == "transparent" || item.EventType == "workingLocation") return false;
        var self = item.Attendees?.FirstOrDefault(a =>
            a.Self == true || ownerEmail is not null && string.Equals(a.Email, ownerEmail, StringComparison.OrdinalIgnoreCase));
        return self?.ResponseStatus != "declined";
    }

    /// <summary>The instants the event occupies, or null when it has no readable start and end (a deleted event's tombstone).</summary>
    public static (Instant Start, Instant End)? Span(GoogleEvent item, DateTimeZone calendarZone)
    {
        if (item.Start is not { } start || item.End is not { } end) return null;
        if (start.Date is { } startDate && end.Date is { } endDate)
        {
            if (LocalDatePattern.Iso.Parse(startDate) is not { Success: true } first || LocalDatePattern.Iso.Parse(endDate) is not { Success: true } last)
                return null;
            return (calendarZone.AtStartOfDay(first.Value).ToInstant(), calendarZone.AtStartOfDay(last.Value).ToInstant());
        }

        // Google answers with an offset; a local time is read in the event's own zone, else the calendar's.
        if (start.DateTime is null || end.DateTime is null) return null;
        var startZone = Zone(start.TimeZone) ?? calendarZone;
        if (IsoTime.ParseDateTime(start.DateTime, startZone) is not { } from ||
            IsoTime.ParseDateTime(end.DateTime, Zone(end.TimeZone) ?? startZone) is not { } to)
            return null;
        return to < from ? null : (from, to);
    }

    private static DateTimeZone? Zone(string? id) => id is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(id);
}
