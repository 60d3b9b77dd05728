using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CalendarConnect.EndToEnd.Tests;

/// <summary>
/// Whole conversations with the booking assistant through <c>POST /v1/assistant/messages</c>, against the real backend,
/// MCP Calendar Server and Google emulator. What the assistant says it did is checked in the company's Google calendar.
/// The MCP server's and backend's clock is Wednesday 15 January 2025, 10:00 in Buenos Aires.
/// </summary>
public class AssistantConversationTests
{
    private const string Zone = "America/Argentina/Buenos_Aires";

    private sealed record Company(string Id, string Email, string Name);

    private static readonly Company Abc = new("empresa-abc-123", "contacto@empresa-abc.com", "Empresa ABC S.A.");
    private static readonly Company Xyz = new("empresa-xyz-456", "agenda@xyz-consultorio.com", "Consultorio XYZ");

    private static FakeTimeProvider Wednesday() => new(new DateTimeOffset(2025, 1, 15, 13, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Greeting_a_part_of_the_day_a_time_yes_and_a_name_book_exactly_what_was_confirmed()
    {
        await using var system = await SystemHarness.StartAsync(Wednesday());
        await ConnectAsync(system, Abc);
        var chat = new Chat(system, Abc, "whatsapp:+5491100000010");

        Assert.Equal("greeting", (await chat.SayAsync("hola")).Intent);
        var afternoon = await chat.SayAsync("¿tienen turno mañana por la tarde?");
        Assert.Equal("El jueves 16 de enero por la tarde hay estos horarios libres: 12:00, 13:00, 14:00, 15:00, 16:00 y 17:00. ¿Cuál te gustaría?", afternoon.Reply);
        var proposal = await chat.SayAsync("a las 3");
        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 15:00?", proposal.Reply);
        Assert.Empty(await EventsAsync(system, Abc, "2025-01-16"));

        Assert.Equal("¿A nombre de quién hago la reserva?", (await chat.SayAsync("sí")).Reply);
        var booked = await chat.SayAsync("Ana Pérez");

        Assert.Equal("Listo, reservé tu turno para el jueves 16 de enero a las 15:00. ¡Te esperamos!", booked.Reply);
        var item = Assert.Single(await EventsAsync(system, Abc, "2025-01-16"));
        Assert.Equal(new DateTimeOffset(2025, 1, 16, 15, 0, 0, TimeSpan.FromHours(-3)), Start(item));
        Assert.Contains("Ana Pérez", item.GetRawText());
    }

    [Fact]
    public async Task A_busy_time_gets_the_nearest_free_times_and_one_of_them_is_booked()
    {
        await using var system = await SystemHarness.StartAsync(Wednesday());
        await ConnectAsync(system, Abc);
        await system.AddEventAsync(Abc.Email, "busy0at0three", "2025-01-16", "15:00", "16:00", Zone);
        var chat = new Chat(system, Abc, "c-busy");

        var busy = await chat.SayAsync("Quiero reservar para mañana a las 3 PM");
        Assert.Equal("Lo siento, las 15:00 del jueves 16 de enero no están disponibles. Los horarios libres más cercanos son 14:00 y 16:00. ¿Te sirve alguno?", busy.Reply);
        Assert.Equal(false, busy.Available);

        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 16:00?", (await chat.SayAsync("a las 4")).Reply);
        await chat.SayAsync("dale");
        Assert.Equal("Listo, reservé tu turno para el jueves 16 de enero a las 16:00. ¡Te esperamos!", (await chat.SayAsync("Bruno")).Reply);

        // The company's own event (written without an offset, in its zone) and ours, an hour later.
        var ours = Assert.Single(await EventsAsync(system, Abc, "2025-01-16"), e => e.GetProperty("id").GetString() != "busy0at0three");
        Assert.Equal(new DateTimeOffset(2025, 1, 16, 16, 0, 0, TimeSpan.FromHours(-3)), Start(ours));
        Assert.Contains("Bruno", ours.GetRawText());

        // A closed day (Saturday): the MCP server's find_next_available_slots names Monday's first free times.
        var closed = await chat.SayAsync("¿y el sábado a las 11?");
        Assert.Equal("Lo siento, las 11:00 del sábado 18 de enero no están disponibles. Los horarios libres más cercanos son el lunes 20 de enero a las 09:00 y 10:00. ¿Te sirve alguno?",
            closed.Reply);
    }

    [Fact]
    public async Task Cancel_asks_first_and_then_removes_the_event()
    {
        await using var system = await SystemHarness.StartAsync(Wednesday());
        await ConnectAsync(system, Abc);
        var chat = new Chat(system, Abc, "c-cancel");
        await chat.BookAsync("I'd like to book tomorrow at 3 PM", "Ana");
        Assert.Single(await EventsAsync(system, Abc, "2025-01-16"));

        var ask = await chat.SayAsync("please cancel my appointment");
        Assert.Equal("Do you want me to cancel your appointment on Thursday, January 16 at 3:00 PM? Please answer \"yes\" or \"no\".", ask.Reply);
        Assert.Single(await EventsAsync(system, Abc, "2025-01-16"));

        var done = await chat.SayAsync("yes");

        Assert.Equal("Done: your appointment on Thursday, January 16 at 3:00 PM is cancelled.", done.Reply);
        Assert.Empty(await EventsAsync(system, Abc, "2025-01-16"));
        Assert.Equal("I don't have any appointment of yours booked in this chat. Would you like to book one?", (await chat.SayAsync("when is my appointment?")).Reply);
    }

    [Fact]
    public async Task Reschedule_moves_the_event_in_google_after_an_explicit_yes()
    {
        await using var system = await SystemHarness.StartAsync(Wednesday());
        await ConnectAsync(system, Abc);
        var chat = new Chat(system, Abc, "c-move");
        await chat.BookAsync("Quiero reservar para mañana a las 3 PM", "Ana");
        var bookedId = Assert.Single(await EventsAsync(system, Abc, "2025-01-16")).GetProperty("id").GetString();

        var proposal = await chat.SayAsync("quiero cambiar mi turno al viernes a las 10");
        Assert.Equal("El viernes 17 de enero a las 10:00 está disponible. ¿Confirmas que cambio tu turno del jueves 16 de enero a las 15:00 al viernes 17 de enero a las 10:00?",
            proposal.Reply);
        Assert.Empty(await EventsAsync(system, Abc, "2025-01-17"));

        var moved = await chat.SayAsync("sí");

        Assert.Equal("Listo, cambié tu turno: era el jueves 16 de enero a las 15:00 y ahora es el viernes 17 de enero a las 10:00. ¡Te esperamos!", moved.Reply);
        Assert.Empty(await EventsAsync(system, Abc, "2025-01-16"));
        var item = Assert.Single(await EventsAsync(system, Abc, "2025-01-17"));
        Assert.Equal(new DateTimeOffset(2025, 1, 17, 10, 0, 0, TimeSpan.FromHours(-3)), Start(item));
        Assert.Equal(bookedId, item.GetProperty("id").GetString());
        Assert.Equal("Tu turno es el viernes 17 de enero a las 10:00.", (await chat.SayAsync("¿cuándo es mi turno?")).Reply);
    }

    [Fact]
    public async Task A_company_whose_calendar_is_not_connected_gets_a_polite_no()
    {
        await using var system = await SystemHarness.StartAsync(Wednesday());
        await system.CreateGoogleAccountAsync(Abc.Email, Zone);
        using var api = system.AdminApi();
        (await api.PostAsJsonAsync("/v1/customer-calendars/connect", new { customer_id = Abc.Id, customer_email = Abc.Email, customer_name = Abc.Name }))
            .EnsureSuccessStatusCode();
        var chat = new Chat(system, Abc, "c-not-connected");

        var es = await chat.SayAsync("Quiero reservar para mañana a las 3 PM");
        var en = await new Chat(system, Abc, "c-not-connected-en").SayAsync("Can I book tomorrow at 3pm?");

        Assert.Equal("No puedo consultar la agenda de la empresa por ahora, así que en este momento no puedo tomar reservas: todavía no está conectada. Por favor, comunícate directamente con ellos.", es.Reply);
        Assert.Equal("I can't check the company's calendar yet, so I can't take bookings right now: it isn't connected. Please contact them directly.", en.Reply);
        // Greetings and help do not need the calendar.
        Assert.Equal("help", (await chat.SayAsync("¿qué puedes hacer?")).Intent);
    }

    [Fact]
    public async Task A_revoked_calendar_needs_reauthorization_and_the_pending_yes_books_nothing()
    {
        await using var system = await SystemHarness.StartAsync(Wednesday());
        await ConnectAsync(system, Abc);
        var chat = new Chat(system, Abc, "c-revoked");
        Assert.Equal(true, (await chat.SayAsync("Quiero reservar para mañana a las 3 PM")).Available);
        Assert.Equal("¿A nombre de quién hago la reserva?", (await chat.SayAsync("sí")).Reply);

        // The company removes the app's access at Google, and the access token in use dies with it.
        using (var emulator = system.Emulator.CreateClient())
        {
            (await emulator.PostAsync($"/emulator/accounts/{Uri.EscapeDataString(Abc.Email)}/revoke", null)).EnsureSuccessStatusCode();
            (await emulator.PostAsync("/emulator/expire-access-tokens", null)).EnsureSuccessStatusCode();
        }

        var reply = await chat.SayAsync("Ana");

        Assert.Equal("No puedo consultar la agenda de la empresa por ahora, así que en este momento no puedo tomar reservas: la empresa tiene que volver a conectar su calendario. Mientras tanto, por favor, comunícate directamente con ellos.",
            reply.Reply);
        using var api = system.AdminApi();
        var status = await api.GetFromJsonAsync<JsonElement>($"/v1/customer-calendars/{Abc.Id}", TestContext.Current.CancellationToken);
        Assert.Equal("needs_reauthorization", status.GetProperty("status").GetString());
        var fresh = await new Chat(system, Abc, "c-revoked-2").SayAsync("mañana a las 4 PM");
        Assert.Contains("volver a conectar", fresh.Reply);
        Assert.DoesNotContain("invalid_grant", fresh.Reply);
    }

    [Fact]
    public async Task Two_customers_of_two_companies_at_once_each_land_in_their_own_calendar()
    {
        await using var system = await SystemHarness.StartAsync(Wednesday());
        await ConnectAsync(system, Abc);
        await ConnectAsync(system, Xyz);
        // The same WhatsApp number writes to both companies: the conversations must still be apart.
        const string conversation = "whatsapp:+5491100000099";
        var ana = new Chat(system, Abc, conversation);
        var bruno = new Chat(system, Xyz, conversation);

        async Task<string> Converse(Chat chat, string request, string yes, string name)
        {
            await chat.SayAsync(request);
            await chat.SayAsync(yes);
            return (await chat.SayAsync(name)).Reply;
        }

        var replies = await Task.WhenAll(
            Converse(ana, "Quiero reservar para mañana a las 3 PM", "sí", "Ana"),
            Converse(bruno, "I'd like to book tomorrow at 11am", "yes", "Bruno"));

        Assert.Equal("Listo, reservé tu turno para el jueves 16 de enero a las 15:00. ¡Te esperamos!", replies[0]);
        Assert.Equal("Done: your appointment is booked for Thursday, January 16 at 11:00 AM.", replies[1]);
        var abcEvent = Assert.Single(await EventsAsync(system, Abc, "2025-01-16"));
        var xyzEvent = Assert.Single(await EventsAsync(system, Xyz, "2025-01-16"));
        Assert.Equal(15, Start(abcEvent).Hour);
        Assert.Contains("Ana", abcEvent.GetRawText());
        Assert.DoesNotContain("Bruno", abcEvent.GetRawText());
        Assert.Equal(11, Start(xyzEvent).Hour);
        Assert.Contains("Bruno", xyzEvent.GetRawText());
        Assert.DoesNotContain("Ana", xyzEvent.GetRawText());
        Assert.Equal("Tu turno es el jueves 16 de enero a las 15:00.", (await ana.SayAsync("¿cuándo es mi turno?")).Reply);
        Assert.Equal("Your appointment is on Thursday, January 16 at 11:00 AM.", (await bruno.SayAsync("when is my appointment?")).Reply);
    }

    [Fact]
    public async Task Across_a_daylight_saving_change_the_booking_is_at_the_local_time_that_was_confirmed()
    {
        // Saturday 8 March 2025, 10:00 in New York (EST, -05:00); clocks go forward on Sunday, so Monday is EDT (-04:00).
        await using var system = await SystemHarness.StartAsync(new FakeTimeProvider(new DateTimeOffset(2025, 3, 8, 15, 0, 0, TimeSpan.Zero)));
        var company = new Company("empresa-ny-789", "front-desk@ny-clinic.com", "NY Clinic");
        await ConnectAsync(system, company, "America/New_York");
        var chat = new Chat(system, company, "c-dst");

        var proposal = await chat.SayAsync("Can I book Monday at 10am?");
        await chat.SayAsync("yes");
        var booked = await chat.SayAsync("John Smith");

        Assert.Equal("Perfect! That time is available. Shall I confirm the booking for Monday, March 10 at 10:00 AM?", proposal.Reply);
        Assert.Equal("Done: your appointment is booked for Monday, March 10 at 10:00 AM.", booked.Reply);
        var item = Assert.Single(await EventsAsync(system, company, "2025-03-10", "-04:00"));
        Assert.Equal(new DateTimeOffset(2025, 3, 10, 10, 0, 0, TimeSpan.FromHours(-4)), Start(item));
    }

    // ---------------------------------------------------------------- helpers

    private sealed record Answer(string Reply, string Intent, bool? Available);

    /// <summary>One customer's conversation with one company's assistant.</summary>
    private sealed class Chat(SystemHarness system, Company company, string conversationId)
    {
        public async Task<Answer> SayAsync(string text)
        {
            using var http = system.Backend.CreateClient();
            using var response = await http.PostAsJsonAsync("/v1/assistant/messages",
                new { customer_id = company.Id, conversation_id = conversationId, text }, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            var available = body.GetProperty("available");
            return new Answer(body.GetProperty("reply").GetString()!, body.GetProperty("intent").GetString()!,
                available.ValueKind == JsonValueKind.Null ? null : available.GetBoolean());
        }

        public async Task BookAsync(string request, string name)
        {
            Assert.Equal(true, (await SayAsync(request)).Available);
            await SayAsync("sí");
            var done = await SayAsync(name);
            Assert.Equal(true, done.Available);
        }
    }

    private static Task ConnectAsync(SystemHarness system, Company company, string zone = Zone) =>
        system.ConnectCompanyAsync(company.Id, company.Email, company.Name, zone);

    /// <summary>The events of one day in the company's Google calendar (the emulator), read with the company's own access token.</summary>
    private static async Task<IReadOnlyList<JsonElement>> EventsAsync(SystemHarness system, Company company, string date, string offset = "-03:00")
    {
        var accessToken = await system.AccessTokenAsync(company.Id);
        using var google = system.Emulator.CreateClient();
        google.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        var next = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var events = await google.GetFromJsonAsync<JsonElement>(
            $"/calendar/v3/calendars/primary/events?timeMin={date}T00:00:00{Uri.EscapeDataString(offset)}&timeMax={next}T00:00:00{Uri.EscapeDataString(offset)}&singleEvents=true");
        return events.GetProperty("items").EnumerateArray()
            .Where(e => !e.TryGetProperty("status", out var status) || status.GetString() != "cancelled")
            .ToList();
    }

    private static DateTimeOffset Start(JsonElement item) =>
        DateTimeOffset.Parse(item.GetProperty("start").GetProperty("dateTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
}
