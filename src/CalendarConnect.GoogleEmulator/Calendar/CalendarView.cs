using System.Text.Json.Nodes;
using CalendarConnect.GoogleEmulator.Accounts;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>An event or expanded instance as a listing sees it; <see cref="Span"/> is null for time-less tombstones.</summary>
public sealed record ViewItem(JsonObject Resource, EventSpan? Span);

/// <summary>
/// What a calendar shows within a time window: stored events, with recurring masters either kept as
/// masters or expanded into instances (modified and cancelled exceptions replacing generated ones).
/// </summary>
public static class CalendarView
{
    public static IEnumerable<ViewItem> Items(
        AccountSnapshot calendar, Instant? timeMin, Instant? timeMax, bool singleEvents, bool showDeleted, Instant horizon)
    {
        var zone = calendar.Zone;
        var cancelledMasters = calendar.Events
            .Where(e => RecurringSeries.IsRecurring(e.Resource) && IsCancelled(e.Resource))
            .Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var exceptionKeys = calendar.Events
            .Where(e => EventResource.Text(e.Resource, "recurringEventId") is not null)
            .GroupBy(e => EventResource.Text(e.Resource, "recurringEventId")!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => RecurringSeries.KeyOfOriginalStart(e.Resource, zone))
                .OfType<string>().ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        foreach (var stored in calendar.Events)
        {
            var resource = stored.Resource;
            var cancelled = IsCancelled(resource);
            if (cancelled && !showDeleted) continue;
            if (EventResource.Text(resource, "recurringEventId") is { } parent && cancelledMasters.Contains(parent) && !showDeleted) continue;

            var timing = EventTiming.Parse(resource, zone, out _);
            if (timing is null)
            {
                // A tombstone ({id, status: "cancelled"}) has no time; it only shows up when deleted items are asked for.
                if (showDeleted) yield return new ViewItem(resource, null);
                continue;
            }

            if (!RecurringSeries.IsRecurring(resource) || EventResource.Text(resource, "recurringEventId") is not null)
            {
                var span = timing.SpanIn(zone);
                if (span.Overlaps(timeMin, timeMax)) yield return new ViewItem(resource, span);
                continue;
            }

            var overridden = exceptionKeys.GetValueOrDefault(stored.Id) ?? [];
            var occurrences = RecurringSeries.Expand(resource, timing, zone, horizon)
                .Where(o => o.Span.Overlaps(timeMin, timeMax));
            if (!singleEvents)
            {
                if (timeMin is null && timeMax is null || occurrences.Any()) yield return new ViewItem(resource, timing.SpanIn(zone));
                continue;
            }
            if (cancelled) continue; // A deleted series has no instances left.
            foreach (var occurrence in occurrences)
                if (!overridden.Contains(occurrence.InstanceKey))
                    yield return new ViewItem(RecurringSeries.InstanceResource(resource, occurrence), occurrence.Span);
        }
    }

    /// <summary>Endless series are expanded this far past the window start (or now) when no timeMax bounds them.</summary>
    public static Instant Horizon(Instant? timeMin, Instant? timeMax, Instant now) =>
        timeMax ?? Instant.Max(timeMin ?? now, now) + Duration.FromDays(730);

    public static bool IsCancelled(JsonObject resource) => EventResource.Text(resource, "status") == "cancelled";
}
