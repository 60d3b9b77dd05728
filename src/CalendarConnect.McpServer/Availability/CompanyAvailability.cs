using CalendarConnect.McpServer.Connections;
using CalendarConnect.McpServer.GoogleCalendar;
using NodaTime;

namespace CalendarConnect.McpServer.Availability;

/// <summary>A company's booking settings with the zone they apply in (the settings' own, or the calendar's).</summary>
public sealed record SchedulingContext(BookingSettings Settings, SlotRules Rules)
{
    public DateTimeZone Zone => Rules.Zone;
}

/// <summary>
/// Availability of one company: its booking settings, its calendars' busy time (live freeBusy, failing closed) and
/// the pure <see cref="SlotFinder"/>. The tools and the booking flow both go through here, so "is this start
/// free" and "what is near it" mean the same thing everywhere.
/// </summary>
public sealed class CompanyAvailability(BookingSettingsStore settingsStore, CompanyCalendar calendar, TimeProvider time)
{
    /// <summary>Days per freeBusy query when searching forward: one query usually answers, and a full week stays small.</summary>
    public const int DaysPerBusyQuery = 7;

    /// <summary>Days on each side of a requested date searched for alternatives.</summary>
    public const int AlternativesDaysAround = 3;

    public Instant Now => Instant.FromDateTimeOffset(time.GetUtcNow());

    /// <summary>
    /// The company's settings and zone. Always asks for the calendar's zone too (from the connection cache, rarely
    /// from Google), which also checks that the company is connected: a closed day of a disconnected company is
    /// "not connected", never an empty day.
    /// </summary>
    public async Task<(SchedulingContext? Context, CalendarProblem? Problem)> GetContextAsync(string customerId, CancellationToken cancellationToken)
    {
        var (calendarZone, problem) = await calendar.GetTimeZoneAsync(customerId, cancellationToken);
        if (calendarZone is null) return (null, problem);
        var settings = await settingsStore.GetAsync(customerId, cancellationToken);
        // The settings' zone was validated when saved; the calendar's is the documented default.
        var zone = settings.TimeZone is { } id ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) ?? calendarZone : calendarZone;
        return (new SchedulingContext(settings, SlotRules.From(settings, zone)), null);
    }

    /// <summary>Free slots of one local date.</summary>
    public async Task<(IReadOnlyList<Slot>? Slots, CalendarProblem? Problem)> FreeSlotsOnAsync(string customerId, SchedulingContext context,
        LocalDate date, Duration length, CancellationToken cancellationToken)
    {
        var open = SlotFinder.OpenSlots(date, context.Rules, length, Now);
        // Closed, past or beyond the horizon: nothing to ask Google about.
        if (open.Count == 0) return ([], null);
        var (from, to) = SlotFinder.BusyQueryWindow(date, date, context.Rules);
        var (busy, problem) = await calendar.GetBusyAsync(customerId, from, to, context.Settings.CalendarIds, cancellationToken);
        if (busy is null) return (null, problem);
        return (open.Where(s => SlotFinder.IsFree(s, context.Rules, busy)).ToList(), null);
    }

    /// <summary>
    /// The first <paramref name="count"/> free slots starting at or after <paramref name="from"/>, day by day up to
    /// the horizon, keeping only those whose local start time <paramref name="startsAt"/> accepts.
    /// </summary>
    public async Task<(IReadOnlyList<Slot>? Slots, CalendarProblem? Problem)> FindNextAsync(string customerId, SchedulingContext context,
        Instant from, int count, Duration length, Func<LocalTime, bool> startsAt, CancellationToken cancellationToken)
    {
        var rules = context.Rules;
        var now = Now;
        var (earliest, latest) = rules.BookableWindow(now);
        var searchFrom = Instant.Max(from, earliest);
        var found = new List<Slot>();
        if (searchFrom > latest) return (found, null);

        var lastDate = latest.InZone(rules.Zone).Date;
        for (var chunkStart = searchFrom.InZone(rules.Zone).Date; chunkStart <= lastDate && found.Count < count; chunkStart = chunkStart.PlusDays(DaysPerBusyQuery))
        {
            var chunkEnd = LocalDate.Min(chunkStart.PlusDays(DaysPerBusyQuery - 1), lastDate);
            var open = new List<Slot>();
            for (var date = chunkStart; date <= chunkEnd; date = date.PlusDays(1))
                open.AddRange(SlotFinder.OpenSlots(date, rules, length, now)
                    .Where(s => s.Start >= searchFrom && startsAt(s.Start.InZone(rules.Zone).TimeOfDay)));
            if (open.Count == 0) continue;

            var (queryFrom, queryTo) = SlotFinder.BusyQueryWindow(chunkStart, chunkEnd, rules);
            var (busy, problem) = await calendar.GetBusyAsync(customerId, queryFrom, queryTo, context.Settings.CalendarIds, cancellationToken);
            if (busy is null) return (null, problem);
            found.AddRange(open.Where(s => SlotFinder.IsFree(s, rules, busy)).Take(count - found.Count));
        }

        return (found, null);
    }

    /// <summary>Whether this exact start can be booked now for this length, against live busy time.</summary>
    public async Task<(SlotVerdict? Verdict, CalendarProblem? Problem)> CheckStartAsync(string customerId, SchedulingContext context,
        Instant start, Duration length, CancellationToken cancellationToken)
    {
        var rules = context.Rules;
        var now = Now;
        var withoutBusy = SlotFinder.Check(start, length, rules, [], now);
        if (withoutBusy != SlotVerdict.Bookable) return (withoutBusy, null);
        var (busy, problem) = await calendar.GetBusyAsync(customerId, start - rules.BufferBefore, start + length + rules.BufferAfter,
            context.Settings.CalendarIds, cancellationToken);
        if (busy is null) return (null, problem);
        return (SlotFinder.Check(start, length, rules, busy, now), null);
    }

    /// <summary>Up to <paramref name="count"/> free slots nearest to <paramref name="requested"/>, within a few days of it.</summary>
    public async Task<(IReadOnlyList<Slot>? Slots, CalendarProblem? Problem)> NearestAlternativesAsync(string customerId, SchedulingContext context,
        Instant requested, Duration length, int count, CancellationToken cancellationToken)
    {
        var rules = context.Rules;
        var now = Now;
        var (earliest, latest) = rules.BookableWindow(now);
        var requestedDate = requested.InZone(rules.Zone).Date;
        var first = LocalDate.Max(requestedDate.PlusDays(-AlternativesDaysAround), earliest.InZone(rules.Zone).Date);
        var last = LocalDate.Min(requestedDate.PlusDays(AlternativesDaysAround), latest.InZone(rules.Zone).Date);
        if (first > last) return ([], null);
        var (from, to) = SlotFinder.BusyQueryWindow(first, last, rules);
        var (busy, problem) = await calendar.GetBusyAsync(customerId, from, to, context.Settings.CalendarIds, cancellationToken);
        if (busy is null) return (null, problem);
        return (SlotFinder.NearestAlternatives(requested, length, rules, busy, now, first, last, count), null);
    }
}
