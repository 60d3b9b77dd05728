using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;

namespace CalendarConnect.Assistant.Dialogue;

/// <summary>
/// The three writes (book, move, cancel). Each is called only by the handler of the topic whose question the customer
/// just answered with an explicit yes (or, for a booking, with the name asked for after it).
/// </summary>
internal static class Writes
{
    public static async Task<Answer> BookAsync(DialogueTurn turn, ProposedAppointment proposal, string name, CancellationToken cancellationToken)
    {
        var state = turn.State;
        var requested = proposal.Start.LocalDateTime;
        // Whatever happens next, the name is known: a retry or the next booking does not ask again.
        var named = state with { PersonName = name, Topic = new Proposing(proposal) };
        var (passed, words, now) = await HasPassedAsync(turn, proposal, cancellationToken);
        if (passed)
            return new Answer(turn.Reply(ReplyTexts.ProposalPassed(requested, words), Intent.Confirm, requested.Date, requested.TimeOfDay, false),
                named.NothingPending());
        try
        {
            var booked = await turn.Calendar.BookAppointmentAsync(proposal.Start, proposal.DurationMinutes, name,
                BookingAssistant.IdempotencyKey(turn.CustomerId, turn.ConversationId, proposal.Start, state.BookingsMade), cancellationToken);
            // The server formats the start in the company's zone, so its local time is the company's.
            var start = booked.Start.LocalDateTime;
            var remembered = state.Booked.Where(a => a.EventId != booked.EventId).Append(new RememberedAppointment(booked.EventId, start));
            return new Answer(turn.Reply(ReplyTexts.Booked(start, words), Intent.Confirm, start.Date, start.TimeOfDay, true),
                named.On(new Idle(booked.EventId)).Remembering(remembered, now) with { BookingsMade = state.BookingsMade + 1 });
        }
        catch (BookingRefusedException ex)
        {
            // The server formats alternatives in the company's zone (each with its own offset, right across a DST
            // change), so their local date and time are what the customer should read.
            var alternatives = ex.Alternatives.Select(a => a.LocalDateTime)
                .Take(Availability.AlternativesOffered + 1)
                .ToList();
            // The reply's alternatives are times of the requested day (the field's contract); the text names every offer.
            var sameDay = alternatives.Where(a => a.Date == requested.Date).Select(a => a.TimeOfDay).ToList();
            // They are offered like any other: "sí" to the only one, or "la primera", checks it and proposes it.
            return new Answer(turn.Reply(ReplyTexts.NotBooked(ex.Code, requested, alternatives, words), Intent.Confirm, requested.Date,
                requested.TimeOfDay, false, sameDay, alternatives), named.On(new OfferingChoices(alternatives), new DiscussedTime(requested.Date)));
        }
        catch (CalendarUnavailableException ex)
        {
            // Not connected, needs re-authorisation...: the proposal stays, so once the company fixes it a "sí" books.
            return new Answer(turn.Reply(ReplyTexts.CalendarUnavailable(ex.Code, words), Intent.Confirm, requested.Date, requested.TimeOfDay), named);
        }
        catch (WriteUnconfirmedException)
        {
            // Asked several times with the same idempotency key, never told whether it was made. Keeping the proposal
            // lets the next "sí" send that key again, which returns the booking if it exists and never makes a second one.
            return new Answer(turn.Reply(ReplyTexts.BookingUnconfirmed(requested, words), Intent.Confirm, requested.Date, requested.TimeOfDay), named);
        }
    }

