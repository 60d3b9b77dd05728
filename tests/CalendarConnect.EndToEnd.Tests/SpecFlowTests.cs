using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.Testing;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace CalendarConnect.EndToEnd.Tests;

/// <summary>
/// The spec (flujo-oauth2-google-calendar.md), its seven steps in order, over real HTTP on loopback:
/// connect → consent form → callback → encrypted row → MCP call → assistant reply.
/// </summary>
public class SpecFlowTests
{
    private const string CustomerId = "empresa-abc-123";
    private const string Email = "contacto@empresa-abc.com";
    private const string Name = "Empresa ABC S.A.";
    private const string Zone = "America/Argentina/Buenos_Aires";

    // Wednesday 15 January 2025, 10:00 in Buenos Aires: "mañana" is Thursday 2025-01-16, as in the spec.
    private static FakeTimeProvider SpecClock() => new(new DateTimeOffset(2025, 1, 15, 13, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task The_seven_steps_of_the_spec()
    {
        await using var system = await SystemHarness.StartAsync(SpecClock());
        await system.CreateGoogleAccountAsync(Email, Zone);
        await system.AddEventAsync(Email, "spec0meeting1", "2025-01-16", "10:00", "11:00", Zone);
        await system.AddEventAsync(Email, "spec0meeting2", "2025-01-16", "16:00", "17:00", Zone);
        using var api = system.AdminApi();

        // Steps 1-2: the admin's form data goes to POST /v1/customer-calendars/connect; the answer is the spec's.
        using var connect = await api.PostAsJsonAsync("/v1/customer-calendars/connect",
            new { customer_id = CustomerId, customer_email = Email, customer_name = Name });
        Assert.Equal(HttpStatusCode.OK, connect.StatusCode);
        var body = await connect.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(
            ["customer_id", "customer_email", "customer_name", "calendar_connected", "authorization_url", "shareable_link"],
            body.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(CustomerId, body.GetProperty("customer_id").GetString());
        Assert.Equal(Email, body.GetProperty("customer_email").GetString());
        Assert.Equal(Name, body.GetProperty("customer_name").GetString());
        Assert.False(body.GetProperty("calendar_connected").GetBoolean());
        var authorizationUrl = body.GetProperty("authorization_url").GetString()!;
        Assert.StartsWith(system.Emulator.Url("o/oauth2/v2/auth?"), authorizationUrl);
        Assert.Contains("scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fcalendar", authorizationUrl);
        Assert.Contains("access_type=offline", authorizationUrl);
        Assert.Contains("prompt=consent", authorizationUrl);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("shareable_link").GetString()));

        // Step 3-4: the company opens the link and sees the consent page; step 5: it clicks "Permitir".
        var googleRedirect = await GoogleConsent.DecideAsync(authorizationUrl, Email, allow: true);
        Assert.StartsWith(system.Mcp.Url("oauth/callback?"), googleRedirect.ToString());
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var callback = await browser.GetAsync(googleRedirect);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal(SystemHarness.SuccessUrl, callback.Headers.Location!.ToString());

        // Step 5.4: the tokens are in tokens.db, encrypted, with the spec's columns.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using (var db = new SqliteConnection($"Data Source={system.TokenDbPath};Mode=ReadOnly"))
        {
            var row = await db.QuerySingleAsync("SELECT customer_id, access_token, refresh_token, token_expiry, calendar_email, created_at, updated_at FROM oauth_tokens");
            Assert.Equal(CustomerId, (string)row.customer_id);
            Assert.StartsWith("gAAAAA", (string)row.access_token);
            Assert.StartsWith("gAAAAA", (string)row.refresh_token);
            Assert.Equal(Email, (string)row.calendar_email);
            Assert.Equal("2025-01-15T13:00:00Z", (string)row.created_at);
            Assert.Equal("2025-01-15T13:59:59Z", (string)row.token_expiry);
        }

        // Step 6: calendar_connected is true.
        var status = await api.GetFromJsonAsync<JsonElement>($"/v1/customer-calendars/{CustomerId}");
        Assert.True(status.GetProperty("calendar_connected").GetBoolean());
        Assert.Equal("connected", status.GetProperty("status").GetString());

        // Step 7: a customer of the company writes to the assistant.
        using var chat = system.Backend.CreateClient();
        using var reply = await chat.PostAsJsonAsync("/v1/assistant/messages",
            new { customer_id = CustomerId, conversation_id = "whatsapp:+5491100000000", text = "Quiero reservar para mañana a las 3 PM" });
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        var answer = await reply.Content.ReadFromJsonAsync<JsonElement>();
        // The spec's sentence, naming the day, date and time a "sí" would book.
        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 15:00?", answer.GetProperty("reply").GetString());
        Assert.Equal("2025-01-16", answer.GetProperty("date_iso").GetString());

        // The assistant reached Google through the MCP server with this company's token.
        using var emulator = system.Emulator.CreateClient();
        var requests = await emulator.GetFromJsonAsync<JsonElement>("/emulator/requests");
        Assert.Contains(requests.EnumerateArray(), r => r.GetProperty("path").GetString() == "/calendar/v3/freeBusy" &&
            r.GetProperty("account").GetString() == Email);
    }

    [Fact]
    public async Task Busy_time_gets_the_nearest_free_times_in_english()
    {
        await using var system = await SystemHarness.StartAsync(SpecClock());
        await ConnectAsync(system);
        await system.AddEventAsync(Email, "busy0at0three", "2025-01-16", "15:00", "16:00", Zone);

        using var chat = system.Backend.CreateClient();
        var answer = await (await chat.PostAsJsonAsync("/v1/assistant/messages",
            new { customer_id = CustomerId, conversation_id = "c-en", text = "I'd like to book tomorrow at 3 PM" })).Content.ReadFromJsonAsync<JsonElement>();
        var text = answer.GetProperty("reply").GetString()!;
        Assert.Equal("en", answer.GetProperty("language").GetString());
        Assert.False(answer.GetProperty("available").GetBoolean());
        Assert.StartsWith("Sorry", text);
        Assert.Contains("2:00 PM", text);
        Assert.Contains("4:00 PM", text);
        Assert.Equal(["14:00", "16:00"], answer.GetProperty("alternatives").EnumerateArray().Select(a => a.GetString()).ToArray());
        // The HTTP answer carries the assistant's offered times too, with their day.
        Assert.Equal(["2025-01-16T14:00", "2025-01-16T16:00"], answer.GetProperty("offered").EnumerateArray().Select(a => a.GetString()).ToArray());
    }

    [Fact]
    public async Task A_customer_books_with_a_yes_and_a_name_and_the_event_is_in_google()
    {
        await using var system = await SystemHarness.StartAsync(SpecClock());
        await ConnectAsync(system);
        using var chat = system.Backend.CreateClient();

        async Task<JsonElement> Say(string text) =>
            await (await chat.PostAsJsonAsync("/v1/assistant/messages",
                new { customer_id = CustomerId, conversation_id = "whatsapp:+5491100000001", text })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("¡Perfecto! El horario está disponible. ¿Confirmas la reserva para el jueves 16 de enero a las 15:00?",
            (await Say("Quiero reservar para mañana a las 3 PM")).GetProperty("reply").GetString());
        var afterYes = (await Say("Sí")).GetProperty("reply").GetString();
        var done = afterYes == "¿A nombre de quién hago la reserva?" ? (await Say("Ana")).GetProperty("reply").GetString() : afterYes;
        Assert.Equal("Listo, reservé tu turno para el jueves 16 de enero a las 15:00. ¡Te esperamos!", done);

        // The event is in the company's Google calendar (the emulator), read with the company's own access token.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        string accessToken;
        await using (var db = new SqliteConnection($"Data Source={system.TokenDbPath};Mode=ReadOnly"))
        {
            var encrypted = await db.QuerySingleAsync<string>("SELECT access_token FROM oauth_tokens");
            accessToken = new CalendarConnect.McpServer.TokenVault.Fernet([ParseKey(system.EncryptionKey)], TimeProvider.System).DecryptToString(encrypted);
        }
        using var google = system.Emulator.CreateClient();
        google.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        var events = await google.GetFromJsonAsync<JsonElement>(
            "/calendar/v3/calendars/primary/events?timeMin=2025-01-16T00:00:00-03:00&timeMax=2025-01-17T00:00:00-03:00&singleEvents=true");
        var booked = Assert.Single(events.GetProperty("items").EnumerateArray());
        Assert.Equal(new DateTimeOffset(2025, 1, 16, 15, 0, 0, TimeSpan.FromHours(-3)),
            DateTimeOffset.Parse(booked.GetProperty("start").GetProperty("dateTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("Ana", booked.GetRawText());

        // The conversation remembers it.
        Assert.Equal("Tu turno es el jueves 16 de enero a las 15:00.", (await Say("¿cuándo es mi turno?")).GetProperty("reply").GetString());
    }

    [Fact]
    public async Task A_company_that_has_not_authorized_gets_a_clear_answer()
    {
        await using var system = await SystemHarness.StartAsync(SpecClock());
        using var api = system.AdminApi();
        (await api.PostAsJsonAsync("/v1/customer-calendars/connect", new { customer_id = CustomerId, customer_email = Email, customer_name = Name })).EnsureSuccessStatusCode();

        using var chat = system.Backend.CreateClient();
        using var reply = await chat.PostAsJsonAsync("/v1/assistant/messages",
            new { customer_id = CustomerId, conversation_id = "c1", text = "Quiero reservar para mañana a las 3 PM" });
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        var body = await reply.Content.ReadAsStringAsync();
        var text = JsonDocument.Parse(body).RootElement.GetProperty("reply").GetString()!;
        Assert.Contains("No puedo consultar la agenda", text);
        var status = await api.GetFromJsonAsync<JsonElement>($"/v1/customer-calendars/{CustomerId}");
        Assert.Equal("not_connected", status.GetProperty("status").GetString());

        // A company id nobody registered gets the very same answer: the public endpoint never tells which companies exist.
        using var unknown = await chat.PostAsJsonAsync("/v1/assistant/messages",
            new { customer_id = "nobody", conversation_id = "c1", text = "Quiero reservar para mañana a las 3 PM" });
        Assert.Equal(reply.StatusCode, unknown.StatusCode);
        Assert.Equal(body, await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bad_messages_get_problems()
    {
        await using var system = await SystemHarness.StartAsync(SpecClock());
        using var chat = system.Backend.CreateClient();
        foreach (var bad in new object[]
                 {
                     new { customer_id = "<script>", text = "hola" },
                     new { customer_id = CustomerId },
                     new { customer_id = CustomerId, text = new string('a', 5000) },
                     new { customer_id = CustomerId, text = "   " },
                     new { customer_id = 5, text = "hola" },
                 })
        {
            using var response = await chat.PostAsJsonAsync("/v1/assistant/messages", bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task No_token_code_or_key_reaches_a_log_line_or_a_response()
    {
        await using var system = await SystemHarness.StartAsync(SpecClock());
        var authorizationUrl = await ConnectAsync(system);
        using var chat = system.Backend.CreateClient();
        var reply = await (await chat.PostAsJsonAsync("/v1/assistant/messages",
            new { customer_id = CustomerId, conversation_id = "c1", text = "Quiero reservar para mañana a las 3 PM" })).Content.ReadAsStringAsync();

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var db = new SqliteConnection($"Data Source={system.TokenDbPath};Mode=ReadOnly");
        var row = await db.QuerySingleAsync<(string access, string refresh)>("SELECT access_token, refresh_token FROM oauth_tokens");
        var fernet = new CalendarConnect.McpServer.TokenVault.Fernet(
            [ParseKey(system.EncryptionKey)], TimeProvider.System);
        var secrets = new[]
        {
            fernet.DecryptToString(row.access), fernet.DecryptToString(row.refresh), system.ApiKey, system.EncryptionKey,
            SystemHarness.AdminPassword, QueryValue(authorizationUrl, "state"),
        };
        Assert.Contains(system.Logs.Lines, l => l.Contains("Calendar connected for customer empresa-abc-123"));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, system.Logs.All);
            Assert.DoesNotContain(secret, reply);
        }
    }

    private static CalendarConnect.McpServer.TokenVault.FernetKey ParseKey(string text)
    {
        Assert.True(CalendarConnect.McpServer.TokenVault.FernetKey.TryParse(text, out var key));
        return key;
    }

    private static string QueryValue(string url, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(url).Query)[name].ToString();

    private static async Task<string> ConnectAsync(SystemHarness system)
    {
        await system.CreateGoogleAccountAsync(Email, Zone);
        using var api = system.AdminApi();
        var body = await (await api.PostAsJsonAsync("/v1/customer-calendars/connect",
            new { customer_id = CustomerId, customer_email = Email, customer_name = Name })).Content.ReadFromJsonAsync<JsonElement>();
        var url = body.GetProperty("authorization_url").GetString()!;
        var redirect = await GoogleConsent.DecideAsync(url, Email, allow: true);
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        (await browser.GetAsync(redirect)).Dispose();
        return url;
    }
}
