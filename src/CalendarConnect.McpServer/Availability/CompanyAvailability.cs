using CalendarConnect.McpServer.Booking;
using CalendarConnect.McpServer.Connections;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.McpServer.Mirror;
using CalendarConnect.McpServer.OAuth;
using NodaTime;

namespace CalendarConnect.McpServer.Availability;

/// <summary>A company's booking settings with the zone they apply in (the settings' own, or the calendar's).</summary>
public sealed record SchedulingContext(BookingSettings Settings, SlotRules Rules)
{
    public DateTimeZone Zone => Rules.Zone;
}

/// <summary>
/// Availability of one company: its booking settings, its calendars' busy time and the pure <see cref="SlotFinder"/>.
/// The tools and the booking flow both go through here, so "is this start free" and "what is near it" mean the same
/// thing everywhere. Reads (free slots, next slots, alternatives) answer from the busy-time mirror when it is fresh
/// and ask Google's freeBusy live when it is not; the check before a write (<see cref="GetBusyAsync"/>) is always live.
/// Both fail closed: a calendar that cannot be read is an error, never an empty day.
/// </summary>
public sealed class CompanyAvailability(BookingSettingsStore settingsStore, CompanyCalendar calendar, GoogleCalendarClient google,
    AppointmentStore appointments, CalendarMirror mirror, TimeProvider time, ILogger<CompanyAvailability> log)
{
    /// <summary>Days per freeBusy query when searching forward: one query usually answers, and a full week stays small.</summary>
    public const int DaysPerBusyQuery = 7;

    /// <summary>Days on each side of a requested date searched for alternatives.</summary>
    public const int AlternativesDaysAround = 3;

    public Instant Now => Instant.FromDateTimeOffset(time.GetUtcNow());

    /// <summary>
    /// The company's settings and zone, with no access token and no Google: connection status and the calendar's zone
    /// come from the connection cache or the database (the zone is learned when the company connects). Only a
    /// connected company whose zone is still unknown makes Google be asked, within the caller's deadline. Always checks
    /// that the company is connected: a closed day of a disconnected company is "not connected", never an empty day.
    /// </summary>
    public async Task<(SchedulingContext? Context, CalendarProblem? Problem)> GetContextAsync(string customerId, CancellationToken cancellationToken)
    {
        var (calendarZone, problem) = await calendar.GetTimeZoneAsync(customerId, cancellationToken);
        if (calendarZone is null) return (null, problem);
        BookingSettings settings;
        try
        {
            settings = await settingsStore.GetAsync(customerId, cancellationToken);
        }
        catch (InvalidStoredSettingsException)
        {
            // Guessing hours would offer wrong times: every tool answers this error until the settings are saved again.
            return (null, InvalidSettings);
        }

        // The settings' zone was validated when saved; the calendar's is the documented default.
        var zone = settings.TimeZone is { } id ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) ?? calendarZone : calendarZone;
        return (new SchedulingContext(settings, SlotRules.From(settings, zone)), null);
    }

    /// <summary>
    /// The zone the tools answer in, from what is stored here only (the settings' zone, else the calendar's as learned at
    /// connection); null when neither is known yet. Never asks Google: for answers that must not wait on it.
    /// </summary>
    public async Task<string?> StoredTimeZoneAsync(string customerId, CancellationToken cancellationToken)
    {
        try
        {
            if ((await settingsStore.GetAsync(customerId, cancellationToken)).TimeZone is { } settingsZone) return settingsZone;
        }
        catch (InvalidStoredSettingsException)
        {
            // Reported by every tool that computes times; the calendar's own zone is still true.
        }

        return (await calendar.GetStoredConnectionAsync(customerId, cancellationToken)).Connection?.TimeZone;
    }

    private static readonly CalendarProblem InvalidSettings = new(CalendarErrorCodes.CalendarUnavailable,
        "The company's booking settings are invalid, so availability cannot be computed. Ask the administrator to save the booking settings again.");

    /// <summary>Free slots of one local date.</summary>
    public async Task<(IReadOnlyList<Slot>? Slots, CalendarProblem? Problem)> FreeSlotsOnAsync(string customerId, SchedulingContext context,
        LocalDate date, Duration length, CancellationToken cancellationToken)
    {
        var open = SlotFinder.OpenSlots(date, context.Rules, length, Now);
        // Closed, past or beyond the horizon: nothing to ask Google about.
        if (open.Count == 0) return ([], null);
        var (from, to) = SlotFinder.BusyQueryWindow(date, date, context.Rules);
        var (busy, problem) = await ReadBusyAsync(customerId, context, from, to, cancellationToken);
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
            var (busy, problem) = await ReadBusyAsync(customerId, context, queryFrom, queryTo, cancellationToken);
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
        var (busy, problem) = await GetBusyAsync(customerId, context, start - rules.BufferBefore, start + length + rules.BufferAfter, null, null,
            cancellationToken);
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
        var (busy, problem) = await ReadBusyAsync(customerId, context, from, to, cancellationToken);
        if (busy is null) return (null, problem);
        return (SlotFinder.NearestAlternatives(requested, length, rules, busy, now, first, last, count), null);
    }

    /// <summary>
    /// Busy time between two instants: live freeBusy of the company's calendars, and our own pending, held and confirmed
    /// appointments from the table (with those of other companies booking into the same Google calendars), each widened
    /// by the buffers (an appointment of ours takes [start − before, end + after), and a new one's own buffered window
    /// must not overlap it). The table holds bookings in flight that Google does not
    /// show yet, so the slot tools, alternatives and booking all see them. <paramref name="exceptEventId"/> (with its
    /// hold) is left out, and <paramref name="ownTime"/> cut out of freeBusy: a reschedule's own current time.
    /// </summary>
    public async Task<(IReadOnlyList<BusyInterval>? Busy, CalendarProblem? Problem)> GetBusyAsync(string customerId, SchedulingContext context,
        Instant from, Instant to, string? exceptEventId, BusyInterval? ownTime, CancellationToken cancellationToken)
    {
        var (busy, problem) = await calendar.GetBusyAsync(customerId, from, to, context.Settings.CalendarIds, cancellationToken);
        if (busy is null) return (null, problem);
        var all = ownTime is { } own ? busy.SelectMany(b => Without(b, own)).ToList() : busy.ToList();
        var rules = context.Rules;
        // Another company booking into one of these Google calendars takes time in them too, in flight included.
        var account = (await calendar.GetStoredConnectionAsync(customerId, cancellationToken)).Connection?.CalendarEmail;
        var calendarKeys = context.Settings.CalendarIds.Select(id => CalendarKeys.For(account, customerId, id)).ToList();
        // Rows just outside [from, to) still reach into it with their buffers.
        var ours = await appointments.ActiveOverlappingAsync(customerId, calendarKeys, from - rules.BufferAfter, to + rules.BufferBefore, exceptEventId,
            cancellationToken);
        await AddOursAsync(all, ours, rules, cancellationToken);
        return (all, null);
    }

    /// <summary>
    /// Busy time for a read: from the mirror when it is fresh for the whole range (no Google request, no database), else
    /// live as <see cref="GetBusyAsync"/>. Our own appointment rows count either way.
    /// </summary>
    private async Task<(IReadOnlyList<BusyInterval>? Busy, CalendarProblem? Problem)> ReadBusyAsync(string customerId, SchedulingContext context,
        Instant from, Instant to, CancellationToken cancellationToken)
    {
        if (await mirror.TryReadAsync(customerId, context.Settings.CalendarIds, from, to, cancellationToken) is not { } mirrored)
            return await GetBusyAsync(customerId, context, from, to, null, null, cancellationToken);
        var rules = context.Rules;
        var all = mirrored.Busy.ToList();
        var (oursFrom, oursTo) = (from - rules.BufferAfter, to + rules.BufferBefore);
        await AddOursAsync(all, mirrored.Appointments.Where(a => a.Start < oursTo && a.End > oursFrom), rules, cancellationToken);
        return (all, null);
    }

    /// <summary>Our pending, held and confirmed appointments as busy time, each widened by the buffers.</summary>
    private async Task AddOursAsync(List<BusyInterval> busy, IEnumerable<Appointment> ours, SlotRules rules, CancellationToken cancellationToken)
    {
        foreach (var row in ours)
        {
            var current = await ResolveIfStaleAsync(row, cancellationToken);
            if (current is not null) busy.Add(new BusyInterval(current.Start - rules.BufferBefore, current.End + rules.BufferAfter));
        }
    }

    /// <summary>
    /// A pending row or hold older than <see cref="AppointmentStore.StaleAfter"/> is no request in flight any more:
    /// Google says what became of it. A pending booking whose event exists with our marker is confirmed at Google's
    /// times; one Google does not have is forgotten. A stale hold is forgotten (if its move happened, freeBusy shows
    /// the event at its new time). When Google cannot be asked the row stays busy: failing closed.
    /// </summary>
    private async Task<Appointment?> ResolveIfStaleAsync(Appointment row, CancellationToken cancellationToken)
    {
        if (row.Status == AppointmentStatus.Confirmed || row.UpdatedAt > Now - AppointmentStore.StaleAfter) return row;
        if (row.Status == AppointmentStatus.Hold)
        {
            await appointments.DeleteStaleAsync(row);
            return null;
        }

        var (found, refusal, problem) = await calendar.EventCallAsync(row.CustomerId,
            (token, ct) => google.GetEventAsync(token, row.CalendarId, row.EventId, ct), cancellationToken);
        if (problem is not null) return row;
        if (found is not null && !found.IsCancelled && CustomerIds.SameCompany(found.PrivateProperty(BookingService.MarkerProperty), row.CustomerId) &&
            BookingService.TimesOf(found) is var (start, end))
        {
            log.LogInformation("Stale pending booking {EventId} of customer {CustomerId} exists at Google; confirmed", row.EventId, row.CustomerId);
            await appointments.SaveAsync(row.CustomerId, row.EventId, row.CalendarId, start, end, AppointmentStatus.Confirmed, row.IdempotencyKey,
                row.CustomerName, CancellationToken.None);
            return row with { Start = start, End = end, Status = AppointmentStatus.Confirmed };
        }

        log.LogInformation("Stale pending booking {EventId} of customer {CustomerId} is not at Google ({Status}); forgotten", row.EventId, row.CustomerId,
            (int?)refusal?.Status);
        await appointments.DeleteStaleAsync(row);
        return null;
    }

    private static IEnumerable<BusyInterval> Without(BusyInterval busy, BusyInterval own)
    {
        if (own.End <= busy.Start || own.Start >= busy.End)
        {
            yield return busy;
            yield break;
        }

        if (busy.Start < own.Start) yield return new BusyInterval(busy.Start, own.Start);
        if (busy.End > own.End) yield return new BusyInterval(own.End, busy.End);
    }
}
