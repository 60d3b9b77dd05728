using System.Text.Json.Nodes;
using CalendarConnect.GoogleEmulator.Accounts;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>An event or expanded instance as a listing sees it; <see cref="Span"/> is null for time-less tombstones.</summary>
public sealed record ViewItem(JsonObject Resource, EventSpan? Span);

/// <summary>
/// What events.list answers, by the discovery document's rules for singleEvents and showDeleted:
/// <list type="bullet">
/// <item>singleEvents=false: masters, single events and exceptions as stored. Cancelled exceptions of a live series are
/// always listed ("Cancelled instances of recurring events (but not the underlying recurring event) will still be
/// included if showDeleted and singleEvents are both False"); other cancelled events only with showDeleted.</item>
/// <item>singleEvents=true: series expanded into instances, exceptions replacing the instances they stand for; with
/// showDeleted, cancelled exceptions and the instances of a deleted series come back cancelled ("only single
/// instances of deleted events (but not the underlying recurring events) are returned").</item>
/// <item>Incremental sync (syncToken): everything changed since, deletions included. With singleEvents=true a changed
/// series comes as its instances, and instances the change took away (a shortened, moved or deleted series) as
/// cancelled instances.</item>
/// </list>
/// </summary>
public static class CalendarView
{
    public static IEnumerable<ViewItem> Items(
        AccountSnapshot calendar, Instant? timeMin, Instant? timeMax, bool singleEvents, bool showDeleted, Instant horizon)
    {
        var zone = calendar.Zone;
        var series = Masters(calendar);
        var overridden = OverriddenKeys(calendar);

        foreach (var stored in calendar.Events)
        {
            var resource = stored.Resource;
            if (EventResource.Text(resource, "recurringEventId") is { } parent)
            {
                var master = series.GetValueOrDefault(parent);
                var seriesDeleted = master is not null && IsCancelled(master);
                if (IsCancelled(resource) || seriesDeleted)
                {
                    if (!showDeleted && (singleEvents || seriesDeleted)) continue;
                    var span = ExceptionSpan(resource, master, zone);
                    if (span is null || span.Value.Overlaps(timeMin, timeMax))
                        yield return new ViewItem(IsCancelled(resource) ? resource : EventResource.CancelledInstance(resource, Etag(resource)), span);
                    continue;
                }
                if (EventTiming.Parse(resource, zone, out _)?.SpanIn(zone) is { } exceptionSpan && exceptionSpan.Overlaps(timeMin, timeMax))
                    yield return new ViewItem(resource, exceptionSpan);
                continue;
            }

            var cancelled = IsCancelled(resource);
            if (cancelled && !showDeleted) continue;
            var timing = EventTiming.Parse(resource, zone, out _);
            if (timing is null)
            {
                // A tombstone ({id, status: "cancelled"}) has no time; it only shows up when deleted items are asked for.
                if (showDeleted) yield return new ViewItem(resource, null);
                continue;
            }
            if (!RecurringSeries.IsRecurring(resource))
            {
                var span = timing.SpanIn(zone);
                if (span.Overlaps(timeMin, timeMax)) yield return new ViewItem(resource, span);
                continue;
            }

            var skipped = overridden.GetValueOrDefault(stored.Id) ?? [];
            var occurrences = RecurringSeries.Expand(resource, timing, zone, horizon)
                .Where(o => !skipped.Contains(o.InstanceKey) && o.Span.Overlaps(timeMin, timeMax));
            if (!singleEvents)
            {
                if (timeMin is null && timeMax is null || occurrences.Any()) yield return new ViewItem(resource, timing.SpanIn(zone));
                continue;
            }
            foreach (var occurrence in occurrences)
                yield return new ViewItem(
                    cancelled ? RecurringSeries.CancelledInstance(resource, occurrence) : RecurringSeries.InstanceResource(resource, occurrence),
                    occurrence.Span);
        }
    }

