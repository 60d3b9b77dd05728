using System.Text.Json;
using CalendarConnect.Assistant.Replies;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarConnect.Assistant.Tests;

public sealed class BookingAssistantTests : FakeCalendarTest
{
    [Fact]
    public async Task The_spec_utterance_gets_the_spec_reply_and_the_company_header()
    {
        var reply = await Say("Quiero reservar para mañana a las 3 PM");

        // The spec's sentence, naming the day, date and time the "sí" will book.
        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 15:00?", reply.Reply);
        Assert.Equal(("es", "book", "2025-01-16", "15:00", (bool?)true), (reply.Language, reply.Intent, reply.DateIso, reply.TimeLocal, reply.Available));
        Assert.Contains(Server.Calendar.Calls, c => c is { Tool: "get_available_slots", DateIso: "2025-01-16", CustomerId: Company });
        Assert.All(Server.Calendar.Calls, c => Assert.Equal(Company, c.CustomerId));
    }

    [Fact]
    public async Task English_gets_the_English_sentence()
    {
        var reply = await Say("I'd like to book tomorrow at 3 PM");

        Assert.Equal("Perfect! That time is available. Shall I confirm the booking for Thursday, January 16 at 3:00 PM?", reply.Reply);
        Assert.Equal("en", reply.Language);
    }

    [Fact]
    public async Task A_busy_hour_offers_the_nearest_free_times_of_that_day()
    {
        Server.Calendar.BusyHours["2025-01-16"] = [15];

        var reply = await Say("Quiero reservar para mañana a las 3 PM");

        Assert.Equal(
            "Lo siento, las 15:00 del jueves 16 de enero no están disponibles. Los horarios libres más cercanos son 14:00 y 16:00. ¿Te sirve alguno?",
            reply.Reply);
        Assert.False(reply.Available);
        Assert.Equal(["14:00", "16:00"], reply.Alternatives);
    }

    [Fact]
    public async Task A_busy_hour_in_English()
    {
        Server.Calendar.BusyHours["2025-01-16"] = [14, 15, 16];

        var reply = await Say("I'd like to book tomorrow at 3 PM");

        Assert.Equal(
            "Sorry, 3:00 PM on Thursday, January 16 is not available. The nearest free times are 1:00 PM and 5:00 PM. Would any of those work?",
            reply.Reply);
    }

    [Fact]
    public async Task Outside_business_hours_offers_the_closest_free_time()
    {
        var reply = await Say("mañana a las 8");

        Assert.Equal(
            "Lo siento, las 08:00 del jueves 16 de enero no están disponibles. Los horarios libres más cercanos son 09:00 y 10:00. ¿Te sirve alguno?",
            reply.Reply);
    }

    [Fact]
    public async Task A_closed_day_offers_the_next_free_times_from_the_calendar()
    {
        var reply = await Say("Quiero reservar el sábado a las 11");

        Assert.Equal(
            "Lo siento, las 11:00 del sábado 18 de enero no están disponibles. Los horarios libres más cercanos son el lunes 20 de enero a las 09:00 y 10:00. ¿Te sirve alguno?",
            reply.Reply);
        // The reply's alternatives are times of the requested day; none is free on Saturday.
        Assert.Empty(reply.Alternatives);
        Assert.Contains(Server.Calendar.Calls, c => c.Tool == "find_next_available_slots" && c.Arguments!["from_iso"] == "2025-01-18T11:00:00");
    }

    [Fact]
    public async Task A_day_without_a_time_lists_its_free_times()
    {
        Server.Calendar.BusyHours["2025-01-16"] = [9, 10, 11, 12, 13, 14];

        var reply = await Say("Quiero reservar para mañana");

        Assert.Equal("Para el jueves 16 de enero hay estos horarios libres: 15:00, 16:00 y 17:00. ¿A qué hora te gustaría?", reply.Reply);
        Assert.Equal(["15:00", "16:00", "17:00"], reply.Alternatives);
        Assert.Null(reply.Available);
    }

    [Fact]
    public async Task A_time_after_the_listed_day_is_checked_on_that_day()
    {
        await Say("Quiero reservar para mañana");
        var reply = await Say("a las 4");

        Assert.Equal(("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 16:00?", "2025-01-16", "16:00"),
            (reply.Reply, reply.DateIso, reply.TimeLocal));
    }

