using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Llm;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Shared;
using CalendarConnect.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static CalendarConnect.Assistant.Tests.FakeOpenAiServer;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// The optional LLM mode against a scripted OpenAI-compatible endpoint and the fake MCP calendar: the model reads
/// freely, proposes, and books only after the customer's yes; every model failure is answered by the rules.
/// </summary>
public sealed class LlmModeTests : IAsyncLifetime
{
    private const string Company = "empresa-abc-123";
    private const string Spec = "Quiero reservar para mañana a las 3 PM";
    private const string ApiKey = "sk-test-9f8e7d6c5b4a";
    private const string Slot = "2025-01-16T15:00:00-03:00";
    private const string AskToConfirm = "¿Confirmas la reserva para el jueves 16 de enero a las 15:00? Responde «sí» o «no».";
    private const string BookedReply = "Listo, reservé tu turno para el jueves 16 de enero a las 15:00. ¡Te esperamos!";

    private FakeCalendarServer calendarServer = null!;
    private FakeOpenAiServer model = null!;
    private ServiceProvider? services;
    private readonly CapturedLogs logs = new();

    private FakeCalendar Calendar => calendarServer.Calendar;

    private List<ReceivedCall> Bookings => Calendar.CallsOf("book_appointment").ToList();

    private List<ReceivedChatRequest> ModelRequests => model.Requests.ToList();

    public async ValueTask InitializeAsync()
    {
        calendarServer = await FakeCalendarServer.StartAsync();
        model = await FakeOpenAiServer.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (services is not null) await services.DisposeAsync();
        await model.DisposeAsync();
        await calendarServer.DisposeAsync();
    }