    /// <summary>Incremental sync: everything changed after change <paramref name="since"/>.</summary>
    public static IEnumerable<ViewItem> Changes(AccountSnapshot calendar, long since, bool singleEvents, Instant horizon)
    {
        var zone = calendar.Zone;
        var series = Masters(calendar);
        var overridden = OverriddenKeys(calendar);

        foreach (var stored in calendar.Events.Where(e => e.ChangeNumber > since))
        {
            var resource = stored.Resource;
            var parent = EventResource.Text(resource, "recurringEventId");
            var timing = EventTiming.Parse(resource, zone, out _);
            if (!singleEvents || parent is not null || timing is null || !RecurringSeries.IsRecurring(resource))
            {
                var span = timing?.SpanIn(zone) ?? (parent is null ? null : ExceptionSpan(resource, series.GetValueOrDefault(parent), zone));
                yield return new ViewItem(resource, span);
                continue;
            }

            var skipped = overridden.GetValueOrDefault(stored.Id) ?? [];
            var answered = new HashSet<string>(StringComparer.Ordinal);
            if (!IsCancelled(resource))
            {
                foreach (var occurrence in RecurringSeries.Expand(resource, timing, zone, horizon))
                {
                    if (skipped.Contains(occurrence.InstanceKey) || !answered.Add(occurrence.InstanceKey)) continue;
                    yield return new ViewItem(RecurringSeries.InstanceResource(resource, occurrence), occurrence.Span);
                }
            }
            // Every instance the client may hold that the series no longer has: from the schedules it had since, and all
            // of the current one when the series is deleted.
            var gone = stored.PriorVersions.Where(p => p.ReplacedBy > since).Select(p => p.Resource);
            if (IsCancelled(resource)) gone = gone.Append(resource);
            foreach (var version in gone)
            {
                if (EventTiming.Parse(version, zone, out _) is not { } versionTiming) continue;
                foreach (var occurrence in RecurringSeries.Expand(version, versionTiming, zone, horizon))
                {
                    if (skipped.Contains(occurrence.InstanceKey) || !answered.Add(occurrence.InstanceKey)) continue;
                    var instance = RecurringSeries.CancelledInstance(resource, occurrence);
                    yield return new ViewItem(instance, occurrence.Span);
                }
            }
        }
    }

    /// <summary>
    /// Whether changes after <paramref name="since"/> can be answered exactly with singleEvents=true: not when a series
    /// changed its schedule more often since than the emulator remembers (then Google's answer, 410, applies).
    /// </summary>
    public static bool CanExpandChangesSince(AccountSnapshot calendar, long since) =>
        calendar.Events.All(e => e.PriorVersionsTrimmedThrough <= since);

    /// <summary>Endless series are expanded this far past the window start (or now) when no timeMax bounds them.</summary>
    public static Instant Horizon(Instant? timeMin, Instant? timeMax, Instant now) =>
        timeMax ?? Instant.Max(timeMin ?? now, now) + Duration.FromDays(730);

    public static bool IsCancelled(JsonObject resource) => EventResource.Text(resource, "status") == "cancelled";

    private static Dictionary<string, JsonObject> Masters(AccountSnapshot calendar) =>
        calendar.Events.Where(e => RecurringSeries.IsRecurring(e.Resource))
            .GroupBy(e => e.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Resource, StringComparer.Ordinal);

    /// <summary>Per series, the instance keys its stored exceptions (modified or cancelled) stand for.</summary>
    private static Dictionary<string, HashSet<string>> OverriddenKeys(AccountSnapshot calendar) =>
        calendar.Events
            .Where(e => EventResource.Text(e.Resource, "recurringEventId") is not null)
            .GroupBy(e => EventResource.Text(e.Resource, "recurringEventId")!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => RecurringSeries.KeyOfOriginalStart(e.Resource, calendar.Zone))
                .OfType<string>().ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>
    /// Where a cancelled exception, which keeps no start or end, sits: the instance it cancels, i.e. its original
    /// start and the series' length (an instant when the series is unknown).
    /// </summary>
    private static EventSpan? ExceptionSpan(JsonObject exception, JsonObject? master, DateTimeZone zone)
    {
        if (EventTiming.Parse(exception, zone, out _) is { } own) return own.SpanIn(zone);
        if (exception["originalStartTime"] is not JsonObject original) return null;
        var masterTiming = master is null ? null : EventTiming.Parse(master, zone, out _);
        if (EventResource.Text(original, "date") is { } dateText && GoogleTime.TryParseDate(dateText, out var date))
        {
            var days = masterTiming is AllDayTiming allDay ? Math.Max(1, Period.Between(allDay.Start, allDay.End, PeriodUnits.Days).Days) : 1;
            return new AllDayTiming(date, date.PlusDays(days)).SpanIn(zone);
        }
        var originalZone = GoogleTime.TryFindZone(EventResource.Text(original, "timeZone"), out var z) ? z : zone;
        if (!GoogleTime.TryParseEventDateTime(EventResource.Text(original, "dateTime"), originalZone, out var start)) return null;
        var length = masterTiming is TimedTiming timed ? timed.End - timed.Start : Duration.Zero;
        return new EventSpan(start, start + length);
    }

    private static string Etag(JsonObject resource) => EventResource.Text(resource, "etag") ?? "";
}