    [Fact]
    public async Task A_missing_date_is_asked_for_and_the_time_is_remembered()
    {
        var ask = await Say("Quiero reservar a las 3");
        var reply = await Say("el viernes");

        Assert.Equal("¿Para qué día te gustaría reservar a las 15:00?", ask.Reply);
        Assert.DoesNotContain(Server.Calendar.Calls, c => c.Tool == "get_available_slots" && c.DateIso != "2025-01-17");
        Assert.Equal(("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el viernes 17 de enero a las 15:00?", "2025-01-17", "15:00"),
            (reply.Reply, reply.DateIso, reply.TimeLocal));
    }

    [Fact]
    public async Task Booking_without_day_or_time_asks_for_both()
    {
        var reply = await Say("I'd like to book an appointment");

        Assert.Equal("What day and time would you like to book?", reply.Reply);
        Assert.Empty(Server.Calendar.Calls);
    }

    [Fact]
    public async Task Conversations_do_not_share_memory()
    {
        await Say("Quiero reservar para mañana", conversation: "a");
        var other = await Say("a las 4", conversation: "b");

        Assert.Equal("¿Para qué día te gustaría reservar a las 16:00?", other.Reply);
    }

    [Fact]
    public async Task A_greeting_says_what_the_assistant_can_do_without_calling_the_calendar()
    {
        var es = await Say("Hola");
        var en = await Say("Hello!", conversation: "conv-2");

        Assert.Equal((ReplyTexts.Greeting(Understanding.Language.Spanish), "greeting"), (es.Reply, es.Intent));
        Assert.Contains("reservar", es.Reply);
        Assert.Contains("book", en.Reply);
        Assert.Equal("en", en.Language);
        Assert.Empty(Server.Calendar.Calls);
    }

    [Fact]
    public async Task The_conversation_language_carries_over_to_messages_without_clues()
    {
        await Say("I'd like to book tomorrow");
        var reply = await Say("15:00");

        Assert.Equal(("Perfect! That time is available. Shall I confirm the booking for Thursday, January 16 at 3:00 PM?", "en"), (reply.Reply, reply.Language));
    }

    [Fact]
    public async Task A_past_date_is_refused()
    {
        var reply = await Say("reservar el 2025-01-10 a las 10");

        Assert.Equal("El viernes 10 de enero ya pasó. ¿Para qué otro día te gustaría reservar?", reply.Reply);
        Assert.DoesNotContain(Server.Calendar.Calls, c => c.Tool == "get_available_slots");
    }

    [Fact]
    public async Task An_impossible_date_is_asked_again()
    {
        var reply = await Say("reservar el 31/02 a las 10");

        Assert.Equal(ReplyTexts.DateNotRecognised(Understanding.Language.Spanish), reply.Reply);
    }

    public static TheoryData<string?, string, string> ToolErrorReplies => new()
    {
        { "not_connected", "Quiero reservar para mañana a las 3 PM",
            "No puedo consultar la agenda de la empresa por ahora, así que en este momento no puedo tomar reservas: todavía no está conectada. Por favor, comunícate directamente con ellos." },
        { "not_connected", "I'd like to book tomorrow at 3 PM",
            "I can't check the company's calendar yet, so I can't take bookings right now: it isn't connected. Please contact them directly." },
        { "needs_reauthorization", "Quiero reservar para mañana a las 3 PM",
            "No puedo consultar la agenda de la empresa por ahora, así que en este momento no puedo tomar reservas: la empresa tiene que volver a conectar su calendario. Mientras tanto, por favor, comunícate directamente con ellos." },
        { "needs_reauthorization", "I'd like to book tomorrow at 3 PM",
            "I can't check the company's calendar right now, so I can't take bookings: the company needs to reconnect it. In the meantime, please contact them directly." },
        { "calendar_unavailable", "Quiero reservar para mañana a las 3 PM",
            "No puedo consultar la agenda en este momento. Por favor, inténtalo de nuevo en unos minutos." },
        { "calendar_unavailable", "I'd like to book tomorrow at 3 PM",
            "I can't check the calendar right now. Please try again in a few minutes." },
        { "invalid_customer", "Quiero reservar para mañana a las 3 PM",
            "No puedo consultar la agenda en este momento. Por favor, inténtalo más tarde o comunícate directamente con la empresa." },
        { "missing_customer", "I'd like to book tomorrow at 3 PM",
            "I can't check the calendar right now. Please try again later or contact the company directly." },
        { "invalid_argument", "Quiero reservar para mañana a las 3 PM",
            "No puedo consultar la agenda en este momento. Por favor, inténtalo más tarde o comunícate directamente con la empresa." },
        { "a_code_from_the_future", "Quiero reservar para mañana a las 3 PM",
            "No puedo consultar la agenda en este momento. Por favor, inténtalo más tarde o comunícate directamente con la empresa." },
        { null, "Quiero reservar para mañana a las 3 PM",
            "No puedo consultar la agenda en este momento. Por favor, inténtalo más tarde o comunícate directamente con la empresa." },
        { null, "I'd like to book tomorrow at 3 PM",
            "I can't check the calendar right now. Please try again later or contact the company directly." },
    };

