using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Backend.WhatsApp;
using CalendarConnect.Testing;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CalendarConnect.EndToEnd.Tests;

/// <summary>
/// A person writes to the company's WhatsApp number: Meta's signed webhook notifications reach the real backend,
/// the assistant books through the real MCP server into the (emulated) Google Calendar, and the replies go out
/// through a fake Graph API. The backend is restarted between "sí" and the name, and the booking still happens; the
/// person then moves the appointment and cancels it, in Spanish and in English, each change checked in the calendar.
/// </summary>
public class WhatsAppFlowTests
{
    public const string CustomerId = "empresa-abc-123";
    public const string Email = "contacto@empresa-abc.com";
    public const string Zone = "America/Argentina/Buenos_Aires";
    public const string BusinessNumber = "+5491155550000";
    private const string VerifyToken = "e2e-verify-token";
    private const string AppSecret = "e2e-meta-app-secret";
    private const string AccessToken = "EAAG-e2e-access-token";
    private const string PhoneNumberId = "106540352242922";
    private const string Person = "5491144440000";


    [Fact]
    public async Task A_person_books_moves_and_cancels_over_whatsapp_across_a_backend_restart()
    {
        var clock = ChannelFlows.SpecClock();
        await using var system = await SystemHarness.StartAsync(clock);
        await ChannelFlows.ConnectCompanyAsync(system);
        Assert.Equal(WhatsAppNumberResult.Saved,
            await system.Backend.GetRequiredService<CustomerMemory>().SetWhatsAppNumberAsync(CustomerId, BusinessNumber));
        await using var graph = await FakeGraphApi.StartAsync();

        // The backend that Meta calls: the system's own, configured for WhatsApp (same CUSTOMER_DB, MCP server and clock).
        var backend = await StartWhatsAppBackendAsync(system, graph, clock);
        try
        {
            using (var meta = backend.CreateClient())
            {
                // The spec's sentence (the assistant may go on to name the day and time it is about).
                Assert.StartsWith("¡Perfecto! El horario está disponible. ¿Confirmas la reserva", await SendAsync(meta, graph, "wamid.e2e.1", "Quiero reservar para mañana a las 3 PM"));
                Assert.Equal("¿A nombre de quién hago la reserva?", await SendAsync(meta, graph, "wamid.e2e.2", "Sí"));
            }

            // A restart (deploy, crash) between the yes and the name.
            await backend.DisposeAsync();
            backend = await StartWhatsAppBackendAsync(system, graph, clock);
            using (var meta = backend.CreateClient())
            {
                Assert.Equal("Listo, reservé tu turno para el jueves 16 de enero a las 15:00. ¡Te esperamos!", await SendAsync(meta, graph, "wamid.e2e.3", "Ana"));
                var booked = Assert.Single(await ChannelFlows.EventsOn16thAsync(system));
                Assert.Equal(new DateTimeOffset(2025, 1, 16, 15, 0, 0, TimeSpan.FromHours(-3)),
                    DateTimeOffset.Parse(booked.GetProperty("start").GetProperty("dateTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
                Assert.Contains("Ana", booked.GetRawText());

                // Meta delivers the last message again: no second answer, no second booking. The person's next message
                // is answered after anything stored before it, so once its reply is in, the counts are final.
                await PostSignedAsync(meta, Notification("5491155550000", "wamid.e2e.3", "Ana"));

                // Moving it in plain Spanish: asked first, moved only after the yes (the same event, now on Friday).
                var eventId = booked.GetProperty("id").GetString();
                Assert.Equal("El viernes 17 de enero a las 10:00 está disponible. ¿Confirmas que cambio tu turno del jueves 16 de enero a las 15:00 al viernes 17 de enero a las 10:00?",
                    await SendAsync(meta, graph, "wamid.e2e.4", "quiero cambiar mi turno al viernes a las 10"));
                Assert.Equal(4, graph.Messages.Count);
                Assert.Single(await ChannelFlows.EventsOn16thAsync(system));
                Assert.Single(await ChannelFlows.EventsOn16thAsync(system));
                Assert.Empty(await ChannelFlows.EventsOnAsync(system, "2025-01-17"));
                Assert.Equal("Listo, cambié tu turno: era el jueves 16 de enero a las 15:00 y ahora es el viernes 17 de enero a las 10:00. ¡Te esperamos!",
                    await SendAsync(meta, graph, "wamid.e2e.5", "sí"));
                Assert.Empty(await ChannelFlows.EventsOn16thAsync(system));
                var moved = Assert.Single(await ChannelFlows.EventsOnAsync(system, "2025-01-17"));
                Assert.Equal(eventId, moved.GetProperty("id").GetString());
                Assert.Equal(new DateTimeOffset(2025, 1, 17, 10, 0, 0, TimeSpan.FromHours(-3)), ChannelFlows.Start(moved));

                // Cancelling in plain Spanish: the moved appointment is the one named and removed.
                Assert.Equal("¿Confirmas que quieres cancelar tu turno del viernes 17 de enero a las 10:00? Responde «sí» o «no».",
                    await SendAsync(meta, graph, "wamid.e2e.6", "Quiero cancelar mi turno"));
                Assert.Single(await ChannelFlows.EventsOnAsync(system, "2025-01-17"));
                Assert.Equal("Listo, cancelé tu turno del viernes 17 de enero a las 10:00.", await SendAsync(meta, graph, "wamid.e2e.7", "Sí"));
                Assert.Empty(await ChannelFlows.EventsOnAsync(system, "2025-01-17"));
                Assert.Empty(await ChannelFlows.EventsOn16thAsync(system));
            }

            // Every reply went out once, in order, to the person who wrote.
            Assert.Equal(7, graph.Messages.Count);

            Assert.All(graph.Messages, m =>
            {
                Assert.Equal(PhoneNumberId, m.PhoneNumberId);
                Assert.Equal(Person, m.To);
                Assert.Equal("Bearer " + AccessToken, m.Authorization);
            });
            Assert.DoesNotContain(AccessToken, system.Logs.All);
            Assert.DoesNotContain(AppSecret, system.Logs.All);
        }
        finally
        {
            await backend.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_english_speaker_books_moves_and_cancels_over_the_signed_webhook()
    {
        var clock = ChannelFlows.SpecClock();
        await using var system = await SystemHarness.StartAsync(clock);
        await ChannelFlows.ConnectCompanyAsync(system);
        Assert.Equal(WhatsAppNumberResult.Saved,
            await system.Backend.GetRequiredService<CustomerMemory>().SetWhatsAppNumberAsync(CustomerId, BusinessNumber));
        await using var graph = await FakeGraphApi.StartAsync();
        await using var backend = await StartWhatsAppBackendAsync(system, graph, clock);
        using var meta = backend.CreateClient();

        var offer = await SendAsync(meta, graph, "wamid.en.1", "I'd like to book tomorrow at 3 PM");
        Assert.Contains("Thursday, January 16 at 3:00 PM", offer);
        Assert.Equal("What name should I put the booking under?", await SendAsync(meta, graph, "wamid.en.2", "Yes"));
        Assert.Equal("Done: your appointment is booked for Thursday, January 16 at 3:00 PM.", await SendAsync(meta, graph, "wamid.en.3", "John"));
        var booked = Assert.Single(await ChannelFlows.EventsOn16thAsync(system));
        Assert.Contains("John", booked.GetRawText());

        Assert.Equal("Friday, January 17 at 10:00 AM is available. Shall I move your appointment from Thursday, January 16 at 3:00 PM to Friday, January 17 at 10:00 AM?",
            await SendAsync(meta, graph, "wamid.en.4", "Can I move my appointment to Friday at 10am?"));
        Assert.Single(await ChannelFlows.EventsOn16thAsync(system));
        Assert.Equal("Done: your appointment on Thursday, January 16 at 3:00 PM is now on Friday, January 17 at 10:00 AM.",
            await SendAsync(meta, graph, "wamid.en.5", "yes"));
        Assert.Empty(await ChannelFlows.EventsOn16thAsync(system));
        var moved = Assert.Single(await ChannelFlows.EventsOnAsync(system, "2025-01-17"));
        Assert.Equal(booked.GetProperty("id").GetString(), moved.GetProperty("id").GetString());
        Assert.Equal(new DateTimeOffset(2025, 1, 17, 10, 0, 0, TimeSpan.FromHours(-3)), ChannelFlows.Start(moved));

        Assert.Equal("Do you want me to cancel your appointment on Friday, January 17 at 10:00 AM? Please answer \"yes\" or \"no\".",
            await SendAsync(meta, graph, "wamid.en.6", "Please cancel my appointment"));
        Assert.Equal("Done: your appointment on Friday, January 17 at 10:00 AM is cancelled.", await SendAsync(meta, graph, "wamid.en.7", "yes"));
        Assert.Empty(await ChannelFlows.EventsOnAsync(system, "2025-01-17"));

        Assert.Equal(7, graph.Messages.Count);
        Assert.All(graph.Messages, m => Assert.Equal((PhoneNumberId, Person), (m.PhoneNumberId, m.To)));
    }

    [Fact]
    public async Task An_english_speaker_books_over_a_channel_message_and_an_unknown_number_is_refused()
    {
        await using var system = await SystemHarness.StartAsync(ChannelFlows.SpecClock());
        await ChannelFlows.ConnectCompanyAsync(system);
        await system.Backend.GetRequiredService<CustomerMemory>().SetWhatsAppNumberAsync(CustomerId, BusinessNumber);
        using var bridge = system.AdminApi(); // a bridge vouches for the person's number, so it authenticates

        async Task<JsonElement> Say(string text, string to = BusinessNumber) =>
            await (await bridge.PostAsJsonAsync("/v1/assistant/messages", new { channel = "whatsapp", to, from = "+1 415 555 0100", text }))
                .Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("en", (await Say("I'd like to book tomorrow at 3 PM")).GetProperty("language").GetString());
        var yes = (await Say("Yes")).GetProperty("reply").GetString()!;
        var done = yes.Contains("name", StringComparison.OrdinalIgnoreCase) ? (await Say("John")).GetProperty("reply").GetString()! : yes;
        Assert.Contains("3:00 PM", done);
        Assert.Single(await ChannelFlows.EventsOn16thAsync(system));

        var refused = await Say("Hello, can I book?", to: "+14155550199");
        Assert.Equal(404, refused.GetProperty("status").GetInt32());
        Assert.StartsWith("Sorry", refused.GetProperty("reply").GetString());
    }

    private static async Task<LoopbackServer> StartWhatsAppBackendAsync(SystemHarness system, FakeGraphApi graph, TimeProvider clock) =>
        await LoopbackServer.StartAsync((args, settings) => CalendarConnect.Backend.Program.BuildApp(args, settings, services =>
        {
            services.AddLogging(l => l.ClearProviders().AddProvider(system.Logs));
            services.AddSingleton(clock);
            services.Configure<WhatsAppOptions>(o => o.SendRetryDelays = [TimeSpan.FromMilliseconds(50)]);
        }), new Dictionary<string, string?>
        {
            ["MCP_API_KEY"] = system.ApiKey,
            ["MCP_SERVER_URL"] = system.Mcp.BaseAddress.ToString().TrimEnd('/'),
            ["CUSTOMER_DB"] = Path.Combine(system.Directory, "customers.db"),
            ["ADMIN_USER"] = SystemHarness.AdminUser,
            ["ADMIN_PASSWORD"] = SystemHarness.AdminPassword,
            ["DATA_PROTECTION_KEY"] = SystemHarness.DataProtectionKey,
            [WhatsAppOptions.VerifyTokenVariable] = VerifyToken,
            [WhatsAppOptions.AppSecretVariable] = AppSecret,
            [WhatsAppOptions.AccessTokenVariable] = AccessToken,
            [WhatsAppOptions.ApiBaseVariable] = graph.ApiBase,
            ["Logging:LogLevel:Default"] = "Information",
        });

    /// <summary>Posts a signed notification with one text message and returns the reply the Graph API received.</summary>
    private static async Task<string> SendAsync(HttpClient meta, FakeGraphApi graph, string messageId, string text)
    {
        var before = graph.Messages.Count;
        await PostSignedAsync(meta, Notification("5491155550000", messageId, text));
        return (await graph.WaitForAsync(before + 1, TimeSpan.FromSeconds(60)))[before].Text;
    }

    private static async Task PostSignedAsync(HttpClient meta, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/whatsapp/webhook") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(WhatsAppSignature.Header, WhatsAppSignature.Sign(bytes, AppSecret));
        using var response = await meta.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string Notification(string displayPhoneNumber, string messageId, string text) =>
        MetaWebhook.Notification(displayPhoneNumber, PhoneNumberId, Person, MetaWebhook.Text(Person, messageId, text, DateTimeOffset.FromUnixTimeSeconds(1736946000)));
}

/// <summary>Steps the channel tests (WhatsApp, /chat) share: connect the company, read its Google calendar.</summary>
internal static class ChannelFlows
{
    // Wednesday 15 January 2025, 10:00 in Buenos Aires: "mañana" is Thursday 2025-01-16, as in the spec.
    public static FakeTimeProvider SpecClock() => new(new DateTimeOffset(2025, 1, 15, 13, 0, 0, TimeSpan.Zero));

    /// <summary>The company connects its Google calendar (spec steps 1-6) through the real system.</summary>
    public static async Task ConnectCompanyAsync(SystemHarness system)
    {
        await system.CreateGoogleAccountAsync(WhatsAppFlowTests.Email, WhatsAppFlowTests.Zone);
        using var api = system.AdminApi();
        var body = await (await api.PostAsJsonAsync("/v1/customer-calendars/connect",
            new { customer_id = WhatsAppFlowTests.CustomerId, customer_email = WhatsAppFlowTests.Email, customer_name = "Empresa ABC S.A." })).Content.ReadFromJsonAsync<JsonElement>();
        var redirect = await GoogleConsent.DecideAsync(body.GetProperty("authorization_url").GetString()!, WhatsAppFlowTests.Email, allow: true);
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        (await browser.GetAsync(redirect)).Dispose();
    }

    /// <summary>The events of Thursday 2025-01-16 in the company's Google calendar (the emulator), read with its own token.</summary>
    public static Task<List<JsonElement>> EventsOn16thAsync(SystemHarness system) => EventsOnAsync(system, "2025-01-16");

    /// <summary>The events of one day (yyyy-MM-dd, Buenos Aires) in the company's Google calendar (the emulator), read with its own token.</summary>
    public static async Task<List<JsonElement>> EventsOnAsync(SystemHarness system, string date)
    {
        SqliteConnection.ClearAllPools();
        string encrypted;
        await using (var db = new SqliteConnection($"Data Source={system.TokenDbPath};Mode=ReadOnly"))
            encrypted = await db.QuerySingleAsync<string>("SELECT access_token FROM oauth_tokens");
        Assert.True(CalendarConnect.McpServer.TokenVault.FernetKey.TryParse(system.EncryptionKey, out var key));
        var accessToken = new CalendarConnect.McpServer.TokenVault.Fernet([key], TimeProvider.System).DecryptToString(encrypted);
        using var google = system.Emulator.CreateClient();
        google.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        var next = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var events = await google.GetFromJsonAsync<JsonElement>(
            $"/calendar/v3/calendars/primary/events?timeMin={date}T00:00:00-03:00&timeMax={next}T00:00:00-03:00&singleEvents=true");
        return events.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("status").GetString() != "cancelled").ToList();
    }

    public static DateTimeOffset Start(JsonElement item) =>
        DateTimeOffset.Parse(item.GetProperty("start").GetProperty("dateTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
}
