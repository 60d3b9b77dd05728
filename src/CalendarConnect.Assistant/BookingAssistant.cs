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
    CalendarConnect.Assistant.Llm.LlmBookingEngine? languageModel = null,
    Microsoft.Extensions.Logging.ILogger<BookingAssistant>? logger = null)
{
    public const int MaxConversationIdLength = 200;

    /// <summary>How many free times to offer when the requested one is taken.</summary>
    private const int AlternativesOffered = 2;

    /// <summary>How many of the next free times to list for "lo antes posible".</summary>
    private const int SoonestOffered = 3;

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
        customerId = CustomerIds.Validate(customerId);
        conversationId ??= "";
        if (conversationId.Length > MaxConversationIdLength)
            throw new ArgumentException($"conversation_id must be at most {MaxConversationIdLength} characters.", nameof(conversationId));

        ReplyTexts.BeginReply();
        var previous = await conversations.GetAsync(customerId, conversationId, cancellationToken);
        // The conversation's language decides what "3/2" means when the message itself shows none.
        if (!MessageParser.TryParse(text, previous?.Language, out var parsed, out var failure) && logger is not null)
            Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(logger,
                "A message for customer {CustomerId} could not be read ({Failure}); it is answered as not understood", customerId, failure!.GetType().Name);
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
                // Only a plain yes cancels: "please don't cancel" holds the cancel word too, and any "no" keeps the appointment.
                Intent.Confirm => await CancelAsync(turn, toCancel, cancellationToken),
                _ when intent == Intent.Decline || MessageParser.HasNegation(turn.Text) => (Reply(ReplyTexts.CancelKept(toCancel.Start, language), language, intent, toCancel.Start.Date, toCancel.Start.TimeOfDay),
                    state.Discussing()),
                Intent.MyAppointment => MyAppointments(turn),
                _ => (Reply(ReplyTexts.ConfirmCancel(toCancel.Start, language), language, intent, toCancel.Start.Date, toCancel.Start.TimeOfDay), state),
            };
        }

        if (state.Proposal is { } proposal && !parsed.MentionsDateOrTime)
        {
            if (state.MoveEventId is { } moveId)
            {
                if (Find(state, moveId) is { } moving) return await AnswerMoveProposalAsync(turn, proposal, moving, cancellationToken);
                // The appointment being moved is no longer remembered: a yes to that move must never become a new booking.
                return (Reply(state.Booked.Count == 0 && intent != Intent.Decline ? ReplyTexts.NoAppointmentToMove(language) : ReplyTexts.NothingChanged(language),
                    language, intent), state.Discussing());
            }

            var start = proposal.Start.LocalDateTime;
            if (intent is Intent.Decline or Intent.Cancel)
                return (Reply(ReplyTexts.ProposalDeclined(language), language, intent), state.Discussing());
            if (intent == Intent.MyAppointment) return MyAppointments(turn);
            if (state.AwaitingName)
            {
                // "Espera" or "mejor otro día" after the yes takes it back: nothing is booked, and it is no name.
                if (PersonName.IsRetraction(turn.Text))
                    return (Reply(ReplyTexts.ProposalDeclined(language), language, Intent.Decline), state.Discussing());
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

        if (state.ChoosingAppointmentToMove)
        {
            if (intent is Intent.Decline)
                return (Reply(ReplyTexts.NothingChanged(language), language, intent), state.Discussing());
            if (ByPosition(state, turn.Text) is { } picked)
                return (Reply(ReplyTexts.AskNewTime(picked.Start, language), language, Intent.Reschedule, picked.Start.Date, picked.Start.TimeOfDay),
                    state.Discussing() with { MoveEventId = picked.EventId });
            if (parsed.MentionsDateOrTime && intent is not (Intent.Cancel or Intent.MyAppointment))
                return await ChooseAppointmentToMoveAsync(turn, cancellationToken);
            if (intent is Intent.Other or Intent.Reschedule or Intent.Confirm)
                return (Reply(ReplyTexts.AskWhichToMove(state.Booked.Select(a => a.Start).Order().ToList(), language), language, Intent.Reschedule), state);
        }

        if (state.ChoosingAppointmentToCancel)
        {
            // The answer to "¿cuál quieres cancelar?": "el del viernes" names the appointment, not a new time.
            if (intent is Intent.Decline)
                return (Reply(ReplyTexts.NothingChanged(language), language, intent), state.Discussing());
            if (ByPosition(state, turn.Text) is { } picked)
                return (Reply(ReplyTexts.ConfirmCancel(picked.Start, language), language, Intent.Cancel, picked.Start.Date, picked.Start.TimeOfDay),
                    state.Discussing() with { CancelEventId = picked.EventId });
            if (parsed.MentionsDateOrTime && intent is not (Intent.MyAppointment or Intent.Reschedule or Intent.Book))
                return await AskToCancelAsync(turn, cancellationToken, choosing: true);
            if (intent is Intent.Other or Intent.Confirm or Intent.Cancel)
                return (Reply(ReplyTexts.AskWhichToCancel(state.Booked.Select(a => a.Start).Order().ToList(), language), language, Intent.Cancel), state);
        }

        // "Cancelar mi turno del jueves" names a day, but it is about the booking, not about a free time.
        if (intent == Intent.Cancel) return await AskToCancelAsync(turn, cancellationToken);
        if (intent == Intent.MyAppointment) return MyAppointments(turn);
        if (intent == Intent.Reschedule)
        {
            var (reply, next, target) = await StartMoveAsync(turn, cancellationToken);
            // "Cambiar mi turno al viernes a las 10" goes on to check Friday at 10 as the new time.
            if (target is null || !parsed.MentionsDateOrTime) return (reply, next);
            turn = turn with { State = next };
            state = next;
        }

        // "Quiero reservar otro turno el lunes" while a move was being discussed: a new booking, not the move.
        if (intent == Intent.Book && state.MoveEventId is not null)
        {
            state = state.Discussing();
            turn = turn with { State = state };
        }

        // "La primera" after "the nearest free times are 14:00 and 16:00": that one, checked and proposed (not booked).
        if (!parsed.MentionsDateOrTime && state.Offered is { Count: > 0 } offeredTimes && MessageParser.Ordinal(turn.Text) is { } position)
        {
            var pick = position == MessageParser.LastOrdinal ? offeredTimes[^1] : position <= offeredTimes.Count ? offeredTimes[position - 1] : (LocalDateTime?)null;
            if (pick is { } picked) return await CheckAvailabilityAsync(turn, picked, cancellationToken);
        }

        if (!parsed.MentionsDateOrTime)
        {
            switch (intent)
            {
                case Intent.Greeting:
                    return (Reply(ReplyTexts.Greeting(language), language, intent), state.Discussing());
                case Intent.Help:
                    return (Reply(ReplyTexts.Help(language), language, intent), state);
                case Intent.Thanks:
                    return (Reply(ReplyTexts.Thanks(language), language, intent), state);
                case Intent.Confirm when state.Offered is { Count: 1 } offered:
                    // "Sí" to "the nearest free time is 16:00, would that work?": check it and propose it, with its
                    // day and time spelled out; booking still needs the yes to that proposal.
                    return await CheckAvailabilityAsync(turn, offered[0], cancellationToken);
                case Intent.Confirm when state.Offered is { Count: > 1 } several:
                    return (Reply(ReplyTexts.PickOne(several, language), language, intent), state);
                case Intent.Decline when state.MoveEventId is { } declinedMove && Find(state, declinedMove) is { } kept:
                    return (Reply(ReplyTexts.MoveDeclined(kept.Start, language), language, intent, kept.Start.Date, kept.Start.TimeOfDay),
                        state.Discussing());
                case Intent.Decline when state.Offered is not null || state.PendingDate is not null:
                    // "No" to "¿te sirve alguno?": nothing was booked; offer to look elsewhere.
                    return (Reply(ReplyTexts.ProposalDeclined(language), language, intent), state.Discussing());
                case Intent.Decline:
                    return (Reply(ReplyTexts.Okay(language), language, intent), state.Discussing());
                case Intent.Confirm or Intent.Other or Intent.CheckAvailability or Intent.Book
                    when state.MoveEventId is { } pendingMove && Find(state, pendingMove) is { } moving:
                    // A move is under way and its new time is still missing: ask for it again rather than drop it.
                    return (Reply(ReplyTexts.AskNewTime(moving.Start, language), language, Intent.Reschedule, moving.Start.Date, moving.Start.TimeOfDay), state);
                case Intent.Confirm when state.Booked.Count > 0:
                    // A second "sí" after the booking (say the first answer was slow to arrive): say what is booked.
                    var last = state.Booked[^1].Start;
                    return (Reply(ReplyTexts.AlreadyBooked(last, language), language, intent, last.Date, last.TimeOfDay), state);
                case Intent.Book or Intent.CheckAvailability or Intent.Confirm:
                    // "Sí" with nothing pending answers "¿quieres buscar otro día?": which one, then.
                    return (Reply(ReplyTexts.AskDate(null, language), language, intent), state.Discussing());
                default:
                    return (Reply(ReplyTexts.Fallback(language), language, Intent.Other), state);
            }
        }

        return await CheckAvailabilityAsync(turn, null, cancellationToken);
    }

    /// <summary>
    /// Looks up the day and time the customer named (or <paramref name="chosen"/>, an offered time they said yes to) and
    /// proposes it when free; otherwise says why not and offers the nearest free times. Never books.
    /// </summary>
    private async Task<(AssistantReply Reply, ConversationState Next)> CheckAvailabilityAsync(Turn turn, LocalDateTime? chosen,
        CancellationToken cancellationToken)
    {
        var (parsed, state, language, intent) = (turn.Parsed, turn.State, turn.Language, turn.Parsed.Intent);
        var move = state.MoveEventId is { } moveId ? Find(state, moveId) : null;
        if (move is not null) intent = Intent.Reschedule;

        // Whatever is asked next, an appointment being moved stays the one being moved.
        ConversationState Next(LocalDate? date = null, LocalTime? time = null, ProposedAppointment? proposal = null) =>
            state.Discussing(date, time, proposal) with { MoveEventId = move?.EventId };

        var chosenDate = chosen?.Date;
        var time = chosen?.TimeOfDay ?? parsed.Time;
        var assumed = chosen is null && parsed.MeridiemAssumed;
        if (chosen is null && time is null && parsed.Period is { } answer && state.PendingTimeNeedsMeridiem && state.PendingTime is { } pending)
        {
            // "De la tarde" answers "¿a las 9 de la mañana o de la noche?".
            time = answer.Contains(pending) ? pending : pending.PlusHours(12);
        }
        else if (chosen is null && time is null && parsed.Date is not null && parsed.Period is null && state.PendingTime is { } kept)
        {
            // A follow-up names only what changes: "¿y el viernes?" keeps the hour.
            time = kept;
            assumed = state.PendingTimeNeedsMeridiem;
        }
        // "¿Y el viernes?" after the afternoon's free times asks for Friday afternoon.
        var period = time is not null ? null
            : parsed.Period ?? (chosen is null && parsed.Date is not null ? state.PendingPeriod : null);

        // "A las 10" after "the nearest free times are Monday at 10:00 and 11:00" means that Monday.
        if (chosen is null && parsed.Date is null && time is { } said && state.Offered is { Count: > 0 } offered
            && offered.Where(o => o.TimeOfDay == said || (assumed && o.TimeOfDay == said.PlusHours(12))).ToList() is [var match])
        {
            (chosenDate, time, assumed) = (match.Date, match.TimeOfDay, false);
        }

        if (chosen is null && parsed.Soonest)
            return await SoonestAsync(turn, period, cancellationToken);

        if (chosenDate is null && parsed.Date is null && state.PendingDate is null && state.Proposal is null)
        {
            return (Reply(ReplyTexts.AskDate(time, language), language, intent, time: time),
                Next(time: time) with { PendingTimeNeedsMeridiem = assumed, PendingPeriod = period });
        }

        try
        {
            var companyCalendar = turn.Calendar;
            var company = await companyCalendar.GetCurrentTimeAsync(cancellationToken);
            ReplyTexts.CompanyYearIs(company.Date.Year);
            var understood = MessageUnderstanding.Resolve(parsed, company.Now, language);
            if (chosenDate is null && understood.DateChoices is { Count: > 1 } choices)
                return (Reply(ReplyTexts.AskWhichDate(choices, language), language, intent, time: time), Next(time: time) with { PendingTimeNeedsMeridiem = assumed });
            if (chosenDate is null && understood.DateUnrecognised)
                return (Reply(ReplyTexts.DateNotRecognised(language), language, intent, time: time), Next(time: time));
            // "¿Y a las 4?" after a proposal keeps the proposed day.
            var date = chosenDate ?? understood.Date ?? state.PendingDate ?? state.Proposal!.Date;
            var today = company.Date;

            if (date < today)
                return (Reply(ReplyTexts.DateInPast(date, language), language, intent, date, time), Next(time: time));

            var day = await companyCalendar.GetAvailableSlotsAsync(date, cancellationToken);
            var free = day.Slots
                .Select(s => (Start: s.Start.ToInstant().InZone(company.Zone), End: s.End.ToInstant().InZone(company.Zone)))
                .Where(s => s.Start.Date == date)
                .GroupBy(s => s.Start.TimeOfDay)
                .Select(g => g.First())
                .OrderBy(s => s.Start.TimeOfDay)
                .ToList();
            var freeStarts = free.Select(s => s.Start.TimeOfDay).ToList();

            if (time is not { } requested)
            {
                var inPeriod = period is { } p ? freeStarts.Where(t => p.Contains(t)).ToList() : freeStarts;
                if (inPeriod.Count > 0)
                {
                    var text = period is { } named
                        ? ReplyTexts.FreeTimesInPeriod(date, named, inPeriod, language)
                        : ReplyTexts.FreeTimesOfDay(date, inPeriod, language);
                    return (Reply(text, language, intent, date, null, null, inPeriod), Next(date: date) with { PendingPeriod = period });
                }
                // Closed, full, or nothing in that part of the day: the next free times, from the calendar.
                var next = await NextFreeAsync(turn, company, date.AtMidnight(), period, AlternativesOffered + 1, cancellationToken);
                return (Reply(ReplyTexts.DayFull(date, period, next, language), language, intent, date, null, false),
                    Next(date: date) with { Offered = next, PendingPeriod = period });
            }

            if (assumed && free.Count > 0)
            {
                // "A las 9" could be 09:00 or 21:00: keep the reading that falls within the company's day (from its
                // first free start to its last free end); when both do, ask rather than guess.
                var opens = freeStarts[0];
                var closes = free.Max(s => s.End.Date == date ? s.End.TimeOfDay : LocalTime.MaxValue);
                bool Within(LocalTime t) => freeStarts.Contains(t) || (t >= opens && t < closes);
                var other = requested.PlusHours(12);
                if (Within(requested) && Within(other))
                {
                    var (morning, evening) = requested < other ? (requested, other) : (other, requested);
                    return (Reply(ReplyTexts.AskMeridiem(morning, evening, language), language, intent, date),
                        Next(date, requested) with { PendingTimeNeedsMeridiem = true });
                }
                if (!Within(requested) && Within(other)) requested = other;
            }

            var wanted = date.At(requested);
            if (date == today && requested <= company.Now.TimeOfDay)
                return (Reply(ReplyTexts.TimeInPast(date, requested, language), language, intent, date, requested), Next(date: date));

            if (move is not null && move.Start == wanted)
                return (Reply(ReplyTexts.AlreadyAt(move.Start, language), language, intent, date, requested), Next());

            if (free.FirstOrDefault(s => s.Start.TimeOfDay == requested) is { Start: var slotStart, End: var slotEnd } && slotStart.Date == date)
            {
                var minutes = (int)(slotEnd.ToInstant() - slotStart.ToInstant()).TotalMinutes;
                var proposal = new ProposedAppointment(slotStart.ToOffsetDateTime(), minutes);
                var text = move is null
                    ? ReplyTexts.Available(wanted, language)
                    : ReplyTexts.ProposeMove(move.Start, wanted, language);
                // When the clocks go back, 01:30 happens twice: say which one the yes would book.
                if (company.Zone.MapLocal(wanted) is { Count: 2 } twice)
                    text += ReplyTexts.WhichOfTwice(requested, slotStart.Offset, slotStart.Offset == twice.First().Offset, language);
                return (Reply(text, language, intent, date, requested, true), Next(date, requested, proposal));
            }

            var sameDayNearest = freeStarts
                .OrderBy(t => Math.Abs(Period.Between(requested, t, PeriodUnits.Minutes).Minutes))
                .ThenBy(t => t)
                .Take(AlternativesOffered)
                .Order()
                .ToList();

            // Slots are whole hours unless the company set otherwise. When every free start of the day is on the
            // hour, 15:30 is not "busy" but never bookable: say so, and offer the hours around it.
            if (requested.Minute != 0 && freeStarts.Count > 0 && freeStarts.All(t => t.Minute == 0))
            {
                return (Reply(ReplyTexts.StartsOnTheHour(date, requested, sameDayNearest, language), language, intent, date, requested, false, sameDayNearest),
                    Next(date, requested) with { Offered = sameDayNearest.Select(date.At).ToList() });
            }

            var alternatives = await AlternativesAsync(turn, company, wanted, freeStarts.Select(date.At), cancellationToken);
            var sameDay = alternatives.Where(a => a.Date == date).Select(a => a.TimeOfDay).ToList();
            return (Reply(ReplyTexts.NotAvailable(wanted, alternatives, language), language, intent, date, requested, false, sameDay),
                Next(date, requested) with { Offered = alternatives });
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

    /// <summary>"¿Cuándo es el próximo turno libre?": the next free times from now (find_next_available_slots), offered to pick from.</summary>
    private async Task<(AssistantReply Reply, ConversationState Next)> SoonestAsync(Turn turn, PartOfDay? period, CancellationToken cancellationToken)
    {
        var (state, language, intent) = (turn.State, turn.Language, turn.Parsed.Intent);
        var move = state.MoveEventId is { } moveId ? Find(state, moveId) : null;
        try
        {
            var company = await turn.Calendar.GetCurrentTimeAsync(cancellationToken);
            ReplyTexts.CompanyYearIs(company.Date.Year);
            var next = await turn.Calendar.FindNextAvailableSlotsAsync(company.Now.LocalDateTime, SoonestOffered, period, cancellationToken);
            var starts = next.Select(s => s.Start.ToInstant().InZone(company.Zone).LocalDateTime).ToList();
            return (Reply(ReplyTexts.NextFreeTimes(starts, language), language, intent, starts.Count > 0 ? starts[0].Date : null),
                state.Discussing() with { MoveEventId = move?.EventId, Offered = starts });
        }
        catch (CalendarUnavailableException ex)
        {
            return (Reply(ReplyTexts.CalendarUnavailable(ex.Code, language), language, intent), state);
        }
        catch (McpServerUnavailableException)
        {
            return (Reply(ReplyTexts.CalendarUnreachable(language), language, intent), state);
        }
    }

    /// <summary>
    /// The nearest free starts to <paramref name="wanted"/>: the day's own free starts and the next ones the calendar
    /// finds (find_next_available_slots, which crosses into the following days), closest first, then in time order.
    /// </summary>
    private static async Task<IReadOnlyList<LocalDateTime>> AlternativesAsync(Turn turn, CompanyTime company, LocalDateTime wanted,
        IEnumerable<LocalDateTime> sameDay, CancellationToken cancellationToken)
    {
        var candidates = sameDay.ToList();
        candidates.AddRange(await NextFreeAsync(turn, company, wanted, null, AlternativesOffered + 1, cancellationToken));
        return candidates.Distinct()
            .Where(c => c != wanted)
            .OrderBy(c => Math.Abs(Period.Between(wanted, c, PeriodUnits.Minutes).Minutes))
            .ThenBy(c => c)
            .Take(AlternativesOffered)
            .Order()
            .ToList();
    }

    /// <summary>
    /// find_next_available_slots from <paramref name="from"/>, as local times of the company. Alternatives are a help on
    /// top of an answer already given, so a failure here leaves them out rather than turning the answer into an error.
    /// </summary>
    private static async Task<IReadOnlyList<LocalDateTime>> NextFreeAsync(Turn turn, CompanyTime company, LocalDateTime from,
        PartOfDay? period, int count, CancellationToken cancellationToken)
    {
        try
        {
            var slots = await turn.Calendar.FindNextAvailableSlotsAsync(from, count, period, cancellationToken);
            return slots.Select(s => s.Start.ToInstant().InZone(company.Zone).LocalDateTime).ToList();
        }
        catch (McpCalendarException)
        {
            return [];
        }
    }

    /// <summary>
    /// A proposal is kept until answered, so a "sí" may come the next day: a time that has passed is said so rather than
    /// sent to the server (which would refuse it). When the clock cannot be read, the tool call decides.
    /// </summary>
    private static async Task<bool> HasPassedAsync(Turn turn, ProposedAppointment proposal, CancellationToken cancellationToken)
    {
        try
        {
            var company = await turn.Calendar.GetCurrentTimeAsync(cancellationToken);
            ReplyTexts.CompanyYearIs(company.Date.Year);
            return proposal.Start.ToInstant() <= company.Now.ToInstant();
        }
        catch (McpCalendarException)
        {
            return false;
        }
    }

    /// <summary>"El primero", "the second one", "el último": the appointment at that place in the list the customer was shown.</summary>
    private static RememberedAppointment? ByPosition(ConversationState state, string? text)
    {
        var listed = state.Booked.OrderBy(a => a.Start).ToList();
        return MessageParser.Ordinal(text) switch
        {
            { } last when last == MessageParser.LastOrdinal => listed.Count > 0 ? listed[^1] : null,
            { } position when position >= 1 && position <= listed.Count => listed[position - 1],
            _ => null,
        };
    }

    private static RememberedAppointment? Find(ConversationState state, string eventId) =>
        state.Booked.FirstOrDefault(a => a.EventId == eventId);

    /// <summary>Which appointment "mi turno" is, for a move: the only one, or the one already chosen; several → ask.</summary>
    private async Task<(AssistantReply Reply, ConversationState Next, RememberedAppointment? Target)> StartMoveAsync(Turn turn,
        CancellationToken cancellationToken)
    {
        var (state, language, parsed) = (turn.State, turn.Language, turn.Parsed);
        var booked = state.Booked.OrderBy(a => a.Start).ToList();
        if (booked.Count == 0)
            return (Reply(ReplyTexts.NoAppointmentToMove(language), language, Intent.Reschedule), state.Discussing(), null);
        var target = state.MoveEventId is { } id ? Find(state, id) : booked.Count == 1 ? booked[0] : null;
        if (parsed.MovedDate is not null && booked.Count > 1)
        {
            // "Cambiar mi turno del viernes al lunes": the one on Friday, whatever was being discussed.
            try
            {
                var company = await turn.Calendar.GetCurrentTimeAsync(cancellationToken);
                ReplyTexts.CompanyYearIs(company.Date.Year);
                // Either reading of "a las 3" matches: it only picks among the customer's own appointments.
                var from = new ParsedMessage(language, Intent.Reschedule, parsed.MovedDate, parsed.MovedTime, MeridiemAssumed: parsed.MovedTime is not null);
                target = Matching(state, MessageUnderstanding.Resolve(from, company.Now, language)) is [var only] ? only : null;
            }
            catch (McpCalendarException)
            {
                target = null;
            }
        }
        if (target is null)
        {
            return (Reply(ReplyTexts.AskWhichToMove(booked.Select(a => a.Start).ToList(), language), language, Intent.Reschedule),
                state.Discussing() with { ChoosingAppointmentToMove = true }, null);
        }
        return (Reply(ReplyTexts.AskNewTime(target.Start, language), language, Intent.Reschedule, target.Start.Date, target.Start.TimeOfDay),
            state.Discussing() with { MoveEventId = target.EventId }, target);
    }

    /// <summary>The answer to "¿cuál quieres cambiar?": the appointment on the day (and at the time) the customer named.</summary>
    private async Task<(AssistantReply Reply, ConversationState Next)> ChooseAppointmentToMoveAsync(Turn turn, CancellationToken cancellationToken)
    {
        var (parsed, state, language) = (turn.Parsed, turn.State, turn.Language);
        var starts = state.Booked.Select(a => a.Start).Order().ToList();
        try
        {
            var company = await turn.Calendar.GetCurrentTimeAsync(cancellationToken);
            ReplyTexts.CompanyYearIs(company.Date.Year);
            var understood = MessageUnderstanding.Resolve(parsed, company.Now, language);
            var matches = Matching(state, understood);
            if (matches is [var chosen])
            {
                return (Reply(ReplyTexts.AskNewTime(chosen.Start, language), language, Intent.Reschedule, chosen.Start.Date, chosen.Start.TimeOfDay),
                    state.Discussing() with { MoveEventId = chosen.EventId });
            }
            return (Reply(ReplyTexts.AskWhichToMove(starts, language), language, Intent.Reschedule), state);
        }
        catch (CalendarUnavailableException ex)
        {
            return (Reply(ReplyTexts.CalendarUnavailable(ex.Code, language), language, Intent.Reschedule), state);
        }
        catch (McpServerUnavailableException)
        {
            return (Reply(ReplyTexts.CalendarUnreachable(language), language, Intent.Reschedule), state);
        }
    }

    /// <summary>The customer was asked to confirm moving <paramref name="moving"/> to <paramref name="proposal"/>.</summary>
    private async Task<(AssistantReply Reply, ConversationState Next)> AnswerMoveProposalAsync(Turn turn, ProposedAppointment proposal,
        RememberedAppointment moving, CancellationToken cancellationToken)
    {
        var (state, language, intent) = (turn.State, turn.Language, turn.Parsed.Intent);
        var to = proposal.Start.LocalDateTime;
        return intent switch
        {
            Intent.Confirm => await MoveAsync(turn, proposal, moving, cancellationToken),
            Intent.Decline or Intent.Cancel => (Reply(ReplyTexts.MoveDeclined(moving.Start, language), language, intent, moving.Start.Date, moving.Start.TimeOfDay),
                state.Discussing()),
            Intent.MyAppointment => MyAppointments(turn),
            _ => (Reply(ReplyTexts.ConfirmMovePending(moving.Start, to, language), language, Intent.Reschedule, to.Date, to.TimeOfDay), state),
        };
    }

    private async Task<(AssistantReply Reply, ConversationState Next)> MoveAsync(Turn turn, ProposedAppointment proposal,
        RememberedAppointment moving, CancellationToken cancellationToken)
    {
        var (state, language) = (turn.State, turn.Language);
        var requested = proposal.Start.LocalDateTime;
        if (await HasPassedAsync(turn, proposal, cancellationToken))
            return (Reply(ReplyTexts.ProposalPassed(requested, language), language, Intent.Reschedule, requested.Date, requested.TimeOfDay, false),
                state.Discussing() with { MoveEventId = moving.EventId });
        try
        {
            var moved = await turn.Calendar.RescheduleAppointmentAsync(moving.EventId, proposal.Start, cancellationToken);
            // The server formats the new start in the company's zone: its local time is what the customer was offered.
            var start = moved.Start.LocalDateTime;
            var remembered = state.Booked
                .Select(a => a.EventId == moving.EventId ? new RememberedAppointment(moved.EventId, start) : a)
                .ToList();
            return (Reply(ReplyTexts.Moved(moving.Start, start, language), language, Intent.Reschedule, start.Date, start.TimeOfDay, true),
                state.Discussing() with { Appointments = remembered });
        }
        catch (BookingRefusedException ex) when (ex.Code == CalendarErrorCodes.NotFound)
        {
            // The company removed it: forget it, so "¿cuándo es mi turno?" no longer names it.
            var rest = state.Booked.Where(a => a.EventId != moving.EventId).ToList();
            return (Reply(ReplyTexts.MoveNotFound(moving.Start, language), language, Intent.Reschedule, moving.Start.Date, moving.Start.TimeOfDay),
                state.Discussing() with { Appointments = rest });
        }
        catch (BookingRefusedException ex)
        {
            // Taken meanwhile, or no longer within the company's rules: it stays where it was; offer what the server found.
            var alternatives = ex.Alternatives.Select(a => a.LocalDateTime).Take(AlternativesOffered + 1).ToList();
            var sameDay = alternatives.Where(a => a.Date == requested.Date).Select(a => a.TimeOfDay).ToList();
            return (Reply(ReplyTexts.NotMoved(moving.Start, requested, alternatives, language), language, Intent.Reschedule, requested.Date,
                    requested.TimeOfDay, false, sameDay),
                state.Discussing(date: requested.Date) with { MoveEventId = moving.EventId, Offered = alternatives });
        }
        catch (CalendarUnavailableException ex)
        {
            // The proposal stays: once the company reconnects its calendar, a "sí" moves it.
            return (Reply(ReplyTexts.CalendarUnavailable(ex.Code, language), language, Intent.Reschedule, requested.Date, requested.TimeOfDay), state);
        }
        catch (WriteUnconfirmedException)
        {
            // Asked several times, never told whether it moved: the proposal stays, and a "sí" asks once more (a
            // repeated move to the same time is answered as done, never moved twice).
            return (Reply(ReplyTexts.MoveUnconfirmed(requested, language), language, Intent.Reschedule, requested.Date, requested.TimeOfDay), state);
        }
    }

    private async Task<(AssistantReply Reply, ConversationState Next)> BookAsync(Turn turn, ProposedAppointment proposal, string name,
        CancellationToken cancellationToken)
    {
        var (state, language) = (turn.State, turn.Language);
        var requested = proposal.Start.LocalDateTime;
        // Whatever happens next, the name is known: a retry or the next booking does not ask again.
        var named = state with { PersonName = name, AwaitingName = false };
        if (await HasPassedAsync(turn, proposal, cancellationToken))
            return (Reply(ReplyTexts.ProposalPassed(requested, language), language, Intent.Confirm, requested.Date, requested.TimeOfDay, false),
                named.Discussing());
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
        catch (WriteUnconfirmedException)
        {
            // Asked several times with the same idempotency key, never told whether it was made. Keeping the proposal
            // lets the next "sí" send that key again, which returns the booking if it exists and never makes a second one.
            return (Reply(ReplyTexts.BookingUnconfirmed(requested, language), language, Intent.Confirm, requested.Date, requested.TimeOfDay), named);
        }
    }

    /// <param name="choosing">The message answers "¿cuál quieres cancelar?", so a day it names picks one of the appointments.</param>
    private async Task<(AssistantReply Reply, ConversationState Next)> AskToCancelAsync(Turn turn, CancellationToken cancellationToken,
        bool choosing = false)
    {
        var (state, language, parsed) = (turn.State, turn.Language, turn.Parsed);
        var booked = state.Booked.OrderBy(a => a.Start).ToList();
        if (booked.Count == 0)
            return (Reply(ReplyTexts.NoAppointment(language), language, Intent.Cancel), state.Discussing());

        var appointment = booked[0];
        if ((booked.Count > 1 || choosing) && parsed.MentionsDateOrTime)
        {
            // "Cancelar mi turno del viernes": the one on that day (and at that time, when said).
            try
            {
                var company = await turn.Calendar.GetCurrentTimeAsync(cancellationToken);
                ReplyTexts.CompanyYearIs(company.Date.Year);
                var matches = Matching(state, MessageUnderstanding.Resolve(parsed, company.Now, language));
                if (matches is not [var only])
                {
                    return (Reply(ReplyTexts.AskWhichToCancel(booked.Select(a => a.Start).ToList(), language), language, Intent.Cancel),
                        state.Discussing() with { ChoosingAppointmentToCancel = true });
                }
                appointment = only;
            }
            catch (McpCalendarException)
            {
                // Without the company's date "el viernes" cannot be matched: ask which one by listing them.
                return (Reply(ReplyTexts.AskWhichToCancel(booked.Select(a => a.Start).ToList(), language), language, Intent.Cancel),
                    state.Discussing() with { ChoosingAppointmentToCancel = true });
            }
        }
        else if (booked.Count > 1)
        {
            return (Reply(ReplyTexts.AskWhichToCancel(booked.Select(a => a.Start).ToList(), language), language, Intent.Cancel),
                state.Discussing() with { ChoosingAppointmentToCancel = true });
        }

        return (Reply(ReplyTexts.ConfirmCancel(appointment.Start, language), language, Intent.Cancel, appointment.Start.Date, appointment.Start.TimeOfDay),
            state.Discussing() with { CancelEventId = appointment.EventId });
    }

    /// <summary>The remembered appointments on the day, at the time and in the part of the day the message names.</summary>
    private static List<RememberedAppointment> Matching(ConversationState state, UnderstoodMessage understood) =>
        state.Booked
            .Where(a => understood.Date is not { } d || a.Start.Date == d)
            .Where(a => understood.Time is not { } t || a.Start.TimeOfDay == t || (understood.MeridiemAssumed && a.Start.TimeOfDay == t.PlusHours(12)))
            .Where(a => understood.Period is not { } p || understood.Time is not null || p.Contains(a.Start.TimeOfDay))
            .ToList();

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
        catch (WriteUnconfirmedException)
        {
            // Asked several times, never told whether it was cancelled: the question stays, and a "sí" asks once more
            // (cancel_appointment answers an appointment already cancelled as done).
            return (Reply(ReplyTexts.CancelUnconfirmed(appointment.Start, language), language, Intent.Cancel, date, time), state);
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