    [Theory]
    [MemberData(nameof(ToolErrorReplies))]
    public async Task A_tool_error_is_told_in_the_customers_language_by_its_code(string? code, string text, string expected)
    {
        const string adminText = "Calendar access was revoked; send the customer a new connection link.";
        Server.Calendar.FailingCustomers["empresa-con-problemas"] = new ToolFailure(code, adminText);

        var reply = await Say(text, customer: "empresa-con-problemas");

        Assert.Equal(expected, reply.Reply);
        Assert.DoesNotContain("link", reply.Reply);
        Assert.Null(reply.Available);
    }

    [Fact]
    public async Task A_company_without_a_calendar_is_not_shown_the_servers_admin_text()
    {
        var reply = await Say("Quiero reservar para mañana a las 3 PM", customer: FakeCalendarServer.NotConnectedCustomer);

        Assert.DoesNotContain(FakeCalendarServer.NotConnectedMessage, reply.Reply);
        Assert.StartsWith("No puedo consultar la agenda", reply.Reply);
    }

    [Theory]
    [InlineData("get_current_time", "{\"now\":\"mañana\"}")]
    [InlineData("get_current_time", "not json")]
    [InlineData("get_available_slots", "{\"date\":\"2025-01-16\",\"slots\":[{\"start\":\"15\",\"end\":\"16\"}]}")]
    [InlineData("get_available_slots", "{\"date\":\"2025-01-16\"}")]
    [InlineData("get_available_slots", "{\"date\":\"2025-01-16\",\"slots\":{\"start\":1}}")]
    public async Task A_malformed_tool_answer_gets_try_again_later_not_an_exception(string tool, string raw)
    {
        Server.Calendar.RawAnswers[tool] = raw;

        var reply = await Say("Quiero reservar para mañana a las 3 PM");

        Assert.Equal(ReplyTexts.CalendarUnreachable(Understanding.Language.Spanish), reply.Reply);
    }

    [Fact]
    public async Task One_message_costs_one_MCP_handshake()
    {
        await Say("Quiero reservar para mañana a las 3 PM");

        Assert.Equal(["get_current_time", "get_available_slots"], Server.Calendar.Calls.Select(c => c.Tool));
        Assert.Equal(1, Server.Calendar.Handshakes);
        // One handshake, then one tools/call per tool (a client per call made that two handshakes).
        Assert.Equal(2, Server.Calendar.Requests.Count(r => r.JsonRpcMethod == "tools/call"));
        Assert.Equal(Server.Calendar.Handshakes + 2, Server.Calendar.Requests.Count);
    }

    [Fact]
    public async Task A_message_that_needs_no_calendar_makes_no_request()
    {
        await Say("Hola");
        await Say("Quiero reservar a las 3");

        Assert.Empty(Server.Calendar.Requests);
    }

    [Fact]
    public async Task Today_is_the_company_date_the_server_gives()
    {
        // 23:30 on Monday 10 March in Buenos Aires: already Tuesday in UTC and in the test machine's likely zone.
        Server.Calendar.Now = "2025-03-10T23:30:00-03:00";

        var tomorrow = await Say("Quiero reservar para mañana a las 3 PM");
        var today = await Say("¿hay lugar hoy?", conversation: "conv-2");

        Assert.Equal("2025-03-11", tomorrow.DateIso);
        Assert.Equal("2025-03-10", today.DateIso);
        Assert.Contains(Server.Calendar.Calls, c => c is { Tool: "get_available_slots", DateIso: "2025-03-11" });
    }

    [Fact]
    public async Task A_day_before_the_servers_today_is_in_the_past()
    {
        Server.Calendar.Now = "2025-02-03T09:00:00-03:00";

        var reply = await Say("reservar el 2025-01-16 a las 10");

        Assert.Equal("El jueves 16 de enero ya pasó. ¿Para qué otro día te gustaría reservar?", reply.Reply);
    }