    private BookingAssistant Assistant(string? endpoint = null, string? apiKey = ApiKey, string? timeoutSeconds = null, TimeProvider? time = null)
    {
        if (services is not null) return services.GetRequiredService<BookingAssistant>();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MCP_SERVER_URL"] = calendarServer.BaseUrl,
                ["MCP_API_KEY"] = AssistantHost.ApiKey,
                [LlmOptions.EndpointKey] = endpoint ?? model.Endpoint,
                [LlmOptions.ModelKey] = "test-model",
                [LlmOptions.ApiKeyKey] = apiKey,
                [LlmOptions.TimeoutKey] = timeoutSeconds,
            })
            .Build();
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        if (time is not null) collection.AddSingleton(time);
        collection.AddBookingAssistant(configuration);
        services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return services.GetRequiredService<BookingAssistant>();
    }

    private Task<AssistantReply> Say(string text, string conversation = "conv-1") =>
        Assistant().ReplyAsync(Company, conversation, text, TestContext.Current.CancellationToken);

    private async Task ProposeFifteenHundredForAna()
    {
        model.Then(ToolCall("get_available_slots", new { date_iso = "2025-01-16" }),
            ToolCall("propose_booking", new { start_iso = Slot, customer_name = "Ana" }));
        var reply = await Say(Spec + ", soy Ana");
        Assert.Equal(AskToConfirm, reply.Reply);
    }

    /// <summary>The rules' question for the spec's message: the slot, in words, in the company's zone.</summary>
    private static readonly string RulesProposal =
        ReplyTexts.Available(new NodaTime.LocalDateTime(2025, 1, 16, 15, 0), Understanding.Language.Spanish);

    [Fact]
    public async Task The_model_checks_slots_and_proposes_then_a_yes_books_exactly_the_proposed_slot()
    {
        model.Then(ToolCall("get_available_slots", new { date_iso = "2025-01-16" }),
            ToolCall("propose_booking", new { start_iso = Slot, customer_name = "Ana" }));

        var proposed = await Say(Spec + ", soy Ana");

        Assert.Equal(AskToConfirm, proposed.Reply);
        Assert.Equal(("2025-01-16", "15:00", (bool?)true), (proposed.DateIso, proposed.TimeLocal, proposed.Available));
        Assert.Empty(Bookings);
        var first = ModelRequests[0];
        Assert.Contains("miércoles 15 de enero de 2025", first.SystemPrompt);
        Assert.Contains("America/Argentina/Buenos_Aires", first.SystemPrompt);
        Assert.Superset(new HashSet<string> { "get_current_time", "get_available_slots", "book_appointment", "cancel_appointment", "propose_booking" },
            first.ToolNames.ToHashSet());
        Assert.Contains(Slot, Assert.Single(ModelRequests[1].ToolResults));

        model.Then(ToolCall("book_appointment", new { start_iso = Slot, customer_name = "Ana" }));
        var booked = await Say("Sí");

        Assert.Equal(BookedReply, booked.Reply);
        Assert.Equal(("confirm", "2025-01-16", "15:00", (bool?)true), (booked.Intent, booked.DateIso, booked.TimeLocal, booked.Available));
        var call = Assert.Single(Bookings);
        Assert.Equal(Slot, call.Arguments!["start_iso"]);
        Assert.Equal("Ana", call.Arguments["customer_name"]);
        Assert.Equal("60", call.Arguments["duration_minutes"]);
        Assert.StartsWith("assistant-", call.Arguments["idempotency_key"]);
        // The booking ended the turn: the model was not asked again after it.
        Assert.Equal(3, ModelRequests.Count);
        Assert.Contains("2025-01-16T15:00:00-03:00", ModelRequests[2].SystemPrompt);
        // Every MCP call was made for the conversation's company; the model never chooses it.
        Assert.All(Calendar.Calls, c => Assert.Equal(Company, c.CustomerId));
    }

    [Fact]
    public async Task An_english_conversation_gets_an_english_prompt_and_confirmation()
    {
        model.Then(ToolCall("propose_booking", new { start_iso = Slot, customer_name = "John" }));

        var reply = await Say("I'd like to book tomorrow at 3 PM, my name is John");

        Assert.Equal("Shall I book Thursday, January 16 at 3:00 PM for you? Please answer \"yes\" or \"no\".", reply.Reply);
        Assert.Equal("en", reply.Language);
        Assert.Contains("Now at the company it is Wednesday, January 15 2025, 10:00 AM", ModelRequests[0].SystemPrompt);
    }

    [Fact]
    public async Task A_booking_the_customer_did_not_confirm_is_refused_and_nothing_is_booked()
    {
        model.Then(ToolCall("book_appointment", new { start_iso = Slot, customer_name = "Ana" }),
            Text("¿Te parece bien el jueves a las 15:00?"));

        var reply = await Say(Spec + ", soy Ana");

        Assert.Equal("¿Te parece bien el jueves a las 15:00?", reply.Reply);
        Assert.Empty(Bookings);
        Assert.Empty(Calendar.Appointments);
        Assert.StartsWith("REFUSED, nothing was booked", Assert.Single(ModelRequests[1].ToolResults));
        Assert.Contains(logs.Lines, l => l.Contains("without the customer's confirmation were refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_yes_books_only_the_proposed_slot_not_another_one()
    {
        await ProposeFifteenHundredForAna();
        model.Then(ToolCall("book_appointment", new { start_iso = "2025-01-16T16:00:00-03:00", customer_name = "Ana" }),
            Text("Perdón, ¿quieres las 15:00 o las 16:00?"));

        var reply = await Say("Sí");

        Assert.Equal("REFUSED, nothing was booked: the customer confirmed 2025-01-16T15:00:00-03:00, not this start. Propose another time with propose_booking first.", ModelRequests[^1].ToolResults[^1]);
        // The customer's yes was to 15:00, and the model did not book it: the rules do, and 16:00 is never booked.
        Assert.Equal(BookedReply, reply.Reply);
        Assert.Equal(Slot, Assert.Single(Bookings).Arguments!["start_iso"]);
    }

    [Fact]
    public async Task A_yes_the_model_only_talks_about_is_answered_by_the_rules()
    {
        await ProposeFifteenHundredForAna();
        model.Then(Text("¡Listo, tu turno quedó reservado!"));

        var reply = await Say("Sí");

        // The model's claim is not passed on: the rules book the proposal (with the name given) and say so.
        Assert.Equal(BookedReply, reply.Reply);
        Assert.Equal(Slot, Assert.Single(Bookings).Arguments!["start_iso"]);
        Assert.Contains(logs.Lines, l => l.Contains("did not act on the customer's yes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_proposal_is_confirmed_in_the_next_message_or_not_at_all()
    {
        await ProposeFifteenHundredForAna();
        model.Then(Text("Sí, hay estacionamiento en la esquina."));
        await Say("¿Tienen estacionamiento?");
        model.Then(ToolCall("book_appointment", new { start_iso = Slot, customer_name = "Ana" }), Text("¿Qué horario quieres reservar?"));

        await Say("Sí");

        Assert.Empty(Bookings);
    }

    [Fact]
    public async Task A_name_the_customer_never_wrote_is_not_put_in_the_calendar()
    {
        model.Then(ToolCall("propose_booking", new { start_iso = Slot, customer_name = "Roberto" }), Text("¿A nombre de quién hago la reserva?"));

        var reply = await Say(Spec);

        Assert.Equal("¿A nombre de quién hago la reserva?", reply.Reply);
        // A function's string result reaches the model as a JSON string.
        Assert.StartsWith("\"Not proposed: customer_name must be the name the customer wrote", ModelRequests[^1].ToolResults[^1]);
    }

    [Fact]
    public async Task Cancelling_needs_a_proposal_and_a_yes_too()
    {
        await ProposeFifteenHundredForAna();
        model.Then(ToolCall("book_appointment", new { start_iso = Slot, customer_name = "Ana" }));
        await Say("Sí");
        var eventId = Assert.Single(Calendar.Appointments).Key;

        model.Then(ToolCall("cancel_appointment", new { event_id = eventId }), Text("¿Seguro que quieres cancelarlo?"));
        await Say("Cancela mi turno");
        Assert.Single(Calendar.Appointments);

        model.Then(ToolCall("propose_cancellation", new { event_id = eventId }));
        var ask = await Say("Cancela mi turno por favor");
        Assert.Equal("¿Confirmas que quieres cancelar tu turno del jueves 16 de enero a las 15:00? Responde «sí» o «no».", ask.Reply);

        model.Then(ToolCall("cancel_appointment", new { event_id = eventId }));
        var done = await Say("sí");

        Assert.Equal("Listo, cancelé tu turno del jueves 16 de enero a las 15:00.", done.Reply);
        Assert.Empty(Calendar.Appointments);
    }

    [Fact]
    public async Task Moving_an_appointment_needs_a_proposal_and_a_yes()
    {
        await ProposeFifteenHundredForAna();
        model.Then(ToolCall("book_appointment", new { start_iso = Slot, customer_name = "Ana" }));
        await Say("Sí");
        var eventId = Assert.Single(Calendar.Appointments).Key;

        model.Then(ToolCall("reschedule_appointment", new { event_id = eventId, new_start_iso = "2025-01-17T10:00:00-03:00" }),
            Text("¿Quieres que lo mueva al viernes a las 10:00?"));
        await Say("Quiero cambiar mi turno al viernes a las 10");
        Assert.Equal(Slot, Calendar.Appointments[eventId].Start);

        model.Then(ToolCall("propose_reschedule", new { event_id = eventId, new_start_iso = "2025-01-17T10:00:00-03:00" }));
        var ask = await Say("Quiero cambiar mi turno al viernes a las 10");
        Assert.Equal("¿Confirmas que muevo tu turno del jueves 16 de enero a las 15:00 al viernes 17 de enero a las 10:00? Responde «sí» o «no».", ask.Reply);

        model.Then(ToolCall("reschedule_appointment", new { event_id = eventId, new_start_iso = "2025-01-17T10:00:00-03:00" }));
        var done = await Say("Sí");

        // The rules' own reply to a move (Writes.MoveAsync), in both engines.
        Assert.Equal("Listo, cambié tu turno: era el jueves 16 de enero a las 15:00 y ahora es el viernes 17 de enero a las 10:00. ¡Te esperamos!", done.Reply);
        Assert.Equal("reschedule", done.Intent);
        Assert.Equal("2025-01-17T10:00:00-03:00", Calendar.Appointments[eventId].Start);
        Assert.Single(Calendar.CallsOf("reschedule_appointment"));
    }

    [Fact]
    public async Task A_move_of_an_appointment_the_company_removed_says_it_cannot_be_moved()
    {
        await ProposeFifteenHundredForAna();
        model.Then(ToolCall("book_appointment", new { start_iso = Slot, customer_name = "Ana" }));
        await Say("Sí");
        var eventId = Assert.Single(Calendar.Appointments).Key;
        model.Then(ToolCall("propose_reschedule", new { event_id = eventId, new_start_iso = "2025-01-17T10:00:00-03:00" }));
        Assert.Equal("reschedule", (await Say("Quiero cambiar mi turno al viernes a las 10")).Intent);
        Calendar.Appointments.TryRemove(eventId, out _);

        model.Then(ToolCall("reschedule_appointment", new { event_id = eventId, new_start_iso = "2025-01-17T10:00:00-03:00" }));
        var gone = await Say("Sí");

        Assert.Equal("Tu turno del jueves 16 de enero a las 15:00 ya no figura en la agenda, así que no puedo cambiarlo. ¿Quieres reservar uno nuevo?", gone.Reply);
    }

    [Fact]
    public async Task A_move_the_rules_proposed_cannot_be_turned_into_a_second_booking_by_the_model()
    {
        await ProposeFifteenHundredForAna();
        model.Then(ToolCall("book_appointment", new { start_iso = Slot, customer_name = "Ana" }));
        await Say("Sí");
        var eventId = Assert.Single(Calendar.Appointments).Key;

        // The model is down: the rules propose moving the appointment (a proposal plus the event being moved).
        model.Then(Status(503));
        var proposedMove = await Say("Quiero cambiar mi turno al viernes a las 10");
        Assert.StartsWith("El viernes 17 de enero a las 10:00 está disponible", proposedMove.Reply);

        // Back for the yes, the model tries to book the proposed time as a new appointment.
        model.Then(ToolCall("book_appointment", new { start_iso = "2025-01-17T10:00:00-03:00", customer_name = "Ana" }),
            Text("¡Listo!"));
        await Say("Sí");

        // Never a second appointment: the rules act on the yes and move the one there is.
        Assert.Single(Bookings);
        Assert.Equal("2025-01-17T10:00:00-03:00", Assert.Single(Calendar.Appointments).Value.Start);
        Assert.Equal(eventId, Calendar.Appointments.Single().Key);
    }

    [Fact]
    public async Task A_yes_to_a_new_booking_never_runs_an_older_move_proposal()
    {
        await ProposeFifteenHundredForAna();
        model.Then(ToolCall("book_appointment", new { start_iso = Slot, customer_name = "Ana" }));
        await Say("Sí");
        var eventId = Assert.Single(Calendar.Appointments).Key;
        model.Then(ToolCall("propose_reschedule", new { event_id = eventId, new_start_iso = "2025-01-17T10:00:00-03:00" }));
        await Say("Quiero cambiar mi turno al viernes a las 10");

        // The customer turns to a second booking instead; the model proposes it.
        model.Then(ToolCall("propose_booking", new { start_iso = "2025-01-20T11:00:00-03:00", customer_name = "Ana" }));
        await Say("mejor reservame otro turno el lunes 20 a las 11");
        // The yes is to that booking: the model trying the old move is refused.
        model.Then(ToolCall("reschedule_appointment", new { event_id = eventId, new_start_iso = "2025-01-17T10:00:00-03:00" }), Text("¡Listo!"));
        await Say("Sí");

        Assert.Empty(Calendar.CallsOf("reschedule_appointment"));
        Assert.Equal(Slot, Calendar.Appointments[eventId].Start);
    }

    [Fact]
    public async Task A_yes_to_a_move_is_acted_on_even_when_the_model_only_talks()
    {
        await ProposeFifteenHundredForAna();
        model.Then(ToolCall("book_appointment", new { start_iso = Slot, customer_name = "Ana" }));
        await Say("Sí");
        var eventId = Assert.Single(Calendar.Appointments).Key;
        model.Then(ToolCall("propose_reschedule", new { event_id = eventId, new_start_iso = "2025-01-17T10:00:00-03:00" }));
        await Say("Quiero cambiar mi turno al viernes a las 10");

        model.Then(Text("¡Listo, ya está!"));
        var done = await Say("Sí");

        Assert.Single(Calendar.CallsOf("reschedule_appointment"));
        Assert.Equal("2025-01-17T10:00:00-03:00", Calendar.Appointments[eventId].Start);
        Assert.NotEqual("¡Listo, ya está!", done.Reply);
    }

    [Fact]
    public async Task The_model_cannot_book_under_a_name_hidden_inside_another_word()
    {
        // "Ana" is inside "mañana", but the customer never gave a name.
        model.Then(ToolCall("propose_booking", new { start_iso = Slot, customer_name = "Ana" }), Text("¿A nombre de quién?"));
        var reply = await Say("Quiero reservar para mañana a las 3 PM");

        Assert.NotEqual(AskToConfirm, reply.Reply);
        Assert.Empty(Bookings);
    }

    [Fact]
    public async Task A_lost_answer_to_a_booking_is_asked_again_with_the_same_key_and_told_as_booked()
    {
        await ProposeFifteenHundredForAna();
        Calendar.LoseNextBookingAnswers = 1;
        model.Then(ToolCall("book_appointment", new { start_iso = Slot, customer_name = "Ana" }));
        var booked = await Say("Sí");

        Assert.Equal(BookedReply, booked.Reply);
        Assert.Single(Calendar.Appointments);
        Assert.Equal(2, Bookings.Count);
        Assert.Equal(Bookings[0].Arguments!["idempotency_key"], Bookings[1].Arguments!["idempotency_key"]);
    }

    [Fact]
    public async Task A_booking_the_server_made_after_the_assistant_stopped_waiting_is_told_as_booked()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(AssistantHost.Wednesday);
        Assistant(time: time);
        await ProposeFifteenHundredForAna();
        Calendar.HoldNextBookingAnswers = 1;
        model.Then(ToolCall("book_appointment", new { start_iso = Slot, customer_name = "Ana" }));
        var answering = Say("Sí");
        await Eventually.TrueAsync(() => Task.FromResult(!Calendar.Appointments.IsEmpty), "the server booked and holds its answer");

        time.Advance(services!.GetRequiredService<Microsoft.Extensions.Options.IOptions<McpCalendar.McpCalendarOptions>>().Value.WriteCallTimeout);
        var booked = await answering;

        Assert.Equal(BookedReply, booked.Reply);
        Assert.Single(Calendar.Appointments);
        Assert.Equal(2, Bookings.Count);
        Assert.Equal(Bookings[0].Arguments!["idempotency_key"], Bookings[1].Arguments!["idempotency_key"]);
    }

    [Fact]
    public async Task A_booking_never_confirmed_is_told_so_and_either_engine_checks_it_with_the_same_key()
    {
        await ProposeFifteenHundredForAna();
        var unconfirmed = new ToolFailure(CalendarErrorCodes.CalendarUnavailable,
            "The company's calendar did not confirm the booking, so it may or may not have been made.");
        for (var i = 0; i < new McpCalendar.McpCalendarOptions().WriteAttempts; i++) Calendar.BookingFailures.Enqueue(unconfirmed);
        model.Then(ToolCall("book_appointment", new { start_iso = Slot, customer_name = "Ana" }));
        var unsure = await Say("Sí");
        Assert.Equal(ReplyTexts.BookingUnconfirmed(new NodaTime.LocalDateTime(2025, 1, 16, 15, 0), Understanding.Language.Spanish), unsure.Reply);
        Assert.Empty(Calendar.Appointments);

        // The model is down for the check: the rules ask with the same idempotency key, so there is one booking.
        model.Then(Status(502));
        var booked = await Say("Sí");

        Assert.Equal(BookedReply, booked.Reply);
        Assert.Single(Calendar.Appointments);
        Assert.Single(Bookings.Select(b => b.Arguments!["idempotency_key"]).Distinct());
    }

    public static TheoryData<string> Failures => ["unreachable", "http 500", "http 401", "garbage", "timeout", "too many rounds", "empty reply"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task When_the_model_fails_the_rules_answer_the_message(string failure)
    {
        string? endpoint = null;
        string? timeout = null;
        switch (failure)
        {
            case "unreachable": endpoint = FakeCalendarServer.UnreachableUrl() + "/v1"; break;
            case "http 500": model.Then(Status(500)); break;
            case "http 401": model.Then(Status(401)); break;
            case "garbage": model.Then(Garbage()); break;
            case "timeout":
                timeout = "1";
                model.Then(Slow(TimeSpan.FromSeconds(10), Text("too late")));
                break;
            case "too many rounds":
                for (var i = 0; i < 10; i++) model.Then(ToolCall("get_current_time", new { }));
                break;
            case "empty reply": model.Then(Text("")); break;
        }
        Assistant(endpoint, timeoutSeconds: timeout);

        var reply = await Say(Spec);

        Assert.Equal(RulesProposal, reply.Reply);
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("rule-based assistant answers", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("mañana", StringComparison.OrdinalIgnoreCase) || l.Contains(ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_endpoint_failing_again_and_again_is_skipped_for_a_minute()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(AssistantHost.Wednesday);
        Assistant(time: time);
        for (var i = 0; i < ModelEndpointBreaker.FailuresToOpen; i++)
        {
            model.Then(Status(500));
            await Say("hola", $"conv-{i}");
        }

        // Paused: the customer gets the rules' answer at once and the endpoint is not asked.
        var paused = await Say("hola", "conv-paused");
        Assert.Equal(ReplyTexts.Greeting(Understanding.Language.Spanish), paused.Reply);
        Assert.Equal(ModelEndpointBreaker.FailuresToOpen, ModelRequests.Count);
        Assert.Contains(logs.Lines, l => l.Contains("failed 3 times in a row", StringComparison.Ordinal));

        // A minute later it is tried again.
        time.Advance(ModelEndpointBreaker.PauseFor + TimeSpan.FromSeconds(1));
        model.Then(Text("¡Hola de nuevo!"));
        var back = await Say("hola", "conv-back");
        Assert.Equal("¡Hola de nuevo!", back.Reply);
    }

    [Fact]
    public async Task The_model_is_told_the_times_the_rules_offered_in_order()
    {
        Calendar.BusyHours["2025-01-16"] = [15];
        model.Then(Status(503));
        var offered = await Say(Spec);
        Assert.Equal(["2025-01-16T14:00", "2025-01-16T16:00"], offered.Offered);

        model.Then(Text("¿Te reservo el de las 16:00?"));
        await Say("la segunda");

        Assert.Contains("Horarios libres ofrecidos al cliente en la respuesta anterior, en este orden: 2025-01-16T14:00:00, 2025-01-16T16:00:00.",
            ModelRequests[^1].SystemPrompt);
        Assert.Empty(Bookings);
    }

    [Fact]
    public async Task A_conversation_mixing_both_engines_shares_one_state()
    {
        // The model is down for the first message: the rules propose 15:00.
        model.Then(Status(503));
        var proposed = await Say(Spec);
        Assert.Equal(RulesProposal, proposed.Reply);

        // It is back for the yes: it is told what is pending, and the same idempotency key is used as the rules would.
        model.Then(ToolCall("book_appointment", new { start_iso = Slot, customer_name = "Ana" }));
        var booked = await Say("Sí, a nombre de Ana");

        Assert.Equal(BookedReply, booked.Reply);
        var prompt = ModelRequests[^1];
        Assert.Contains("Pendiente del sí del cliente: reserva de 2025-01-16T15:00:00-03:00 (60 min), todavía sin nombre", prompt.SystemPrompt);
        // The rules' exchange was remembered for the model.
        Assert.Contains(prompt.Messages, m => m?["role"]?.GetValue<string>() == "assistant" && m["content"]?.ToString() == RulesProposal);
        Assert.Equal("Ana", Assert.Single(Bookings).Arguments!["customer_name"]);

        // And the model down again: the rules know the booking the model made.
        model.Then(Status(500));
        var mine = await Say("¿Cuándo es mi turno?");
        Assert.Equal("Tu turno es el jueves 16 de enero a las 15:00.", mine.Reply);
    }

    [Fact]
    public async Task A_yes_and_a_bare_name_in_one_message_lets_the_model_book_under_that_name()
    {
        model.Then(Status(503));
        Assert.Equal(RulesProposal, (await Say(Spec)).Reply);

        // The same rule as the rules' engine: "sí, Laura Mills" is the yes and the name, so the model need not ask for it.
        model.Then(ToolCall("book_appointment", new { start_iso = Slot, customer_name = "Laura Mills" }));
        var booked = await Say("sí, Laura Mills");

        Assert.Equal(BookedReply, booked.Reply);
        Assert.Equal("Laura Mills", Assert.Single(Bookings).Arguments!["customer_name"]);
    }

    [Fact]
    public async Task The_name_the_rules_asked_for_after_a_yes_lets_the_model_book()
    {
        model.Then(Status(500), Status(500));
        await Say(Spec);
        var askName = await Say("Sí");
        Assert.Equal("¿A nombre de quién hago la reserva?", askName.Reply);

        model.Then(ToolCall("book_appointment", new { start_iso = Slot, customer_name = "Ana García" }));
        var booked = await Say("ana garcía");

        Assert.Equal(BookedReply, booked.Reply);
        Assert.Equal("Ana García", Assert.Single(Bookings).Arguments!["customer_name"]);
    }

    [Fact]
    public async Task A_no_after_the_name_was_asked_is_not_a_yes()
    {
        model.Then(Status(500), Status(500));
        await Say(Spec);
        await Say("Sí");

        model.Then(ToolCall("book_appointment", new { start_iso = Slot, customer_name = "Ana" }), Text("De acuerdo, no reservo nada."));
        var reply = await Say("no, mejor no");

        Assert.Equal("De acuerdo, no reservo nada.", reply.Reply);
        Assert.Empty(Bookings);
    }

    [Fact]
    public async Task The_history_sent_to_the_model_is_bounded()
    {
        for (var i = 0; i < LlmMemory.MaxExchanges + 3; i++)
        {
            model.Then(Text($"Respuesta {i}"));
            await Say($"Mensaje {i}");
        }

        var last = ModelRequests[^1];
        Assert.Equal(1 + 2 * LlmMemory.MaxExchanges + 1, last.Messages.Count);
        Assert.Equal($"Mensaje {LlmMemory.MaxExchanges + 2}", last.Messages[^1]?["content"]?.ToString());
        var state = await services!.GetRequiredService<IConversationStore>().GetAsync(Company, "conv-1", TestContext.Current.CancellationToken);
        Assert.Equal(LlmMemory.MaxExchanges, state!.Llm!.History.Count);
    }

    [Fact]
    public async Task A_long_model_reply_is_cut()
    {
        model.Then(Text(string.Join(' ', Enumerable.Repeat("palabra", 400))));

        var reply = await Say("hola");

        Assert.True(reply.Reply.Length <= 1001, $"{reply.Reply.Length} characters");
        Assert.EndsWith("…", reply.Reply);
    }

    [Fact]
    public async Task The_api_key_is_sent_as_bearer_and_never_logged()
    {
        model.Then(Text("¡Hola! ¿En qué puedo ayudarte?"), Status(500));

        await Say("hola");
        await Say("hola otra vez");

        Assert.All(ModelRequests, r => Assert.Equal("Bearer " + ApiKey, r.Authorization));
        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_an_api_key_no_authorization_is_sent()
    {
        model.Then(Text("¡Hola!"));
        Assistant(apiKey: null);

        var reply = await Say("hola");

        Assert.Equal("¡Hola!", reply.Reply);
        Assert.Equal("", Assert.Single(ModelRequests).Authorization);
    }
}

public class LlmAppointmentListTests
{
    private static ModelContextProtocol.Protocol.CallToolResult Listing(string json, bool structured = true)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return new ModelContextProtocol.Protocol.CallToolResult
        {
            Content = [new ModelContextProtocol.Protocol.TextContentBlock { Text = json }],
            StructuredContent = structured ? document.RootElement.Clone() : null,
        };
    }

    private const string TwoPeople = """
        {"time_zone":"America/Argentina/Buenos_Aires","appointments":[
          {"event_id":"evtmine","start":"2025-01-16T15:00:00-03:00","end":"2025-01-16T16:00:00-03:00","status":"confirmed","customer_name":"Ana"},
          {"event_id":"evtother","start":"2025-01-16T16:00:00-03:00","end":"2025-01-16T17:00:00-03:00","status":"confirmed","customer_name":"Roberto"}]}
        """;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Only_this_conversations_appointments_reach_the_model(bool structured)
    {
        var kept = LlmTurn.OwnAppointments(Listing(TwoPeople, structured), new HashSet<string> { "evtmine" }, "UTC");

        var json = kept.ToJsonString();
        Assert.Contains("evtmine", json);
        Assert.DoesNotContain("Roberto", json);
        Assert.DoesNotContain("evtother", json);
        Assert.Contains("America/Argentina/Buenos_Aires", json);
    }

    [Fact]
    public void A_failed_listing_shows_nothing_of_the_servers_text()
    {
        var failed = new ModelContextProtocol.Protocol.CallToolResult
        {
            IsError = true,
            Content = [new ModelContextProtocol.Protocol.TextContentBlock { Text = "Roberto's calendar token expired" }],
        };

        var json = LlmTurn.OwnAppointments(failed, new HashSet<string> { "evtmine" }, "UTC").ToJsonString();

        Assert.DoesNotContain("Roberto", json);
        Assert.Contains("\"appointments\":[]", json);
    }
}
