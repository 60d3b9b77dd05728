using System.Globalization;
using System.Net;
using System.Text;
using CalendarConnect.McpServer.Availability;
using CalendarConnect.McpServer.Connections;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.McpServer.Mirror;
using CalendarConnect.McpServer.OAuth;
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
/// Book and reschedule take the <see cref="BookingLeases"/> lease of the Google calendar they write to (shared by every
/// company connected to it, <see cref="CalendarKeys"/>), then re-check live freeBusy and the <c>appointments</c> table
/// for the exact range (buffers included), then write the event: of overlapping concurrent requests, on any replica and
/// for any company on that calendar, exactly one gets the time. Event ids are derived (<see cref="EventIds"/>), so a retry
/// finds the booking it already made, in our table or, after a lost answer, at Google (409 <c>duplicate</c>).
/// Only appointments in the table, for the calling company, can be cancelled or moved. What Google answers to each write
/// goes into the busy-time mirror at once (<see cref="CalendarMirror.RecordOwnWriteAsync"/>).
/// </summary>
public sealed class BookingService(
    CompanyAvailability availability,
    CompanyCalendar calendar,
    GoogleCalendarClient google,
    AppointmentStore store,
    BookingLeases leases,
    CalendarMirror mirror,
    ILogger<BookingService> log)
{
    /// <summary>Our marker in the event's private extended properties: the company that booked it through us.</summary>
    public const string MarkerProperty = "calendarconnect_customer_id";

    public const int AlternativeCount = 3;

    public async Task<BookingOutcome> BookAsync(string customerId, SchedulingContext context, Instant start, Duration length,
        AppointmentDetails details, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var requestHash = EventIds.RequestHash(AppointmentStore.Format(start), (int)length.TotalMinutes, details.CustomerName);
        var (eventId, existing) = await ChooseEventIdAsync(customerId, start, length, details, idempotencyKey, cancellationToken);
        if (IsOtherRequest(existing, requestHash)) return BookingOutcome.Fail(KeyOfOtherBooking);
        if (existing is { Status: AppointmentStatus.Confirmed }) return BookingOutcome.Done(existing);
        if (existing is { Status: AppointmentStatus.Cancelled }) return BookingOutcome.Fail(KeyOfCancelledBooking);

        // Hours, notice and horizon need no calendar: refuse before taking the calendar's lease.
        var verdict = SlotFinder.Check(start, length, context.Rules, [], availability.Now);
        if (verdict != SlotVerdict.Bookable) return Refused(verdict, context);

        // A pending row written before the work was cut stays: a retry with the same arguments finds it (and the event, if made).
        return await UnderLeaseAsync(customerId, context.Settings.CalendarIds[0], $"Booking {eventId}", Unconfirmed,
            (lease, ct) => BookHoldingLeaseAsync(lease, customerId, context, eventId, start, length, details, idempotencyKey, requestHash,
                cancellationToken, ct),
            cancellationToken);
    }

    /// <summary>
    /// Runs one booking change under the lease of the Google calendar it writes to (<see cref="CalendarKeys"/>: shared by
    /// every company that books into it), in line for at most <see cref="BookingBudget.LeaseWait"/> (then "busy",
    /// nothing done). The work is cut when the lease is lost (then <paramref name="whenCut"/>: the change may or may not
    /// have been made), or by the tool deadline at the end of <see cref="BookingBudget.Total"/>, which answers the same.
    /// A caller that is gone is not given the lease.
    /// </summary>
    private async Task<BookingOutcome> UnderLeaseAsync(string customerId, string calendarId, string what, CalendarProblem whenCut,
        Func<BookingLease, CancellationToken, Task<BookingOutcome>> work, CancellationToken cancellationToken)
    {
        var (connection, problem) = await calendar.GetStoredConnectionAsync(customerId, cancellationToken);
        if (connection is null) return BookingOutcome.Fail(problem ?? CouldNotBook);
        var leaseKey = CalendarKeys.For(connection.CalendarEmail, customerId, calendarId);
        await using var lease = await leases.AcquireAsync(leaseKey, customerId, BookingBudget.LeaseWait, cancellationToken);
        if (lease is null) return BookingOutcome.Fail(TooBusy);
        using var working = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        try
        {
            return await work(lease, working.Token);
        }
        catch (OperationCanceledException) when (lease.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            log.LogWarning("{What} of customer {CustomerId} was cut: its booking lease was lost", what, customerId);
            return BookingOutcome.Fail(whenCut);
        }
    }

    /// <param name="callerToken">The caller's own cancellation: a caller that is gone gets no write sent to Google.</param>
    private async Task<BookingOutcome> BookHoldingLeaseAsync(BookingLease lease, string customerId, SchedulingContext context, string eventId, Instant start,
        Duration length, AppointmentDetails details, string? idempotencyKey, string requestHash, CancellationToken callerToken,
        CancellationToken cancellationToken)
    {
        var calendarId = context.Settings.CalendarIds[0];
        // Another request with the same id may have finished while this one waited for the lease.
        var existing = await store.GetAsync(customerId, eventId, cancellationToken);
        if (IsOtherRequest(existing, requestHash)) return BookingOutcome.Fail(KeyOfOtherBooking);
        if (existing is { Status: AppointmentStatus.Confirmed }) return BookingOutcome.Done(existing);
        if (existing is { Status: AppointmentStatus.Cancelled }) return BookingOutcome.Fail(KeyOfCancelledBooking);

        var askedGoogle = false;
        if (existing is { Status: AppointmentStatus.Pending })
        {
            // An earlier attempt stopped between writing its row and recording Google's answer: Google may have the event.
            var (found, problem) = await FindOursAsync(customerId, calendarId, eventId, cancellationToken);
            if (problem is not null) return BookingOutcome.Fail(problem);
            if (found is not null) return await RecordFoundAsync(customerId, calendarId, found, idempotencyKey, details.CustomerName, requestHash);
            askedGoogle = true;
        }

        var (verdict, busyProblem) = await CheckLiveAsync(customerId, context, start, length, eventId, null, cancellationToken);
        if (busyProblem is not null) return BookingOutcome.Fail(busyProblem);
        if (verdict == SlotVerdict.Busy && !askedGoogle)
        {
            // Busy may be this very booking, made by an attempt whose answer (or whose row) was lost.
            var (found, problem) = await FindOursAsync(customerId, calendarId, eventId, cancellationToken);
            if (problem is not null) return BookingOutcome.Fail(problem);
            if (found is not null) return await RecordFoundAsync(customerId, calendarId, found, idempotencyKey, details.CustomerName, requestHash);
        }

        if (verdict != SlotVerdict.Bookable) return Refused(verdict!.Value, context);

        // Written before the insert, and only while the lease is still ours: while Google is being asked, this time is
        // already taken for everyone else, and nobody else can have checked the range meanwhile.
        var end = start + length;
        cancellationToken.ThrowIfCancellationRequested();
        if (!await store.TrySaveUnderLeaseAsync(lease, customerId, eventId, calendarId, start, end, AppointmentStatus.Pending, idempotencyKey,
                details.CustomerName, requestHash, cancellationToken))
            return BookingOutcome.Fail(LeaseLost);
        if (callerToken.IsCancellationRequested)
        {
            // The caller went away while the time was being checked: nothing is sent to Google, and the time is given back.
            await store.DeletePendingAsync(customerId, eventId);
            callerToken.ThrowIfCancellationRequested();
        }

        var resource = NewEvent(eventId, customerId, context.Zone, start, end, details);
        var (inserted, refusal, insertProblem) = await calendar.EventCallAsync(customerId,
            (token, ct) => google.InsertEventAsync(token, calendarId, resource, ct), cancellationToken);
        if (inserted is not null)
        {
            await store.SaveAsync(customerId, eventId, calendarId, start, end, AppointmentStatus.Confirmed, idempotencyKey, details.CustomerName,
                cancellationToken, requestHash);
            await mirror.RecordOwnWriteAsync(customerId, calendarId, eventId, inserted, context.Zone);
            return BookingOutcome.Done(await store.GetAsync(customerId, eventId, CancellationToken.None) ?? throw new InvalidOperationException("appointment row vanished"));
        }

        if (refusal?.Status == HttpStatusCode.Conflict)
        {
            // 409 duplicate: an earlier insert with this id reached Google (its answer was lost, or a retry repeated it).
            log.LogInformation("Google already has event {EventId} of customer {CustomerId}; using it", eventId, customerId);
            var (found, problem) = await FindOursAsync(customerId, calendarId, eventId, cancellationToken);
            if (found is not null) return await RecordFoundAsync(customerId, calendarId, found, idempotencyKey, details.CustomerName, requestHash);
            await store.DeletePendingAsync(customerId, eventId);
            return BookingOutcome.Fail(problem ?? (idempotencyKey is null ? SlotRebookedElsewhere : KeyOfCancelledBooking));
        }

        // The insert failed, but a timeout or a lost answer may hide an event Google did create: ask for it by its id.
        var (made, checkProblem) = await FindOursAsync(customerId, calendarId, eventId, cancellationToken);
        if (made is not null) return await RecordFoundAsync(customerId, calendarId, made, idempotencyKey, details.CustomerName, requestHash);
        if (checkProblem is null)
        {
            await store.DeletePendingAsync(customerId, eventId);
            return BookingOutcome.Fail(insertProblem ?? CouldNotBook);
        }

        // Unknown: the pending row stays (it keeps the time taken), and a retry with the same id settles it.
        log.LogWarning("Booking {EventId} of customer {CustomerId}: insert failed and the event could not be looked up", eventId, customerId);
        return BookingOutcome.Fail(Unconfirmed);
    }

    /// <summary>An idempotency key already used for a booking with another start, length or name (rows from before migration 10 have no hash).</summary>
    private static bool IsOtherRequest(Appointment? existing, string requestHash) =>
        existing is { IdempotencyKey: not null, RequestHash: { } stored } && stored != requestHash;

    public async Task<BookingOutcome> CancelAsync(string customerId, string eventId, CancellationToken cancellationToken)
    {
        var appointment = await store.GetAsync(customerId, eventId, cancellationToken);
        if (appointment is null or { Status: AppointmentStatus.Pending }) return BookingOutcome.Fail(NotOurs);
        if (appointment.Status == AppointmentStatus.Cancelled) return BookingOutcome.Done(appointment);

        // The lease keeps a cancel from crossing a reschedule of the same appointment.
        return await UnderLeaseAsync(customerId, appointment.CalendarId, $"Cancel of {eventId}", CancelUnconfirmed,
            (_, ct) => CancelHoldingLeaseAsync(customerId, eventId, cancellationToken, ct), cancellationToken);
    }

    private async Task<BookingOutcome> CancelHoldingLeaseAsync(string customerId, string eventId, CancellationToken callerToken,
        CancellationToken cancellationToken)
    {
        var appointment = await store.GetAsync(customerId, eventId, cancellationToken);
        if (appointment is null || appointment.Status != AppointmentStatus.Confirmed)
            return appointment is null ? BookingOutcome.Fail(NotOurs) : BookingOutcome.Done(appointment);
        callerToken.ThrowIfCancellationRequested();
        var (_, _, problem) = await calendar.EventCallAsync(customerId,
            (token, ct) => google.DeleteEventAsync(token, appointment.CalendarId, eventId, ct), cancellationToken);
        if (problem is not null) return BookingOutcome.Fail(problem);
        // 404 or 410 also end here: the event is already gone at Google (deleted in Calendar, or an earlier cancel's answer was lost).
        await store.SaveAsync(customerId, eventId, appointment.CalendarId, appointment.Start, appointment.End, AppointmentStatus.Cancelled,
            appointment.IdempotencyKey, appointment.CustomerName, cancellationToken);
        await mirror.RecordOwnWriteAsync(customerId, appointment.CalendarId, eventId, null, DateTimeZone.Utc);
        return BookingOutcome.Done(appointment with { Status = AppointmentStatus.Cancelled });
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

        // A hold written before the work was cut stays until it is stale; the move may or may not have happened.
        return await UnderLeaseAsync(customerId, appointment.CalendarId, $"Reschedule of {eventId}", MoveUnconfirmed,
            (lease, ct) => RescheduleHoldingLeaseAsync(lease, customerId, context, eventId, newStart, length, cancellationToken, ct), cancellationToken);
    }

    private async Task<BookingOutcome> RescheduleHoldingLeaseAsync(BookingLease lease, string customerId, SchedulingContext context, string eventId,
        Instant newStart, Duration length, CancellationToken callerToken, CancellationToken cancellationToken)
    {
        var appointment = await store.GetAsync(customerId, eventId, cancellationToken);
        if (appointment is not { Status: AppointmentStatus.Confirmed }) return BookingOutcome.Fail(AlreadyCancelled);
        var own = new BusyInterval(appointment.Start, appointment.End);
        var (live, busyProblem) = await CheckLiveAsync(customerId, context, newStart, length, eventId, own, cancellationToken);
        if (busyProblem is not null) return BookingOutcome.Fail(busyProblem);
        if (live != SlotVerdict.Bookable) return Refused(live!.Value, context) with { Length = length };

        // The new time is taken (a hold, written only while the lease is ours) before Google is asked to move the event,
        // as a booking's pending row is: a concurrent booking that takes the lease next sees it.
        var newEnd = newStart + length;
        cancellationToken.ThrowIfCancellationRequested();
        if (!await store.TrySaveUnderLeaseAsync(lease, customerId, EventIds.HoldFor(eventId), appointment.CalendarId, newStart, newEnd,
                AppointmentStatus.Hold, null, appointment.CustomerName, null, cancellationToken))
            return BookingOutcome.Fail(LeaseLost);
        if (callerToken.IsCancellationRequested)
        {
            // The caller went away while the time was being checked: Google is not asked to move anything.
            await store.DeleteHoldAsync(customerId, eventId);
            callerToken.ThrowIfCancellationRequested();
        }

        var patch = new GoogleEvent(null, null, null, null, Time(newStart, context.Zone), Time(newEnd, context.Zone));
        var (patched, refusal, problem) = await calendar.EventCallAsync(customerId,
            (token, ct) => google.PatchEventAsync(token, appointment.CalendarId, eventId, patch, ct), cancellationToken);
        if (problem is not null)
        {
            // A timeout or a lost answer may hide a move that happened: Google's copy says where the event is.
            var (current, checkProblem) = await FindOursAsync(customerId, appointment.CalendarId, eventId, cancellationToken);
            if (current is null || checkProblem is not null)
            {
                if (checkProblem is null) await store.DeleteHoldAsync(customerId, eventId);
                return BookingOutcome.Fail(checkProblem is null ? problem : MoveUnconfirmed);
            }

            patched = current;
        }

        if (patched is null || patched.IsCancelled)
        {
            // Deleted in Google Calendar behind our back: it is cancelled, and there is nothing to move.
            log.LogInformation("Event {EventId} of customer {CustomerId} is gone at Google ({Status})", eventId, customerId, (int?)refusal?.Status);
            await store.SaveAsync(customerId, eventId, appointment.CalendarId, appointment.Start, appointment.End, AppointmentStatus.Cancelled,
                appointment.IdempotencyKey, appointment.CustomerName, CancellationToken.None);
            await store.DeleteHoldAsync(customerId, eventId);
            await mirror.RecordOwnWriteAsync(customerId, appointment.CalendarId, eventId, null, context.Zone);
            return BookingOutcome.Fail(AlreadyCancelled);
        }

        if (TimesOf(patched) is var (atStart, atEnd) && (atStart, atEnd) != (newStart, newEnd))
        {
            // Found after a failed patch, still at its old time (or moved by a person): nothing was moved by us.
            await store.DeleteHoldAsync(customerId, eventId);
            return BookingOutcome.Fail(problem ?? CouldNotMove);
        }

        // The row moves first, then the hold goes: in between both block the new time, never neither.
        await store.SaveAsync(customerId, eventId, appointment.CalendarId, newStart, newEnd, AppointmentStatus.Confirmed,
            appointment.IdempotencyKey, appointment.CustomerName, CancellationToken.None);
        await store.DeleteHoldAsync(customerId, eventId);
        await mirror.RecordOwnWriteAsync(customerId, appointment.CalendarId, eventId, patched, context.Zone);
        return BookingOutcome.Done(appointment with { Start = newStart, End = newEnd });
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

        var listed = new List<Appointment>(appointments.Count);
        foreach (var a in appointments)
        {
            var current = !atGoogle.TryGetValue(a.EventId, out var item) ? a
                : item.IsCancelled ? a with { Status = AppointmentStatus.Cancelled }
                : TimesOf(item) is var (start, end) ? a with { Start = start, End = end } : a;
            // Deleted or moved in Google Calendar: the table follows, so the freed time is offered again and a moved
            // appointment blocks its new time, not its old one.
            if (current != a && a.Status == AppointmentStatus.Confirmed)
            {
                log.LogInformation("Appointment {EventId} of customer {CustomerId} changed in Google Calendar; recorded", a.EventId, customerId);
                await store.SaveAsync(customerId, a.EventId, a.CalendarId, current.Start, current.End, current.Status, a.IdempotencyKey, a.CustomerName,
                    CancellationToken.None);
            }

            listed.Add(current);
        }

        return listed;
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
        // The same busy time the slot tools offer from (freeBusy and our table, buffers both ways), so they never disagree.
        var (busy, problem) = await availability.GetBusyAsync(customerId, context, start - rules.BufferBefore, start + length + rules.BufferAfter,
            exceptEventId, ownTime, cancellationToken);
        if (busy is null) return (null, problem);
        return (SlotFinder.Check(start, length, rules, busy, availability.Now), null);
    }

    /// <summary>The event with this id at Google if we made it for this company and it is not cancelled.</summary>
    private async Task<(GoogleEvent? Event, CalendarProblem? Problem)> FindOursAsync(string customerId, string calendarId, string eventId,
        CancellationToken cancellationToken)
    {
        var (found, _, problem) = await calendar.EventCallAsync(customerId,
            (token, ct) => google.GetEventAsync(token, calendarId, eventId, ct), cancellationToken);
        if (problem is not null) return (null, problem);
        if (found is null || found.IsCancelled || !CustomerIds.SameCompany(found.PrivateProperty(MarkerProperty), customerId) || TimesOf(found) is null) return (null, null);
        return (found, null);
    }

    private async Task<BookingOutcome> RecordFoundAsync(string customerId, string calendarId, GoogleEvent found, string? idempotencyKey, string customerName,
        string requestHash)
    {
        var (start, end) = TimesOf(found)!.Value;
        await store.SaveAsync(customerId, found.Id!, calendarId, start, end, AppointmentStatus.Confirmed, idempotencyKey, customerName, CancellationToken.None,
            requestHash);
        return BookingOutcome.Done(await store.GetAsync(customerId, found.Id!, CancellationToken.None) ?? throw new InvalidOperationException("appointment row vanished"));
    }

    internal static (Instant Start, Instant End)? TimesOf(GoogleEvent item) =>
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
            SlotVerdict.OutsideHours => new CalendarProblem(CalendarErrorCodes.OutsideBusinessHours,
                "That time is outside the company's business hours (the whole appointment must fit within them)."),
            SlotVerdict.TooSoon => new CalendarProblem(CalendarErrorCodes.TooSoon,
                $"That time is too soon or already past: the company takes bookings at least {settings.MinNoticeMinutes} minutes ahead."),
            SlotVerdict.BeyondHorizon => new CalendarProblem(CalendarErrorCodes.BeyondHorizon,
                $"That time is too far ahead: the company takes bookings up to {settings.HorizonDays} days ahead."),
            _ => new CalendarProblem(CalendarErrorCodes.SlotTaken, "That time is already taken."),
        };
        return new BookingOutcome(null, problem, OffersAlternatives: true);
    }

    private static readonly CalendarProblem NotOurs = new(CalendarErrorCodes.NotFound,
        $"No appointment with that event_id was booked for this company through this assistant. Use {ToolNames.ListAppointments} to find it.");

    private static readonly CalendarProblem AlreadyCancelled = new(CalendarErrorCodes.NotFound,
        "That appointment was cancelled, so it cannot be moved. Book a new one instead.");

    private static readonly CalendarProblem KeyOfCancelledBooking = new(CalendarErrorCodes.InvalidArgument,
        "This idempotency_key belongs to a booking that was cancelled. Use a new idempotency_key for a new booking.");

    private static readonly CalendarProblem KeyOfOtherBooking = new(CalendarErrorCodes.InvalidArgument,
        "This idempotency_key was already used for a different booking (another start, duration or customer_name). Use a new idempotency_key for a new booking.");

    private static readonly CalendarProblem LeaseLost = new(CalendarErrorCodes.CalendarUnavailable,
        "The company's calendar was too slow to answer, so nothing was booked or changed. Please try again.");

    private static readonly CalendarProblem Unconfirmed = new(CalendarErrorCodes.CalendarUnavailable,
        "The company's calendar did not confirm the booking, so it may or may not have been made. Please try again with the same " +
        "arguments and the same idempotency_key: a retry never books twice.");

    private static readonly CalendarProblem MoveUnconfirmed = new(CalendarErrorCodes.CalendarUnavailable,
        "The company's calendar did not confirm the move, so the appointment may or may not have moved. Please try the same change again in a minute.");

    private static readonly CalendarProblem CancelUnconfirmed = new(CalendarErrorCodes.CalendarUnavailable,
        "The company's calendar did not confirm the cancellation, so the appointment may or may not have been cancelled. Please try the same change again in a minute.");

    private static readonly CalendarProblem CouldNotMove = new(CalendarErrorCodes.CalendarUnavailable,
        "The appointment could not be moved in the company's calendar; it stays at its current time. Please try again in a few minutes.");

    private static readonly CalendarProblem SlotRebookedElsewhere = new(CalendarErrorCodes.SlotTaken,
        "That time could not be booked because the calendar changed meanwhile. Please check the free slots and try again.");

    private static readonly CalendarProblem TooBusy = new(CalendarErrorCodes.CalendarUnavailable,
        "The company's calendar is busy with other bookings right now. Please try again in a moment.");

    private static readonly CalendarProblem CouldNotBook = new(CalendarErrorCodes.CalendarUnavailable,
        "The appointment could not be saved in the company's calendar. Nothing was booked; please try again in a few minutes.");
}