    [Fact]
    public async Task A_half_hour_is_answered_with_the_hours_around_it()
    {
        var reply = await Say("Quiero reservar para mañana a las 15:30");

        Assert.Equal(
            "Los turnos empiezan a la hora en punto, así que no puedo reservar a las 15:30 del jueves 16 de enero. Los horarios libres más cercanos son 15:00 y 16:00. ¿Te sirve alguno?",
            reply.Reply);
        Assert.Equal(("15:30", (bool?)false), (reply.TimeLocal, reply.Available));
        Assert.Equal(["15:00", "16:00"], reply.Alternatives);
    }

    [Fact]
    public async Task A_half_hour_next_to_a_busy_hour_offers_the_free_hours_on_either_side()
    {
        Server.Calendar.BusyHours["2025-01-16"] = [15];

        var reply = await Say("I'd like to book tomorrow at 3:30 PM");

        Assert.Equal(
            "Appointments start on the hour, so I can't book 3:30 PM on Thursday, January 16. The nearest free times are 2:00 PM and 4:00 PM. Would either of those work?",
            reply.Reply);
    }

    [Fact]
    public async Task A_half_hour_is_bookable_when_the_company_has_half_hour_slots()
    {
        Server.Calendar.RawAnswers["get_available_slots"] =
            "{\"date\":\"2025-01-16\",\"slots\":[{\"start\":\"2025-01-16T15:30:00-03:00\",\"end\":\"2025-01-16T16:00:00-03:00\"}]}";

        var reply = await Say("Quiero reservar para mañana a las 15:30");

        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 15:30?", reply.Reply);
    }

    [Fact]
    public async Task A_server_that_is_down_gets_a_polite_failure()
    {
        await using var down = AssistantHost.Build(FakeCalendarServer.UnreachableUrl());

        var es = await down.GetRequiredService<BookingAssistant>().ReplyAsync(Company, "c", "Quiero reservar para mañana a las 3 PM", TestContext.Current.CancellationToken);
        var en = await down.GetRequiredService<BookingAssistant>().ReplyAsync(Company, "d", "I'd like to book tomorrow at 3 PM", TestContext.Current.CancellationToken);

        Assert.Equal("No puedo consultar la agenda en este momento. Por favor, inténtalo de nuevo en unos minutos.", es.Reply);
        Assert.Equal("I can't check the calendar right now. Please try again in a few minutes.", en.Reply);
    }

    public static TheoryData<string> HostileTexts => new()
    {
        "",
        "   ",
        new string('x', 10_000),
        string.Concat(Enumerable.Repeat("mañana a las 3 ", 700)),
        "\0\u0001\u0007\u001b[2J\r\n\t",
        "<script>alert(1)</script><img src=x onerror=alert(1)> mañana a las 3",
        "\ud83d unpaired",
        "{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"name\":\"get_available_slots\"}}",
        "a las 99:99 el 99/99/9999",
    };

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public async Task Hostile_input_never_throws_and_is_never_echoed(string text)
    {
        var reply = await Say(text);

        Assert.False(string.IsNullOrWhiteSpace(reply.Reply));
        Assert.DoesNotContain("<", reply.Reply);
        Assert.DoesNotContain(reply.Reply, c => char.IsControl(c));
        Assert.True(reply.Reply.Length < 400);
    }

    [Fact]
    public async Task A_null_text_is_answered_like_an_empty_one()
    {
        var reply = await Assistant.ReplyAsync(Company, "conv-null", null, TestContext.Current.CancellationToken);

        Assert.Equal("other", reply.Intent);
    }

    [Fact]
    public async Task An_invalid_customer_id_is_a_caller_error()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Assistant.ReplyAsync("", "c", "hola", TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => Assistant.ReplyAsync("a\r\nb", "c", "hola", TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<ArgumentException>(() => Assistant.ReplyAsync(Company, new string('c', 201), "hola", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_reply_serialises_with_snake_case_names()
    {
        Server.Calendar.BusyHours["2025-01-16"] = [15];
        var reply = await Say("Quiero reservar para mañana a las 3 PM");

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(reply));

        Assert.Equal(["reply", "language", "intent", "date_iso", "time_local", "available", "alternatives", "offered"],
            json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["2025-01-16T14:00", "2025-01-16T16:00"], json.RootElement.GetProperty("offered").EnumerateArray().Select(o => o.GetString()));
    }
}
