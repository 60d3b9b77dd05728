using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Dialogue;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;
using Microsoft.Extensions.AI;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using NodaTime;
using NodaTime.Text;

namespace CalendarConnect.Assistant.Llm;

/// <summary>
/// One customer message answered by the model, and the functions it may call. This is where the safety rules live,
/// in code: reads run freely; a write (book, cancel, move) runs only when the customer's latest message is an explicit
/// yes (the rule-based parser's <see cref="Intent.Confirm"/>) to what the assistant proposed in its previous reply, for
/// exactly that slot or appointment. Otherwise the function answers the model with a refusal and nothing is written.
/// </summary>
/// <remarks>
/// A proposal or a write ends the turn with a reply composed here from the calendar's answer (day, date and time in
/// words in the company's zone), not with the model's text: the customer confirms what the calendar will do, and a
/// booking is never followed by another model round that could fail after the fact.
/// </remarks>
internal sealed class LlmTurn(
    string customerId,
    string conversationId,
    string? customerText,
    ParsedMessage parsed,
    ConversationState state,
    ICalendarSession calendar,
    CompanyTime company,
    CancellationToken writeCancellation)
{
    public const string ProposeBooking = "propose_booking";
    public const string ProposeCancellation = "propose_cancellation";
    public const string ProposeReschedule = "propose_reschedule";

    /// <summary>Tools that only read; offered as the server describes them.</summary>
    private static readonly HashSet<string> ReadTools =
    [
        ToolNames.GetAvailableSlots, ToolNames.FindNextAvailableSlots, ToolNames.GetCalendarStatus, ToolNames.GetCurrentTime,
    ];

    // ISO 8601 with an offset (with or without seconds); a time without one is read in the company's zone.
    private static readonly OffsetDateTimePattern[] OffsetPatterns =
    [
        OffsetDateTimePattern.ExtendedIso,
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mmo<G>"),
    ];

    private static readonly LocalDateTimePattern[] LocalPatterns =
    [
        LocalDateTimePattern.ExtendedIso,
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm"),
    ];

    private readonly Language language = state.Language;

    /// <summary>Replies name dates with their year when it is not the company's current one.</summary>
    private readonly ReplyContext words = new(state.Language, company.Date.Year);

    /// <summary>The reply and next state once a proposal or write ended the turn; null while the model is talking.</summary>
    public (AssistantReply Reply, ConversationState Next)? Outcome { get; private set; }

    /// <summary>Writes the model attempted without the customer's yes (for the operator's log; never the arguments).</summary>
    public int RefusedWrites { get; private set; }

    /// <summary>
    /// The customer's latest message is an explicit yes, or the name the rule-based assistant asked for right after
    /// their yes (a message that is only a name, as the rules accept it; "no" or "hola" is not one), or both in one
    /// message ("yes, name is Paul Walker").
    /// </summary>
    private bool CustomerSaidYes => ExplicitYes.IsYes(parsed) || NameAfterYes is not null || ExplicitYes.NameWithYes(state.Topic, parsed, customerText) is not null;

    private string? NameAfterYes => ExplicitYes.NameAfterYes(state.Topic, parsed, customerText);

    /// <summary>
    /// The customer said yes to a booking or cancellation the previous reply proposed: this message must end in that
    /// write. A model that only talks here (or claims it is done) is not trusted; the rules answer instead.
    /// </summary>
    public bool YesToPendingProposal =>
        CustomerSaidYes && state.Topic is Proposing or AwaitingName or ConfirmingCancellation;

    /// <summary>The functions the model may call: the company's MCP tools (reads as they are, writes behind the yes rule) and the proposals.</summary>
    public IList<AITool> Tools(IReadOnlyList<McpClientTool> serverTools)
    {
        var tools = new List<AITool>();
        var names = serverTools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var tool in serverTools)
        {
            // Anything the server adds later is left out until someone decides whether it writes.
            if (ReadTools.Contains(tool.Name)) tools.Add(tool);
            else if (tool.Name == ToolNames.ListAppointments) tools.Add(new OwnAppointmentsOnly(tool, state.Booked.Select(a => a.EventId).ToHashSet(StringComparer.Ordinal), company.Zone.Id));
            else if (tool.Name == ToolNames.BookAppointment) tools.Add(new GuardedWrite(tool, BookAsync,
                " Runs only after the customer's explicit yes to your propose_booking; use the same start_iso."));
            else if (tool.Name == ToolNames.CancelAppointment) tools.Add(new GuardedWrite(tool, CancelAsync,
                " Runs only after the customer's explicit yes to your propose_cancellation."));
            else if (tool.Name == ToolNames.RescheduleAppointment) tools.Add(new GuardedWrite(tool, RescheduleAsync,
                " Runs only after the customer's explicit yes to your propose_reschedule; use the same event_id and new_start_iso."));
        }
        if (names.Contains(ToolNames.BookAppointment))
            tools.Add(AIFunctionFactory.Create(ProposeBookingAsync, ProposeBooking,
                $"Asks the customer to confirm booking one free start (from {ToolNames.GetAvailableSlots} or {ToolNames.FindNextAvailableSlots}) under their name. " +
                "The customer sees the question; book only after they say yes."));
        if (names.Contains(ToolNames.CancelAppointment))
            tools.Add(AIFunctionFactory.Create(ProposeCancellationAsync, ProposeCancellation,
                "Asks the customer to confirm cancelling one appointment this conversation booked."));
        if (names.Contains(ToolNames.RescheduleAppointment))
            tools.Add(AIFunctionFactory.Create(ProposeRescheduleAsync, ProposeReschedule,
                "Asks the customer to confirm moving one appointment this conversation booked to a free start."));
        return tools;
    }

    // ------------------------------------------------------------------ proposals

    private async Task<string> ProposeBookingAsync(
        [Description("The free slot's start exactly as the tool returned it, ISO 8601 with offset, e.g. 2025-01-16T15:00:00-03:00")] string start_iso,
        [Description("The name the customer gave for the booking")] string customer_name,
        CancellationToken cancellationToken)
    {
        if (Outcome is not null) return TurnOver;
        if (PersonName.Read(customer_name) is not { } name || !CustomerWrote(name))
            return "Not proposed: customer_name must be the name the customer wrote in this conversation (letters only, at most 60 characters). Ask them for it.";
        if (ReadStart(start_iso) is not { } start)
            return "Not proposed: start_iso must be an ISO 8601 date and time, e.g. 2025-01-16T15:00:00-03:00.";
        var slot = await FreeSlotAtAsync(start, cancellationToken);
        if (Outcome is not null) return TurnOver;
        if (slot is null) return $"Not proposed: that start is not a free slot. Check {ToolNames.GetAvailableSlots} for that day and propose one of its starts.";

        var minutes = (int)(slot.End.ToInstant() - slot.Start.ToInstant()).TotalMinutes;
        var proposal = new ProposedAppointment(slot.Start, minutes);
        var local = slot.Start.LocalDateTime;
        Finish(ReplyTexts.ConfirmPending(local, words), Intent.Book, local, true,
            state.On(new Proposing(proposal), new DiscussedTime(local.Date, local.TimeOfDay)) with { PersonName = name });
        return "The customer was asked to confirm. Wait for their answer.";
    }

    private Task<string> ProposeCancellationAsync(
        [Description("The appointment's event_id (one this conversation booked)")] string event_id)
    {
        if (Outcome is not null) return Task.FromResult(TurnOver);
        if (state.Booked.FirstOrDefault(a => a.EventId == event_id) is not { } appointment)
            return Task.FromResult(UnknownAppointment);
        Finish(ReplyTexts.ConfirmCancel(appointment.Start, words), Intent.Cancel, appointment.Start, null,
            state.On(new ConfirmingCancellation(appointment.EventId)));
        return Task.FromResult("The customer was asked to confirm. Wait for their answer.");
    }

    private async Task<string> ProposeRescheduleAsync(
        [Description("The appointment's event_id (one this conversation booked)")] string event_id,
        [Description("The free slot's start exactly as the tool returned it, ISO 8601 with offset")] string new_start_iso,
        CancellationToken cancellationToken)
    {
        if (Outcome is not null) return TurnOver;
        if (state.Booked.FirstOrDefault(a => a.EventId == event_id) is not { } appointment) return UnknownAppointment;
        if (ReadStart(new_start_iso) is not { } start)
            return "Not proposed: new_start_iso must be an ISO 8601 date and time, e.g. 2025-01-17T10:00:00-03:00.";
        var slot = await FreeSlotAtAsync(start, cancellationToken);
        if (Outcome is not null) return TurnOver;
        if (slot is null) return $"Not proposed: that start is not a free slot. Check {ToolNames.GetAvailableSlots} for that day and propose one of its starts.";

        var to = slot.Start.LocalDateTime;
        // The same topic the rules propose a move with: if the model only talks after the yes, the rules move it.
        var minutes = (int)(slot.End.ToInstant() - slot.Start.ToInstant()).TotalMinutes;
        Finish(LlmTexts.ConfirmMove(appointment.Start, to, words), Intent.Reschedule, to, true,
            state.On(new Proposing(new ProposedAppointment(slot.Start, minutes), appointment.EventId), new DiscussedTime(to.Date, to.TimeOfDay)));
        return "The customer was asked to confirm. Wait for their answer.";
    }

    /// <summary>The free slot of the company's calendar starting at <paramref name="start"/>, or null; a calendar failure ends the turn.</summary>
    private async Task<FreeSlot?> FreeSlotAtAsync(Instant start, CancellationToken cancellationToken)
    {
        var date = start.InZone(company.Zone).Date;
        try
        {
            var day = await calendar.GetAvailableSlotsAsync(date, cancellationToken);
            return day.Slots.FirstOrDefault(s => s.Start.ToInstant() == start);
        }
        catch (McpCalendarException ex)
        {
            // A new proposal the calendar could not check: the reply asks nothing, so the question asked before it is
            // closed (the same rule as the rules' TopicHandlers), and a later "ok" cannot answer it.
            FinishWithCalendarProblem(ex, state with { Topic = TopicHandlers.WithoutQuestion(state.Topic) });
            return null;
        }
    }

    // ------------------------------------------------------------------ guarded writes

    private async Task<object?> BookAsync(AIFunctionArguments arguments, CancellationToken _)
    {
        if (Outcome is not null) return TurnOver;
        var proposed = state.Topic switch { Proposing p => p, AwaitingName a => new Proposing(a.Proposal), _ => null };
        if (proposed is not { Proposal: var proposal } || !CustomerSaidYes) return Refuse(NotConfirmed("booked", ProposeBooking));
        // A proposal to *move* an appointment: booking it would leave the old one and add a second.
        if (proposed.MoveEventId is not null)
            return Refuse("REFUSED, nothing was booked: the customer agreed to move an existing appointment, not to book a new one.");
        if (ReadStart(Text(arguments, ToolArgumentNames.StartIso)) != proposal.Start.ToInstant())
            return Refuse($"REFUSED, nothing was booked: the customer confirmed {Format(proposal.Start)}, not this start. Propose another time with {ProposeBooking} first.");
        // The name the customer gave with their yes ("yes, Laura Mills", as the rules read it) or confirmed with the proposal;
        // the model's only when the customer was asked for it after their yes.
        if ((ExplicitYes.NameWithYes(state.Topic, parsed, customerText) ?? state.PersonName ?? NameAfterYes ?? (PersonName.Read(Text(arguments, ToolArgumentNames.CustomerName)) is { } given && CustomerWrote(given) ? given : null)) is not { } name)
            return $"Not booked yet: ask the customer for the name to book under, then call {ToolNames.BookAppointment} again.";

        var requested = proposal.Start.LocalDateTime;
        var named = state with { PersonName = name, Topic = new Proposing(proposal) };
        try
        {
            // The rule-based assistant's key: a retry by either engine after a lost answer returns the same booking.
            var booked = await calendar.BookAppointmentAsync(proposal.Start, proposal.DurationMinutes, name,
                BookingAssistant.IdempotencyKey(customerId, conversationId, proposal.Start, state.BookingsMade), writeCancellation);
            var start = booked.Start.LocalDateTime;
            var remembered = state.Booked.Where(a => a.EventId != booked.EventId).Append(new RememberedAppointment(booked.EventId, start));
            Finish(ReplyTexts.Booked(start, words), Intent.Confirm, start, true,
                named.On(new Idle(booked.EventId)).Remembering(remembered) with { BookingsMade = state.BookingsMade + 1 });
        }
        catch (BookingRefusedException ex)
        {
            var alternatives = ex.Alternatives.Select(a => a.LocalDateTime).Take(3).ToList();
            Finish(ReplyTexts.NotBooked(ex.Code, requested, alternatives, words), Intent.Confirm, requested, false,
                named.On(new OfferingChoices(alternatives), new DiscussedTime(requested.Date)),
                alternatives.Where(a => a.Date == requested.Date).Select(a => a.TimeOfDay).ToList(), alternatives);
        }
        catch (CalendarUnavailableException ex)
        {
            // The proposal stays: once the company fixes its calendar, a "sí" books it.
            Finish(ReplyTexts.CalendarUnavailable(ex.Code, words), Intent.Confirm, requested, null, named);
        }
        catch (WriteUnconfirmedException)
        {
            // Asked several times, still unknown whether it was booked: the proposal stays, and a repeated "sí" sends
            // the same idempotency key (by either engine).
            Finish(ReplyTexts.BookingUnconfirmed(requested, words), Intent.Confirm, requested, null, named);
        }
        return Done;
    }

    private async Task<object?> CancelAsync(AIFunctionArguments arguments, CancellationToken _)
    {
        if (Outcome is not null) return TurnOver;
        var eventId = Text(arguments, ToolArgumentNames.EventId);
        if (state.Topic is not ConfirmingCancellation { EventId: var proposed } || !CustomerSaidYes) return Refuse(NotConfirmed("cancelled", ProposeCancellation));
        if (eventId != proposed || state.Booked.FirstOrDefault(a => a.EventId == proposed) is not { } appointment)
            return Refuse($"REFUSED, nothing was cancelled: the customer confirmed cancelling event_id {proposed} only.");

        var rest = state.Booked.Where(a => a.EventId != appointment.EventId).ToList();
        try
        {
            await calendar.CancelAppointmentAsync(appointment.EventId, writeCancellation);
            Finish(ReplyTexts.Cancelled(appointment.Start, words), Intent.Cancel, appointment.Start, null, state.NothingPending() with { Appointments = rest });
        }
        catch (BookingRefusedException ex) when (ex.Code == CalendarErrorCodes.NotFound)
        {
            Finish(ReplyTexts.CancelNotFound(appointment.Start, words), Intent.Cancel, appointment.Start, null, state.NothingPending() with { Appointments = rest });
        }
        catch (WriteUnconfirmedException)
        {
            // Asked several times, still unknown: the question stays open, and a later "sí" asks once more.
            Finish(ReplyTexts.CancelUnconfirmed(appointment.Start, words), Intent.Cancel, appointment.Start, null, state);
        }
        catch (McpCalendarException ex)
        {
            // The question stays open: cancelling is idempotent, so a later "sí" retries it safely.
            FinishWithCalendarProblem(ex, state, Intent.Cancel, appointment.Start);
        }
        return Done;
    }

    private async Task<object?> RescheduleAsync(AIFunctionArguments arguments, CancellationToken _)
    {
        if (Outcome is not null) return TurnOver;
        // The yes must be to a move: a booking or cancellation proposed since is what the customer answered.
        if (state.Topic is not Proposing { MoveEventId: { } moveId, Proposal: var proposal } || !CustomerSaidYes)
            return Refuse(NotConfirmed("moved", ProposeReschedule));
        var move = (EventId: moveId, NewStart: proposal.Start);
        if (Text(arguments, ToolArgumentNames.EventId) != move.EventId || ReadStart(Text(arguments, ToolArgumentNames.NewStartIso)) != move.NewStart.ToInstant()
            || state.Booked.FirstOrDefault(a => a.EventId == move.EventId) is not { } appointment)
            return Refuse($"REFUSED, nothing was moved: the customer confirmed moving event_id {move.EventId} to {Format(move.NewStart)} only.");

        // The rules' own move: the same replies and next topic whatever the calendar answers (moved, gone, refused
        // with alternatives, unavailable, unconfirmed), so the two engines never tell the customer different things.
        var turn = new DialogueTurn(calendar, customerId, conversationId, customerText, parsed, state, words);
        var (reply, next) = await Writes.MoveAsync(turn, proposal, appointment, writeCancellation);
        FinishWith(reply, next);
        return Done;
    }

    // ------------------------------------------------------------------ list_appointments

    /// <summary>
    /// The server lists every appointment of the company, with names. A customer chatting with the company must see
    /// only their own: the result is cut down to the event ids this conversation booked.
    /// </summary>
    internal static JsonObject OwnAppointments(CallToolResult result, IReadOnlySet<string> own, string zoneId)
    {
        JsonNode? json = null;
        if (result.IsError != true)
        {
            json = result.StructuredContent is { } structured ? JsonNode.Parse(structured.GetRawText()) : null;
            if (json is null)
            {
                var text = string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));
                try { json = JsonNode.Parse(text); } catch (JsonException) { json = null; }
            }
        }
        // A failure or an unreadable answer says "none of yours", never the server's text (which may name other people).
        var kept = new JsonArray();
        if (json?["appointments"] is JsonArray items)
        {
            foreach (var item in items)
            {
                if (item?["event_id"] is JsonValue id && id.TryGetValue(out string? eventId) && own.Contains(eventId))
                    kept.Add(item.DeepClone());
            }
        }
        var zone = json?["time_zone"] is JsonValue z && z.TryGetValue(out string? name) ? name : zoneId;
        var answer = new JsonObject { ["time_zone"] = zone, ["appointments"] = kept };
        if (result.IsError == true) answer["error"] = "The calendar could not list appointments right now.";
        return answer;
    }

    private sealed class OwnAppointmentsOnly(McpClientTool tool, IReadOnlySet<string> own, string zoneId) : DelegatingAIFunction(tool)
    {
        public override string Description => tool.Description + " Only this conversation's appointments are shown.";

        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
        {
            var result = await tool.CallAsync(arguments, cancellationToken: cancellationToken);
            return OwnAppointments(result, own, zoneId);
        }
    }

    /// <summary>A write tool with the server's name and schema, whose call goes through the turn's yes rule instead of straight to the server.</summary>
    private sealed class GuardedWrite(McpClientTool tool, Func<AIFunctionArguments, CancellationToken, Task<object?>> write, string rule)
        : DelegatingAIFunction(tool)
    {
        public override string Description => tool.Description + rule;

        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken) =>
            await write(arguments, cancellationToken);
    }

    // ------------------------------------------------------------------ helpers

    private const string TurnOver = "This reply is already decided; do not call more tools.";
    private const string Done = "Done; the customer has been told the result.";
    private const string UnknownAppointment =
        "Unknown event_id: only appointments this conversation booked (listed in the instructions) can be cancelled or moved.";

    private static string NotConfirmed(string what, string proposeTool) =>
        $"REFUSED, nothing was {what}: this runs only when the customer's latest message is an explicit yes to what you proposed " +
        $"with {proposeTool} in your previous reply. Call {proposeTool} and wait for the customer's answer.";

    private string Refuse(string message)
    {
        RefusedWrites++;
        return message;
    }

    private void Finish(string text, Intent intent, LocalDateTime? when, bool? available, ConversationState next,
        IReadOnlyList<LocalTime>? alternatives = null, IReadOnlyList<LocalDateTime>? offered = null)
    {
        Outcome = (new AssistantReply(text, language.Code(), intent.Code(), when?.Date.ToString("yyyy-MM-dd", null),
            when is { } w ? ReplyTexts.Hhmm(w.TimeOfDay) : null, available, alternatives?.Select(ReplyTexts.Hhmm).ToList() ?? [],
            offered?.Select(ReplyTexts.LocalStart).ToList()), next);
        // The reply is ours from here: no more model rounds for this message.
        if (FunctionInvokingChatClient.CurrentContext is { } context) context.Terminate = true;
    }

    /// <summary>Ends the turn with an answer the rules' code composed (<see cref="Writes"/>).</summary>
    private void FinishWith(AssistantReply reply, ConversationState next)
    {
        Outcome = (reply, next);
        if (FunctionInvokingChatClient.CurrentContext is { } context) context.Terminate = true;
    }

    private void FinishWithCalendarProblem(McpCalendarException ex, ConversationState next, Intent intent = Intent.CheckAvailability,
        LocalDateTime? when = null)
    {
        var text = ex is CalendarUnavailableException unavailable
            ? ReplyTexts.CalendarUnavailable(unavailable.Code, words)
            : ReplyTexts.CalendarUnreachable(words);
        Finish(text, intent, when, null, next);
    }

    /// <summary>
    /// Whether the customer wrote <paramref name="name"/> (in this message or a remembered one): the calendar entry
    /// carries the name the person gave, never one the model made up.
    /// </summary>
    private bool CustomerWrote(string name)
    {
        var written = (state.Llm?.History ?? []).Select(e => e.Customer).Append(customerText ?? "");
        return written.Any(t => PersonName.GivenIn(t, name));
    }

    private Instant? ReadStart(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        foreach (var pattern in OffsetPatterns)
        {
            if (pattern.Parse(text) is { Success: true } parsed) return parsed.Value.ToInstant();
        }
        // "2025-01-16T15:00" without an offset can only mean the company's local time.
        foreach (var pattern in LocalPatterns)
        {
            if (pattern.Parse(text) is { Success: true } parsed) return company.Zone.AtLeniently(parsed.Value).ToInstant();
        }
        return null;
    }

    private static readonly OffsetDateTimePattern SendPattern =
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'sso<+HH:mm>");

    /// <summary>The form the tools use (full offset), so the model can compare it with what they returned.</summary>
    private static string Format(OffsetDateTime start) => SendPattern.Format(start);

    private static string? Text(AIFunctionArguments arguments, string name) =>
        arguments.TryGetValue(name, out var value)
            ? value switch
            {
                null => null,
                string s => s,
                JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
                JsonElement e => e.GetRawText(),
                _ => value.ToString(),
            }
            : null;
}