    public static async Task<Answer> MoveAsync(DialogueTurn turn, ProposedAppointment proposal, RememberedAppointment moving,
        CancellationToken cancellationToken)
    {
        var state = turn.State;
        var requested = proposal.Start.LocalDateTime;
        var (passed, words, now) = await HasPassedAsync(turn, proposal, cancellationToken);
        if (passed)
            return new Answer(turn.Reply(ReplyTexts.ProposalPassed(requested, words), Intent.Reschedule, requested.Date, requested.TimeOfDay, false),
                state.On(new Moving(moving.EventId)));
        try
        {
            var moved = await turn.Calendar.RescheduleAppointmentAsync(moving.EventId, proposal.Start, cancellationToken);
            // The server formats the new start in the company's zone: its local time is what the customer was offered.
            var start = moved.Start.LocalDateTime;
            var remembered = state.Booked.Select(a => a.EventId == moving.EventId ? new RememberedAppointment(moved.EventId, start) : a);
            return new Answer(turn.Reply(ReplyTexts.Moved(moving.Start, start, words), Intent.Reschedule, start.Date, start.TimeOfDay, true),
                state.On(new Idle(moved.EventId)).Remembering(remembered, now));
        }
        catch (BookingRefusedException ex) when (ex.Code == CalendarErrorCodes.NotFound)
        {
            // The company removed it: forget it, so "¿cuándo es mi turno?" no longer names it.
            var rest = state.Booked.Where(a => a.EventId != moving.EventId).ToList();
            return new Answer(turn.Reply(ReplyTexts.MoveNotFound(moving.Start, words), Intent.Reschedule, moving.Start.Date, moving.Start.TimeOfDay),
                state.NothingPending() with { Appointments = rest });
        }
        catch (BookingRefusedException ex)
        {
            // Taken meanwhile, or no longer within the company's rules: it stays where it was; offer what the server found.
            var alternatives = ex.Alternatives.Select(a => a.LocalDateTime).Take(Availability.AlternativesOffered + 1).ToList();
            var sameDay = alternatives.Where(a => a.Date == requested.Date).Select(a => a.TimeOfDay).ToList();
            return new Answer(turn.Reply(ReplyTexts.NotMoved(moving.Start, requested, alternatives, words), Intent.Reschedule, requested.Date,
                    requested.TimeOfDay, false, sameDay, alternatives),
                state.On(new OfferingChoices(alternatives, moving.EventId), new DiscussedTime(requested.Date)));
        }
        catch (CalendarUnavailableException ex)
        {
            // The proposal stays: once the company reconnects its calendar, a "sí" moves it.
            return new Answer(turn.Reply(ReplyTexts.CalendarUnavailable(ex.Code, words), Intent.Reschedule, requested.Date, requested.TimeOfDay), state);
        }
        catch (WriteUnconfirmedException)
        {
            // Asked several times, never told whether it moved: the proposal stays, and a "sí" asks once more (a
            // repeated move to the same time is answered as done, never moved twice).
            return new Answer(turn.Reply(ReplyTexts.MoveUnconfirmed(requested, words), Intent.Reschedule, requested.Date, requested.TimeOfDay), state);
        }
    }

    public static async Task<Answer> CancelAsync(DialogueTurn turn, RememberedAppointment appointment, CancellationToken cancellationToken)
    {
        var (state, words) = (turn.State, turn.Words);
        var (date, time) = (appointment.Start.Date, appointment.Start.TimeOfDay);
        var rest = state.Booked.Where(a => a.EventId != appointment.EventId).ToList();
        try
        {
            await turn.Calendar.CancelAppointmentAsync(appointment.EventId, cancellationToken);
            return new Answer(turn.Reply(ReplyTexts.Cancelled(appointment.Start, words), Intent.Cancel, date, time),
                state.NothingPending() with { Appointments = rest });
        }
        catch (BookingRefusedException ex) when (ex.Code == CalendarErrorCodes.NotFound)
        {
            // Already gone (the company removed it): forget it, so "¿cuándo es mi turno?" no longer names it.
            return new Answer(turn.Reply(ReplyTexts.CancelNotFound(appointment.Start, words), Intent.Cancel, date, time),
                state.NothingPending() with { Appointments = rest });
        }
        catch (CalendarUnavailableException ex)
        {
            // The question stays open, so a later "sí" cancels it once the calendar can be used.
            return new Answer(turn.Reply(ReplyTexts.CalendarUnavailable(ex.Code, words), Intent.Cancel, date, time), state);
        }
        catch (WriteUnconfirmedException)
        {
            // Asked several times, never told whether it was cancelled: the question stays, and a "sí" asks once more
            // (cancel_appointment answers an appointment already cancelled as done).
            return new Answer(turn.Reply(ReplyTexts.CancelUnconfirmed(appointment.Start, words), Intent.Cancel, date, time), state);
        }
    }

    /// <summary>
    /// A proposal is kept until answered, so a "sí" may come the next day: a time that has passed is said so rather than
    /// sent to the server (which would refuse it). When the clock cannot be read, the tool call decides.
    /// </summary>
    /// <returns>
    /// Whether it passed, the reply's wording (with the company's year once its clock was read), and the company's local
    /// time (null when it could not be read), which trims the appointments remembered.
    /// </returns>
    private static async Task<(bool Passed, ReplyContext Words, NodaTime.LocalDateTime? Now)> HasPassedAsync(DialogueTurn turn,
        ProposedAppointment proposal, CancellationToken cancellationToken)
    {
        try
        {
            var company = await turn.Calendar.GetCurrentTimeAsync(cancellationToken);
            return (proposal.Start.ToInstant() <= company.Now.ToInstant(), turn.Knowing(company).Words, company.Now.LocalDateTime);
        }
        catch (McpCalendarException)
        {
            return (false, turn.Words, null);
        }
    }
}
