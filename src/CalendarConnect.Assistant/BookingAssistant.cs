using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant;

/// <summary>
/// The spec's "Asistente IA" (step 7): answers one customer message of a company's conversation, checking the
/// company's calendar through the MCP Calendar Server when the message names a day or time.
/// </summary>
/// <remarks>
/// The assistant has no clock of its own: "today" is the company's date as the MCP server's
/// <c>get_current_time</c> gives it, the same clock the server uses to leave out slots that have passed.
/// </remarks>
/// <param name="languageModel">The optional LLM mode (<c>ASSISTANT_LLM_ENDPOINT</c>); when set it answers first and these rules take over whenever it fails.</param>
public sealed class BookingAssistant(
    ICalendarAdapter calendar,
    IConversationStore conversations,
    CalendarConnect.Assistant.Llm.LlmBookingEngine? languageModel = null)
{
    public const int MaxConversationIdLength = 200;

    /// <summary>How many free times to offer when the requested one is taken.</summary>
    private const int AlternativesOffered = 2;

    /// <summary>Answers <paramref name="text"/>, never throwing for anything the customer typed.</summary>
    /// <param name="customerId">The company (the spec's <c>customer_id</c>); sent to the MCP server as <c>X-Customer-Id</c>.</param>
    /// <param name="conversationId">The conversation within that company (e.g. a WhatsApp number); may be empty.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="customerId"/> is not a valid id (see <see cref="CustomerIds"/>) or <paramref name="conversationId"/>
    /// is longer than <see cref="MaxConversationIdLength"/>: a caller error the HTTP layer should answer with 400.
    /// </exception>
    public Task<AssistantReply> ReplyAsync(string customerId, string? conversationId, string? text,
        CancellationToken cancellationToken = default) =>
        languageModel is null
            ? ReplyWithRulesAsync(customerId, conversationId, text, cancellationToken)
            : languageModel.ReplyAsync(customerId, conversationId, text, ReplyWithRulesAsync, cancellationToken);

    /// <summary>The rule-based engine: the default, and the LLM mode's fallback on the same conversation state.</summary>
    private async Task<AssistantReply> ReplyWithRulesAsync(string customerId, string? conversationId, string? text,
        CancellationToken cancellationToken)
    {
        CustomerIds.Validate(customerId);
        conversationId ??= "";
        if (conversationId.Length > MaxConversationIdLength)
            throw new ArgumentException($"conversation_id must be at most {MaxConversationIdLength} characters.", nameof(conversationId));

        var parsed = MessageParser.Parse(text);
        var previous = await conversations.GetAsync(customerId, conversationId, cancellationToken);
        var language = parsed.Language ?? previous?.Language ?? Language.Spanish;
        var state = (previous ?? new ConversationState(language)) with { Language = language };

        // One MCP connection serves every tool call of this message; it connects only if a tool is called.
        await using var companyCalendar = calendar.OpenSession(customerId);
        var turn = new Turn(companyCalendar, customerId, conversationId, text, parsed, state);
        var (reply, next) = await AnswerAsync(turn, cancellationToken);
        // Not the caller's token: once a booking is made, forgetting it because the client hung up would be worse.
        await conversations.SetAsync(customerId, conversationId, next, CancellationToken.None);
        return reply;
    }

    /// <summary>One message and what it is answered against.</summary>
    private sealed record Turn(ICalendarSession Calendar, string CustomerId, string ConversationId, string? Text,
        ParsedMessage Parsed, ConversationState State)
    {
        public Language Language => State.Language;
    }

    private async Task<(AssistantReply Reply, ConversationState Next)> AnswerAsync(Turn turn, CancellationToken cancellationToken)
    {
        var (parsed, state, language, intent) = (turn.Parsed, turn.State, turn.Language, turn.Parsed.Intent);

        // A question we asked is answered first: "sí" means yes to it, whatever else "sí" could mean.
        if (state.CancelEventId is { } cancelId && !parsed.MentionsDateOrTime
            && state.Booked.FirstOrDefault(a => a.EventId == cancelId) is { } toCancel)
        {
            return intent switch
            {
                Intent.Confirm or Intent.Cancel => await CancelAsync(turn, toCancel, cancellationToken),
                Intent.Decline => (Reply(ReplyTexts.CancelKept(toCancel.Start, language), language, intent, toCancel.Start.Date, toCancel.Start.TimeOfDay),
                    state.Discussing()),
                Intent.MyAppointment => MyAppointments(turn),
                _ => (Reply(ReplyTexts.ConfirmCancel(toCancel.Start, language), language, intent, toCancel.Start.Date, toCancel.Start.TimeOfDay), state),
            };
        }

        if (state.Proposal is { } proposal && !parsed.MentionsDateOrTime)
        {
            var start = proposal.Start.LocalDateTime;
            if (intent is Intent.Decline or Intent.Cancel)
                return (Reply(ReplyTexts.ProposalDeclined(language), language, intent), state.Discussing());
            if (intent == Intent.MyAppointment) return MyAppointments(turn);
            if (state.AwaitingName)
            {
                // Only a message that says nothing else can be a name: "hola" or "sí" is not one.
                if (intent == Intent.Other && PersonName.Read(turn.Text) is { } name)
                    return await BookAsync(turn, proposal, name, cancellationToken);
                return (Reply(ReplyTexts.NameNotUnderstood(language), language, intent, start.Date, start.TimeOfDay), state);
            }
            if (intent == Intent.Confirm)
            {
                if (state.PersonName is { } known) return await BookAsync(turn, proposal, known, cancellationToken);
                return (Reply(ReplyTexts.AskName(language), language, intent, start.Date, start.TimeOfDay), state with { AwaitingName = true });
            }
            // Anything else leaves the proposal open: nothing is booked without an explicit yes, nor dropped without a no.
            return (Reply(ReplyTexts.ConfirmPending(start, language), language, intent, start.Date, start.TimeOfDay), state);
        }

        // "Cancelar mi turno del jueves" names a day, but it is about the booking, not about a free time.
        if (intent == Intent.Cancel) return AskToCancel(turn);
        if (intent == Intent.MyAppointment) return MyAppointments(turn);

        if (!parsed.MentionsDateOrTime)
        {
            switch (intent)
            {
                case Intent.Greeting:
                    return (Reply(ReplyTexts.Greeting(language), language, intent), state.Discussing());
                case Intent.Confirm when state.Booked.Count > 0:
                    // A second "sí" after the booking (say the first answer was slow to arrive): say what is booked.
                    var last = state.Booked[^1].Start;
                    return (Reply(ReplyTexts.AlreadyBooked(last, language), language, intent, last.Date, last.TimeOfDay), state);
                case Intent.Book or Intent.CheckAvailability:
                    return (Reply(ReplyTexts.AskDate(null, language), language, intent), state.Discussing());
                default:
                    return (Reply(ReplyTexts.Help(language), language, Intent.Other), state);
            }
        }

        // A follow-up names only what changes: "¿y a las 4?" keeps the day, "¿y el viernes?" keeps the hour.
        var time = parsed.Time ?? (parsed.Date is not null ? state.PendingTime : null);
        if (parsed.Date is null && state.PendingDate is null && state.Proposal is null)
        {
            return (Reply(ReplyTexts.AskDate(time, language), language, intent, time: time), state.Discussing(time: time));
        }

        try
        {
            var companyCalendar = turn.Calendar;
            var company = await companyCalendar.GetCurrentTimeAsync(cancellationToken);
            var understood = MessageUnderstanding.Resolve(parsed, company.Now, language);
            if (understood.DateUnrecognised)
                return (Reply(ReplyTexts.DateNotRecognised(language), language, intent, time: time), state.Discussing(time: time));
            // "¿Y a las 4?" after a proposal keeps the proposed day.
            var date = understood.Date ?? state.PendingDate ?? state.Proposal!.Date;
            var today = company.Date;

            if (date < today)
                return (Reply(ReplyTexts.DateInPast(date, language), language, intent, date, time), state.Discussing(time: time));

            var day = await companyCalendar.GetAvailableSlotsAsync(date, cancellationToken);
            var free = day.Slots
                .Select(s => (Start: s.Start.ToInstant().InZone(company.Zone), Slot: s))
                .Where(s => s.Start.Date == date)
                .GroupBy(s => s.Start.TimeOfDay)
                .Select(g => g.First())
                .OrderBy(s => s.Start.TimeOfDay)
                .ToList();
            var freeStarts = free.Select(s => s.Start.TimeOfDay).ToList();

            if (time is not { } requested)
            {
                return (Reply(ReplyTexts.FreeTimesOfDay(date, freeStarts, language), language, intent, date, null, null, freeStarts),
                    state.Discussing(date: date));
            }

            if (free.FirstOrDefault(s => s.Start.TimeOfDay == requested) is { Slot: not null } slot)
            {
                var minutes = (int)(slot.Slot.End.ToInstant() - slot.Slot.Start.ToInstant()).TotalMinutes;
                var offered = new ProposedAppointment(slot.Start.ToOffsetDateTime(), minutes);
                return (Reply(ReplyTexts.Available(language), language, intent, date, requested, true),
                    state.Discussing(date, requested, offered));
            }

            var nearest = freeStarts
                .OrderBy(t => Math.Abs(Period.Between(requested, t, PeriodUnits.Minutes).Minutes))
                .ThenBy(t => t)
                .Take(AlternativesOffered)
                .Order()
                .ToList();

            // Slots are whole hours unless the company set otherwise. When every free start of the day is on the
            // hour, 15:30 is not "busy" but never bookable: say so, and offer the hours around it.
            if (requested.Minute != 0 && freeStarts.Count > 0 && freeStarts.All(t => t.Minute == 0))
            {
                return (Reply(ReplyTexts.StartsOnTheHour(date, requested, nearest, language), language, intent, date, requested, false, nearest),
                    state.Discussing(date, requested));
            }

            return (Reply(ReplyTexts.NotAvailable(date, requested, nearest, language), language, intent, date, requested, false, nearest),
                state.Discussing(date, requested));
        }
        catch (CalendarUnavailableException ex)
        {
            // The server's message is for the operator (the adapter logged it); the customer hears what the code means.
            return (Reply(ReplyTexts.CalendarUnavailable(ex.Code, language), language, intent, time: time), state);
        }
        catch (McpServerUnavailableException)
        {
            // The adapter has already logged the cause; the customer only needs to know to try again later.
            return (Reply(ReplyTexts.CalendarUnreachable(language), language, intent, time: time), state);
        }
    }

    private async Task<(AssistantReply Reply, ConversationState Next)> BookAsync(Turn turn, ProposedAppointment proposal, string name,
        CancellationToken cancellationToken)
    {
        var (state, language) = (turn.State, turn.Language);
        var requested = proposal.Start.LocalDateTime;
        // Whatever happens next, the name is known: a retry or the next booking does not ask again.
        var named = state with { PersonName = name, AwaitingName = false };
        try
        {
            var booked = await turn.Calendar.BookAppointmentAsync(proposal.Start, proposal.DurationMinutes, name,
                IdempotencyKey(turn.CustomerId, turn.ConversationId, proposal.Start, state.BookingsMade), cancellationToken);
            // The server formats the start in the company's zone, so its local time is the company's.
            var start = booked.Start.LocalDateTime;
            var remembered = state.Booked.Where(a => a.EventId != booked.EventId).Append(new RememberedAppointment(booked.EventId, start)).ToList();
            return (Reply(ReplyTexts.Booked(start, language), language, Intent.Confirm, start.Date, start.TimeOfDay, true),
                named.Discussing() with { Appointments = remembered, BookingsMade = state.BookingsMade + 1 });
        }
        catch (BookingRefusedException ex)
        {
            // The server formats alternatives in the company's zone (each with its own offset, right across a DST
            // change), so their local date and time are what the customer should read.
            var alternatives = ex.Alternatives.Select(a => a.LocalDateTime)
                .Take(AlternativesOffered + 1)
                .ToList();
            // The reply's alternatives are times of the requested day (the field's contract); the text names every offer.
            var sameDay = alternatives.Where(a => a.Date == requested.Date).Select(a => a.TimeOfDay).ToList();
            return (Reply(ReplyTexts.NotBooked(ex.Code, requested, alternatives, language), language, Intent.Confirm, requested.Date,
                requested.TimeOfDay, false, sameDay), named.Discussing(date: requested.Date));
        }
        catch (CalendarUnavailableException ex)
        {
            // Not connected, needs re-authorisation...: the proposal stays, so once the company fixes it a "sí" books.
            return (Reply(ReplyTexts.CalendarUnavailable(ex.Code, language), language, Intent.Confirm, requested.Date, requested.TimeOfDay), named);
        }
        catch (McpServerUnavailableException)
        {
            // The booking may or may not have been made. Keeping the proposal lets a repeated "sí" send the same
            // idempotency key, which returns the booking if it exists and never makes a second one.
            return (Reply(ReplyTexts.BookingUnreachable(language), language, Intent.Confirm, requested.Date, requested.TimeOfDay), named);
        }
    }

    private static (AssistantReply Reply, ConversationState Next) AskToCancel(Turn turn)
    {
        var (state, language) = (turn.State, turn.Language);
        // "Mi turno": with several, the earliest one is the one people mean; they can ask again for the next.
        if (state.Booked.OrderBy(a => a.Start).FirstOrDefault() is not { } appointment)
            return (Reply(ReplyTexts.NoAppointment(language), language, Intent.Cancel), state.Discussing());
        return (Reply(ReplyTexts.ConfirmCancel(appointment.Start, language), language, Intent.Cancel, appointment.Start.Date, appointment.Start.TimeOfDay),
            state.Discussing() with { CancelEventId = appointment.EventId });
    }

    private async Task<(AssistantReply Reply, ConversationState Next)> CancelAsync(Turn turn, RememberedAppointment appointment,
        CancellationToken cancellationToken)
    {
        var (state, language) = (turn.State, turn.Language);
        var (date, time) = (appointment.Start.Date, appointment.Start.TimeOfDay);
        var rest = state.Booked.Where(a => a.EventId != appointment.EventId).ToList();
        try
        {
            await turn.Calendar.CancelAppointmentAsync(appointment.EventId, cancellationToken);
            return (Reply(ReplyTexts.Cancelled(appointment.Start, language), language, Intent.Cancel, date, time),
                state.Discussing() with { Appointments = rest });
        }
        catch (BookingRefusedException ex) when (ex.Code == CalendarErrorCodes.NotFound)
        {
            // Already gone (the company removed it): forget it, so "¿cuándo es mi turno?" no longer names it.
            return (Reply(ReplyTexts.CancelNotFound(appointment.Start, language), language, Intent.Cancel, date, time),
                state.Discussing() with { Appointments = rest });
        }
        catch (CalendarUnavailableException ex)
        {
            // The question stays open, so a later "sí" cancels it once the calendar can be used.
            return (Reply(ReplyTexts.CalendarUnavailable(ex.Code, language), language, Intent.Cancel, date, time), state);
        }
        catch (McpServerUnavailableException)
        {
            // cancel_appointment is idempotent: a later "sí" retries it safely.
            return (Reply(ReplyTexts.CalendarUnreachable(language), language, Intent.Cancel, date, time), state);
        }
    }

    /// <summary>Answers from what this conversation booked; the proposal or question in progress stays open.</summary>
    private static (AssistantReply Reply, ConversationState Next) MyAppointments(Turn turn)
    {
        var (state, language) = (turn.State, turn.Language);
        var starts = state.Booked.Select(a => a.Start).Order().ToList();
        if (starts.Count == 0) return (Reply(ReplyTexts.NoAppointment(language), language, Intent.MyAppointment), state);
        return (Reply(ReplyTexts.YourAppointments(starts, language), language, Intent.MyAppointment, starts[0].Date, starts[0].TimeOfDay), state);
    }

    /// <summary>
    /// The <c>idempotency_key</c> of a booking: the company, the conversation, the proposed start and how many
    /// bookings the conversation made before. A repeated "sí" (or a retry after a timeout) sends the same key, so the
    /// server returns the booking it already made; the counter gives a new key to a later, new booking of the same
    /// time (after a cancellation), which the server would otherwise refuse as the key of a cancelled booking.
    /// Hashed because a conversation id may be up to 200 characters of anything, and the key allows 200 printable ones.
    /// </summary>
    internal static string IdempotencyKey(string customerId, string conversationId, OffsetDateTime start, int bookingsMade)
    {
        var material = string.Join("\n", customerId, conversationId,
            NodaTime.Text.InstantPattern.ExtendedIso.Format(start.ToInstant()), bookingsMade.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(material));
        return "assistant-" + Convert.ToHexStringLower(hash);
    }

    private static AssistantReply Reply(string text, Language language, Intent intent, LocalDate? date = null,
        LocalTime? time = null, bool? available = null, IReadOnlyList<LocalTime>? alternatives = null) =>
        new(text, language.Code(), intent.Code(), date?.ToString("yyyy-MM-dd", null),
            time is { } t ? ReplyTexts.Hhmm(t) : null, available,
            alternatives?.Select(ReplyTexts.Hhmm).ToList() ?? []);
}
