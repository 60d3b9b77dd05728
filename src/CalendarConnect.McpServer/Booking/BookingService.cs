using System.Globalization;
using System.Net;
using System.Text;
using CalendarConnect.McpServer.Availability;
using CalendarConnect.McpServer.Connections;
using CalendarConnect.McpServer.GoogleCalendar;
using NodaTime;

namespace CalendarConnect.McpServer.Booking;

/// <summary>What a booking operation ended with: the appointment, or a problem (for some, nearest alternatives of <see cref="Length"/> are worth offering).</summary>
public sealed record BookingOutcome(Appointment? Appointment, CalendarProblem? Problem, bool OffersAlternatives = false, Duration? Length = null)
{
    public static BookingOutcome Done(Appointment appointment) => new(appointment, null);
    public static BookingOutcome Fail(CalendarProblem problem) => new(null, problem);
}

/// <summary>
/// Booking, cancelling and moving appointments in a company's Google Calendar without double bookings.
/// Book and reschedule take the company's <see cref="BookingLeases"/> lease, then re-check live freeBusy and the
/// <c>appointments</c> table for the exact range (buffers included), then write the event: of overlapping concurrent
/// requests, on any replica, exactly one gets the time. Event ids are derived (<see cref="EventIds"/>), so a retry
/// finds the booking it already made, in our table or, after a lost answer, at Google (409 <c>duplicate</c>).
/// Only appointments in the table, for the calling company, can be cancelled or moved.
/// </summary>
public sealed class BookingService(
    CompanyAvailability availability,
    CompanyCalendar calendar,
    GoogleCalendarClient google,
    AppointmentStore store,
    BookingLeases leases,
    ILogger<BookingService> log)
{
    /// <summary>Our marker in the event's private extended properties: the company that booked it through us.</summary>
    public const string MarkerProperty = "calendarconnect_customer_id";

    public const int AlternativeCount = 3;

    public async Task<BookingOutcome> BookAsync(string customerId, SchedulingContext context, Instant start, Duration length,
        AppointmentDetails details, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var (eventId, existing) = await ChooseEventIdAsync(customerId, start, length, details, idempotencyKey, cancellationToken);
        if (existing is { Status: AppointmentStatus.Confirmed }) return BookingOutcome.Done(existing);
        if (existing is { Status: AppointmentStatus.Cancelled }) return BookingOutcome.Fail(KeyOfCancelledBooking);

        // Hours, notice and horizon need no calendar: refuse before taking the company's lease.
        var verdict = SlotFinder.Check(start, length, context.Rules, [], availability.Now);
        if (verdict != SlotVerdict.Bookable) return Refused(verdict, context);

        var holder = await leases.AcquireAsync(customerId, cancellationToken);
        if (holder is null) return BookingOutcome.Fail(TooBusy);
        try
        {
            return await BookHoldingLeaseAsync(customerId, context, eventId, start, length, details, idempotencyKey, cancellationToken);
        }
        finally
        {
            await leases.ReleaseAsync(customerId, holder);
        }
    }

    private async Task<BookingOutcome> BookHoldingLeaseAsync(string customerId, SchedulingContext context, string eventId, Instant start,
        Duration length, AppointmentDetails details, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var calendarId = context.Settings.CalendarIds[0];
        // Another request with the same id may have finished while this one waited for the lease.
        var existing = await store.GetAsync(customerId, eventId, cancellationToken);
        if (existing is { Status: AppointmentStatus.Confirmed }) return BookingOutcome.Done(existing);
        if (existing is { Status: AppointmentStatus.Cancelled }) return BookingOutcome.Fail(KeyOfCancelledBooking);

        var askedGoogle = false;
        if (existing is { Status: AppointmentStatus.Pending })
        {
            // An earlier attempt stopped between writing its row and recording Google's answer: Google may have the event.
            var (found, problem) = await FindOursAsync(customerId, calendarId, eventId, cancellationToken);
            if (problem is not null) return BookingOutcome.Fail(problem);
            if (found is not null) return await RecordFoundAsync(customerId, calendarId, found, idempotencyKey, details.CustomerName);
            askedGoogle = true;
        }

        var (verdict, busyProblem) = await CheckLiveAsync(customerId, context, start, length, eventId, null, cancellationToken);
        if (busyProblem is not null) return BookingOutcome.Fail(busyProblem);
        if (verdict == SlotVerdict.Busy && !askedGoogle)
        {
            // Busy may be this very booking, made by an attempt whose answer (or whose row) was lost.
            var (found, problem) = await FindOursAsync(customerId, calendarId, eventId, cancellationToken);
            if (problem is not null) return BookingOutcome.Fail(problem);
            if (found is not null) return await RecordFoundAsync(customerId, calendarId, found, idempotencyKey, details.CustomerName);
        }

        if (verdict != SlotVerdict.Bookable) return Refused(verdict!.Value, context);

        // Written before the insert: while Google is being asked, this time is already taken for everyone else.
        var end = start + length;
        await store.SavePendingAsync(customerId, eventId, calendarId, start, end, idempotencyKey, details.CustomerName, cancellationToken);
        var resource = NewEvent(eventId, customerId, context.Zone, start, end, details);
        var (inserted, refusal, insertProblem) = await calendar.EventCallAsync(customerId,
            (token, ct) => google.InsertEventAsync(token, calendarId, resource, ct), cancellationToken);
        if (inserted is not null)
        {
            await store.SaveAsync(customerId, eventId, calendarId, start, end, AppointmentStatus.Confirmed, idempotencyKey, details.CustomerName,
                cancellationToken);
            return BookingOutcome.Done(await store.GetAsync(customerId, eventId, CancellationToken.None) ?? throw new InvalidOperationException("appointment row vanished"));
        }

        if (refusal?.Status == HttpStatusCode.Conflict)
        {
            // 409 duplicate: an earlier insert with this id reached Google (its answer was lost, or a retry repeated it).
            log.LogInformation("Google already has event {EventId} of customer {CustomerId}; using it", eventId, customerId);
            var (found, problem) = await FindOursAsync(customerId, calendarId, eventId, cancellationToken);
            if (found is not null) return await RecordFoundAsync(customerId, calendarId, found, idempotencyKey, details.CustomerName);
            await store.DeletePendingAsync(customerId, eventId);
            return BookingOutcome.Fail(problem ?? (idempotencyKey is null ? SlotRebookedElsewhere : KeyOfCancelledBooking));
        }

        await store.DeletePendingAsync(customerId, eventId);
        return BookingOutcome.Fail(insertProblem ?? CouldNotBook);
    }

    public async Task<BookingOutcome> CancelAsync(string customerId, string eventId, CancellationToken cancellationToken)
    {
        var appointment = await store.GetAsync(customerId, eventId, cancellationToken);
        if (appointment is null or { Status: AppointmentStatus.Pending }) return BookingOutcome.Fail(NotOurs);
        if (appointment.Status == AppointmentStatus.Cancelled) return BookingOutcome.Done(appointment);

        // The lease keeps a cancel from crossing a reschedule of the same appointment.
        var holder = await leases.AcquireAsync(customerId, cancellationToken);
        if (holder is null) return BookingOutcome.Fail(TooBusy);
        try
        {
            appointment = await store.GetAsync(customerId, eventId, cancellationToken);
            if (appointment is null || appointment.Status != AppointmentStatus.Confirmed)
                return appointment is null ? BookingOutcome.Fail(NotOurs) : BookingOutcome.Done(appointment);
            var (_, _, problem) = await calendar.EventCallAsync(customerId,
                (token, ct) => google.DeleteEventAsync(token, appointment.CalendarId, eventId, ct), cancellationToken);
            if (problem is not null) return BookingOutcome.Fail(problem);
            // 404 or 410 also end here: the event is already gone at Google (deleted in Calendar, or an earlier cancel's answer was lost).
            await store.SaveAsync(customerId, eventId, appointment.CalendarId, appointment.Start, appointment.End, AppointmentStatus.Cancelled,
                appointment.IdempotencyKey, appointment.CustomerName, cancellationToken);
            return BookingOutcome.Done(appointment with { Status = AppointmentStatus.Cancelled });
        }
        finally
        {
            await leases.ReleaseAsync(customerId, holder);
        }
    }

    public async Task<BookingOutcome> RescheduleAsync(string customerId, SchedulingContext context, string eventId, Instant newStart,
        CancellationToken cancellationToken)
    {
        var appointment = await store.GetAsync(customerId, eventId, cancellationToken);
        if (appointment is null or { Status: AppointmentStatus.Pending }) return BookingOutcome.Fail(NotOurs);
        if (appointment.Status == AppointmentStatus.Cancelled) return BookingOutcome.Fail(AlreadyCancelled);
        if (appointment.Start == newStart) return BookingOutcome.Done(appointment);
        var length = appointment.End - appointment.Start;
        var verdict = SlotFinder.Check(newStart, length, context.Rules, [], availability.Now);
        if (verdict != SlotVerdict.Bookable) return Refused(verdict, context) with { Length = length };

        var holder = await leases.AcquireAsync(customerId, cancellationToken);
        if (holder is null) return BookingOutcome.Fail(TooBusy);
        try
        {
            appointment = await store.GetAsync(customerId, eventId, cancellationToken);
            if (appointment is not { Status: AppointmentStatus.Confirmed }) return BookingOutcome.Fail(AlreadyCancelled);
            var own = new BusyInterval(appointment.Start, appointment.End);
            var (live, busyProblem) = await CheckLiveAsync(customerId, context, newStart, length, eventId, own, cancellationToken);
            if (busyProblem is not null) return BookingOutcome.Fail(busyProblem);
            if (live != SlotVerdict.Bookable) return Refused(live!.Value, context) with { Length = length };

            var newEnd = newStart + length;
            var patch = new GoogleEvent(null, null, null, null, Time(newStart, context.Zone), Time(newEnd, context.Zone));
            var (patched, refusal, problem) = await calendar.EventCallAsync(customerId,
                (token, ct) => google.PatchEventAsync(token, appointment.CalendarId, eventId, patch, ct), cancellationToken);
            if (problem is not null) return BookingOutcome.Fail(problem);
            if (patched is null || patched.IsCancelled)
            {
                // Deleted in Google Calendar behind our back: it is cancelled, and there is nothing to move.
                log.LogInformation("Event {EventId} of customer {CustomerId} is gone at Google ({Status})", eventId, customerId, (int?)refusal?.Status);
                await store.SaveAsync(customerId, eventId, appointment.CalendarId, appointment.Start, appointment.End, AppointmentStatus.Cancelled,
                    appointment.IdempotencyKey, appointment.CustomerName, cancellationToken);
                return BookingOutcome.Fail(AlreadyCancelled);
            }

            await store.SaveAsync(customerId, eventId, appointment.CalendarId, newStart, newEnd, AppointmentStatus.Confirmed,
                appointment.IdempotencyKey, appointment.CustomerName, cancellationToken);
            return BookingOutcome.Done(appointment with { Start = newStart, End = newEnd });
        }
        finally
        {
            await leases.ReleaseAsync(customerId, holder);
        }
    }

    /// <summary>
    /// The company's appointments starting in [from, to), each with its state at Google when one events.list per
    /// calendar can tell (a person may have deleted or moved it in Google Calendar); our record when Google cannot be read.
    /// </summary>
    public async Task<IReadOnlyList<Appointment>> ListAsync(string customerId, Instant from, Instant to, CancellationToken cancellationToken)
    {
        var appointments = await store.ListAsync(customerId, from, to, cancellationToken);
        var atGoogle = new Dictionary<string, GoogleEvent>(StringComparer.Ordinal);
        foreach (var calendarId in appointments.Select(a => a.CalendarId).Distinct())
        {
            var (page, _, problem) = await calendar.EventCallAsync(customerId,
                (token, ct) => google.ListEventsAsync(token, calendarId, from.ToDateTimeOffset(), to.ToDateTimeOffset(), showDeleted: true, ct),
                cancellationToken);
            if (problem is not null) log.LogInformation("events.list failed for customer {CustomerId}; listing our records only", customerId);
            foreach (var item in page?.Items ?? []) if (item.Id is not null) atGoogle[item.Id] = item;
        }

        return appointments.Select(a =>
        {
            if (!atGoogle.TryGetValue(a.EventId, out var item)) return a;
            if (item.IsCancelled) return a with { Status = AppointmentStatus.Cancelled };
            return TimesOf(item) is var (start, end) ? a with { Start = start, End = end } : a;
        }).ToList();
    }

    /// <summary>Nearest bookable starts around a refused one; none when the calendar cannot be read (the refusal still stands).</summary>
    public async Task<IReadOnlyList<Slot>> AlternativesAsync(string customerId, SchedulingContext context, Instant start, Duration length,
        CancellationToken cancellationToken)
    {
        var (slots, _) = await availability.NearestAlternativesAsync(customerId, context, start, length, AlternativeCount, cancellationToken);
        return slots ?? [];
    }

    /// <summary>The booking's event id, and the row we already have for it. A slot booked and then cancelled or moved gets a new generation.</summary>
    private async Task<(string EventId, Appointment? Existing)> ChooseEventIdAsync(string customerId, Instant start, Duration length,
        AppointmentDetails details, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is not null)
        {
            var id = EventIds.ForKey(customerId, idempotencyKey);
            return (id, await store.GetAsync(customerId, id, cancellationToken));
        }

        for (var generation = 0; ; generation++)
        {
            var id = EventIds.ForSlot(customerId, AppointmentStore.Format(start), (int)length.TotalMinutes, details.CustomerName, generation);
            var existing = await store.GetAsync(customerId, id, cancellationToken);
            // A cancelled booking, or one moved elsewhere since, is not what this request asks for: it is a new booking.
            if (existing is null || (existing.IsActive && existing.Start == start && existing.End == start + length)) return (id, existing);
        }
    }

    /// <summary>
    /// Whether [start, start + length) can be booked now: rules, live freeBusy and our own pending or confirmed
    /// appointments (except <paramref name="exceptEventId"/>), buffers included. For a reschedule the event's own
    /// current time (<paramref name="ownTime"/>) is taken out of freeBusy's answer, which cannot say whose busy time it
    /// is; an event created in Google over exactly that time would be missed, which our own bookings never are (the table).
    /// </summary>
    private async Task<(SlotVerdict? Verdict, CalendarProblem? Problem)> CheckLiveAsync(string customerId, SchedulingContext context, Instant start,
        Duration length, string exceptEventId, BusyInterval? ownTime, CancellationToken cancellationToken)
    {
        var rules = context.Rules;
        var from = start - rules.BufferBefore;
        var to = start + length + rules.BufferAfter;
        var (busy, problem) = await calendar.GetBusyAsync(customerId, from, to, context.Settings.CalendarIds, cancellationToken);
        if (busy is null) return (null, problem);
        var all = ownTime is { } own ? busy.SelectMany(b => Without(b, own)).ToList() : busy.ToList();
        var ours = await store.ActiveOverlappingAsync(customerId, from, to, exceptEventId, cancellationToken);
        all.AddRange(ours.Select(a => new BusyInterval(a.Start, a.End)));
        return (SlotFinder.Check(start, length, rules, all, availability.Now), null);
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

    /// <summary>The event with this id at Google if we made it for this company and it is not cancelled.</summary>
    private async Task<(GoogleEvent? Event, CalendarProblem? Problem)> FindOursAsync(string customerId, string calendarId, string eventId,
        CancellationToken cancellationToken)
    {
        var (found, _, problem) = await calendar.EventCallAsync(customerId,
            (token, ct) => google.GetEventAsync(token, calendarId, eventId, ct), cancellationToken);
        if (problem is not null) return (null, problem);
        if (found is null || found.IsCancelled || found.PrivateProperty(MarkerProperty) != customerId || TimesOf(found) is null) return (null, null);
        return (found, null);
    }

    private async Task<BookingOutcome> RecordFoundAsync(string customerId, string calendarId, GoogleEvent found, string? idempotencyKey, string customerName)
    {
        var (start, end) = TimesOf(found)!.Value;
        await store.SaveAsync(customerId, found.Id!, calendarId, start, end, AppointmentStatus.Confirmed, idempotencyKey, customerName, CancellationToken.None);
        return BookingOutcome.Done(await store.GetAsync(customerId, found.Id!, CancellationToken.None) ?? throw new InvalidOperationException("appointment row vanished"));
    }

    private static (Instant Start, Instant End)? TimesOf(GoogleEvent item) =>
        DateTimeOffset.TryParse(item.Start?.DateTime, CultureInfo.InvariantCulture, DateTimeStyles.None, out var s) &&
        DateTimeOffset.TryParse(item.End?.DateTime, CultureInfo.InvariantCulture, DateTimeStyles.None, out var e)
            ? (Instant.FromDateTimeOffset(s), Instant.FromDateTimeOffset(e))
            : null;

    /// <summary>"Cita: {name}", the details in the description, times in the company's zone, and our private marker.</summary>
    public static GoogleEvent NewEvent(string eventId, string customerId, DateTimeZone zone, Instant start, Instant end, AppointmentDetails details)
    {
        var description = new StringBuilder();
        description.Append("Cliente: ").Append(details.CustomerName).Append('\n');
        if (details.Phone is not null) description.Append("Teléfono: ").Append(details.Phone).Append('\n');
        if (details.Email is not null) description.Append("Email: ").Append(details.Email).Append('\n');
        if (details.Notes is not null) description.Append("Notas: ").Append(details.Notes).Append('\n');
        description.Append("Reservado por CalendarConnect.");
        return new GoogleEvent(eventId, null, $"Cita: {details.CustomerName}", description.ToString(), Time(start, zone), Time(end, zone),
            new EventExtendedProperties(new Dictionary<string, string> { [MarkerProperty] = customerId }));
    }

    private static EventDateTime Time(Instant instant, DateTimeZone zone) => new(IsoTime.Format(instant, zone), TimeZone: zone.Id);

    private BookingOutcome Refused(SlotVerdict verdict, SchedulingContext context)
    {
        var settings = context.Settings;
        var problem = verdict switch
        {
            SlotVerdict.OutsideHours => new CalendarProblem(CalendarProblem.OutsideBusinessHours,
                "That time is outside the company's business hours (the whole appointment must fit within them)."),
            SlotVerdict.TooSoon => new CalendarProblem(CalendarProblem.TooSoon,
                $"That time is too soon or already past: the company takes bookings at least {settings.MinNoticeMinutes} minutes ahead."),
            SlotVerdict.BeyondHorizon => new CalendarProblem(CalendarProblem.BeyondHorizon,
                $"That time is too far ahead: the company takes bookings up to {settings.HorizonDays} days ahead."),
            _ => new CalendarProblem(CalendarProblem.SlotTaken, "That time is already taken."),
        };
        return new BookingOutcome(null, problem, OffersAlternatives: true);
    }

    private static readonly CalendarProblem NotOurs = new(CalendarProblem.NotFound,
        "No appointment with that event_id was booked for this company through this assistant. Use list_appointments to find it.");

    private static readonly CalendarProblem AlreadyCancelled = new(CalendarProblem.NotFound,
        "That appointment was cancelled, so it cannot be moved. Book a new one instead.");

    private static readonly CalendarProblem KeyOfCancelledBooking = new(CalendarProblem.InvalidArgument,
        "This idempotency_key belongs to a booking that was cancelled. Use a new idempotency_key for a new booking.");

    private static readonly CalendarProblem SlotRebookedElsewhere = new(CalendarProblem.SlotTaken,
        "That time could not be booked because the calendar changed meanwhile. Please check the free slots and try again.");

    private static readonly CalendarProblem TooBusy = new(CalendarProblem.CalendarUnavailable,
        "The company's calendar is busy with other bookings right now. Please try again in a moment.");

    private static readonly CalendarProblem CouldNotBook = new(CalendarProblem.CalendarUnavailable,
        "The appointment could not be saved in the company's calendar. Nothing was booked; please try again in a few minutes.");
}
