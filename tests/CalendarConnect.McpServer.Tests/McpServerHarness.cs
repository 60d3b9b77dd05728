using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.GoogleEmulator;
using CalendarConnect.McpServer.Storage;
using CalendarConnect.McpServer.TokenVault;
using CalendarConnect.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace CalendarConnect.McpServer.Tests;

/// <summary>
/// A Google emulator and an MCP Calendar Server wired to it, both on real loopback HTTP, with a fresh
/// tokens.db in a temp folder and every log line captured.
/// </summary>
public sealed class McpServerHarness : IAsyncDisposable
{
    public const string TimeZone = "America/Argentina/Buenos_Aires";

    private McpServerHarness(LoopbackServer emulator, LoopbackServer mcp, TestDatabase database, string key, string apiKey, CapturedLogs logs)
    {
        Emulator = emulator;
        Mcp = mcp;
        TestDatabase = database;
        EncryptionKey = key;
        ApiKey = apiKey;
        Logs = logs;
    }

    public LoopbackServer Emulator { get; }
    public LoopbackServer Mcp { get; }
    public TestDatabase TestDatabase { get; }

    /// <summary>The SQLite file (only for tests that look at the raw file).</summary>
    public string DbPath => TestDatabase.Location;

    /// <summary>The server's own database handle: tests read rows through it on either engine.</summary>
    public TokenDatabase Database => Mcp.GetRequiredService<TokenDatabase>();
    public string EncryptionKey { get; }
    public string ApiKey { get; }
    public CapturedLogs Logs { get; }

    /// <param name="configureServices">Runs after the harness's own overrides: a test can wrap an HTTP client, for instance.</param>
    /// <param name="settings">Extra settings (BUSY_MIRROR, GOOGLE_PUSH_URL, ...) over the harness's own.</param>
    public static async Task<McpServerHarness> StartAsync(TimeProvider? mcpTime = null, string successUrl = "https://calendar.google.com/",
        string engine = Engines.Sqlite, Action<IServiceCollection>? configureServices = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var database = await TestDatabase.CreateAsync(engine, "tokens.db");
        var emulator = await LoopbackServer.StartAsync(CalendarConnect.GoogleEmulator.Program.BuildApp);
        var key = FernetKey.Generate();
        var apiKey = "test-service-key-" + Guid.NewGuid().ToString("N");
        var logs = new CapturedLogs();
        var all = Settings(emulator, database.Location, key, apiKey, successUrl);
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>()) all[name] = value;
        var mcp = await LoopbackServer.StartAsync((args, s) => CalendarConnect.McpServer.Program.BuildApp(args, s, services =>
        {
            services.AddLogging(l => l.ClearProviders().AddProvider(logs));
            if (mcpTime is not null) services.AddSingleton(mcpTime);
            configureServices?.Invoke(services);
        }), all);
        return new McpServerHarness(emulator, mcp, database, key, apiKey, logs);
    }

    public static Dictionary<string, string?> Settings(LoopbackServer emulator, string tokenDb, string key, string apiKey, string successUrl = "https://calendar.google.com/") => new()
    {
        ["TOKEN_ENCRYPTION_KEY"] = key,
        ["MCP_API_KEY"] = apiKey,
        ["TOKEN_DB"] = tokenDb,
        ["GOOGLE_CLIENT_ID"] = EmulatorDefaults.ClientId,
        ["GOOGLE_CLIENT_SECRET"] = EmulatorDefaults.ClientSecret,
        // The redirect URI is only compared by the emulator (loopback), the real callback is on our server.
        ["GOOGLE_REDIRECT_URI"] = "http://127.0.0.1:1/oauth/callback",
        ["OAUTH_SUCCESS_REDIRECT_URL"] = successUrl,
        ["GOOGLE_AUTH_URI"] = emulator.Url("o/oauth2/v2/auth"),
        ["GOOGLE_TOKEN_URI"] = emulator.Url("token"),
        ["GOOGLE_REVOKE_URI"] = emulator.Url("revoke"),
        ["GOOGLE_CALENDAR_API_BASE"] = emulator.Url("calendar/v3/"),
        // Most tests change the emulated calendar and read it back at once, which only live reads promise; the mirror's
        // own tests (Mirror/) turn it on and wait for what it promises instead.
        ["BUSY_MIRROR"] = "off",
        ["Logging:LogLevel:Default"] = "Information",
    };

    public HttpClient ServiceClient()
    {
        var client = Mcp.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    public async Task CreateAccountAsync(string email, string timeZone = TimeZone)
    {
        using var http = Emulator.CreateClient();
        (await http.PostAsJsonAsync("/emulator/accounts", new { email, time_zone = timeZone })).EnsureSuccessStatusCode();
    }

    public async Task AddEventAsync(string email, object googleEvent)
    {
        using var http = Emulator.CreateClient();
        (await http.PostAsJsonAsync($"/emulator/accounts/{Uri.EscapeDataString(email)}/events", googleEvent)).EnsureSuccessStatusCode();
    }

    public async Task<JsonElement> AuthorizeAsync(string customerId, string? email)
    {
        using var http = ServiceClient();
        using var response = await http.PostAsJsonAsync("/oauth/authorize", new { customer_id = customerId, customer_email = email });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Google's redirect, delivered to our callback (the redirect URI's host is replaced by our server's).</summary>
    public async Task<HttpResponseMessage> DeliverCallbackAsync(Uri googleRedirect)
    {
        using var http = Mcp.CreateClient();
        return await http.GetAsync("/oauth/callback" + googleRedirect.Query);
    }

    /// <summary>The whole spec flow for one company: authorize, consent ("Permitir"), callback.</summary>
    public async Task ConnectAsync(string customerId, string email, string timeZone = TimeZone)
    {
        await CreateAccountAsync(email, timeZone);
        var authorization = await AuthorizeAsync(customerId, email);
        var redirect = await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, email, allow: true);
        using var callback = await DeliverCallbackAsync(redirect);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, callback.StatusCode);
    }

    public async Task<McpClient> McpClientAsync(string? customerId, string? apiKey = null)
    {
        var headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + (apiKey ?? ApiKey) };
        if (customerId is not null) headers["X-Customer-Id"] = customerId;
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(Mcp.BaseAddress, "mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = headers,
        });
        return await McpClient.CreateAsync(transport);
    }

    public async Task<CallToolResult> CallAsync(string? customerId, string tool, Dictionary<string, object?>? arguments = null)
    {
        await using var client = await McpClientAsync(customerId);
        return await client.CallToolAsync(tool, arguments ?? []);
    }

    /// <summary>The events of an account's primary calendar as the emulator stores them (deleted ones included, status "cancelled").</summary>
    public IReadOnlyList<System.Text.Json.Nodes.JsonObject> EmulatorEvents(string email) =>
        Emulator.GetRequiredService<CalendarConnect.GoogleEmulator.Accounts.AccountStore>().Snapshot(email)!.Events.Select(e => e.Resource).ToList();

    public async Task<JsonElement> EmulatorRequestsAsync()
    {
        using var http = Emulator.CreateClient();
        return await http.GetFromJsonAsync<JsonElement>("/emulator/requests");
    }

    /// <summary>A weekday at least two days ahead in the company's zone, so no slot is in the past.</summary>
    public static DateOnly NextWeekday(int daysAhead = 2)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime).AddDays(daysAhead);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) day = day.AddDays(1);
        return day;
    }

    public static string TextOf(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(t => t.Text));

    public async ValueTask DisposeAsync()
    {
        await Mcp.DisposeAsync();
        await Emulator.DisposeAsync();
        await TestDatabase.DisposeAsync();
    }
}
