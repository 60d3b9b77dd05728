using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CalendarConnect.GoogleEmulator;
using CalendarConnect.McpServer.TokenVault;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CalendarConnect.Testing;

/// <summary>
/// The whole system as the AppHost runs it — Google emulator, MCP Calendar Server, Backend — each a real
/// Kestrel server on 127.0.0.1, with fresh databases and every log line of our two services captured.
/// </summary>
public sealed class SystemHarness : IAsyncDisposable
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "e2e-admin-password";
    /// <summary>The backend's DATA_PROTECTION_KEY (32 random bytes, base64).</summary>
    public const string DataProtectionKey = "a6VTtbAAI6333Hb7GgSLLfM+sTcMc7WGOwRPwGke2RY=";

    private SystemHarness(string directory, LoopbackServer emulator, LoopbackServer mcp, LoopbackServer backend, string key, string apiKey, CapturedLogs logs)
    {
        Directory = directory;
        Emulator = emulator;
        Mcp = mcp;
        Backend = backend;
        EncryptionKey = key;
        ApiKey = apiKey;
        Logs = logs;
    }

    public string Directory { get; }
    public LoopbackServer Emulator { get; }
    public LoopbackServer Mcp { get; }
    public LoopbackServer Backend { get; }
    public string EncryptionKey { get; }
    public string ApiKey { get; }
    public CapturedLogs Logs { get; }
    public string TokenDbPath => Path.Combine(Directory, "tokens.db");
    public const string SuccessUrl = "https://calendar.google.com/";

    /// <param name="clock">The clock of the MCP server and backend ("today" for the assistant); the emulator keeps real time.</param>
    /// <param name="mirrorWithPush">The busy-time mirror on, with the emulator's push notifications, as the AppHost runs it.</param>
    /// <param name="everyService">Settings given to all three services as well (e.g. OTEL_* for an OTLP receiver).</param>
    public static async Task<SystemHarness> StartAsync(TimeProvider? clock = null, string successUrl = SuccessUrl, bool mirrorWithPush = false,
        IReadOnlyDictionary<string, string?>? everyService = null)
    {
        Dictionary<string, string?> With(Dictionary<string, string?> own)
        {
            foreach (var (name, value) in everyService ?? new Dictionary<string, string?>()) own.TryAdd(name, value);
            return own;
        }

        var directory = Path.Combine(Path.GetTempPath(), "cc-e2e-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var logs = new CapturedLogs();
        var key = FernetKey.Generate();
        var apiKey = "e2e-service-key-" + Guid.NewGuid().ToString("N");

        var emulator = await LoopbackServer.StartAsync(CalendarConnect.GoogleEmulator.Program.BuildApp, With([]));
        // Google must redirect to our real callback, so the MCP server's port is chosen before it starts.
        var mcpPort = LoopbackServer.FreePort();
        var mcpUrl = $"http://127.0.0.1:{mcpPort}";
        var mcp = await LoopbackServer.StartAsync((a, s) => CalendarConnect.McpServer.Program.BuildApp(a, s, services => Override(services, clock, logs)),
            With(new Dictionary<string, string?>
            {
                ["urls"] = mcpUrl,
                ["TOKEN_ENCRYPTION_KEY"] = key,
                ["MCP_API_KEY"] = apiKey,
                ["TOKEN_DB"] = Path.Combine(directory, "tokens.db"),
                ["GOOGLE_CLIENT_ID"] = EmulatorDefaults.ClientId,
                ["GOOGLE_CLIENT_SECRET"] = EmulatorDefaults.ClientSecret,
                ["GOOGLE_REDIRECT_URI"] = $"{mcpUrl}/oauth/callback",
                ["OAUTH_SUCCESS_REDIRECT_URL"] = successUrl,
                ["GOOGLE_AUTH_URI"] = emulator.Url("o/oauth2/v2/auth"),
                ["GOOGLE_TOKEN_URI"] = emulator.Url("token"),
                ["GOOGLE_REVOKE_URI"] = emulator.Url("revoke"),
                ["GOOGLE_CALENDAR_API_BASE"] = emulator.Url("calendar/v3/"),
                // These conversations change the emulated calendar and ask about it at once, which only live reads promise
                // (and their clock stands still, so a mirror would never age); MirrorFlowTests runs the mirror with push.
                ["BUSY_MIRROR"] = mirrorWithPush ? "on" : "off",
                ["GOOGLE_PUSH_URL"] = mirrorWithPush ? $"{mcpUrl}/google/notifications" : null,
                ["Logging:LogLevel:Default"] = "Information",
            }));
        var backend = await LoopbackServer.StartAsync((a, s) => CalendarConnect.Backend.Program.BuildApp(a, s, services => Override(services, clock, logs)),
            With(new Dictionary<string, string?>
            {
                ["MCP_API_KEY"] = apiKey,
                ["MCP_SERVER_URL"] = mcpUrl,
                ["CUSTOMER_DB"] = Path.Combine(directory, "customers.db"),
                ["ADMIN_USER"] = AdminUser,
                ["ADMIN_PASSWORD"] = AdminPassword,
                ["DATA_PROTECTION_KEY"] = DataProtectionKey,
                ["Logging:LogLevel:Default"] = "Information",
            }));
        return new SystemHarness(directory, emulator, mcp, backend, key, apiKey, logs);
    }

    private static void Override(IServiceCollection services, TimeProvider? clock, CapturedLogs logs)
    {
        services.AddLogging(l => l.ClearProviders().AddProvider(logs));
        if (clock is not null) services.AddSingleton(clock);
    }

    /// <summary>The backend's API as an automation client (HTTP Basic with the admin's credentials).</summary>
    public HttpClient AdminApi()
    {
        var client = Backend.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AdminUser}:{AdminPassword}")));
        return client;
    }

    public async Task CreateGoogleAccountAsync(string email, string timeZone)
    {
        using var http = Emulator.CreateClient();
        (await http.PostAsJsonAsync("/emulator/accounts", new { email, time_zone = timeZone })).EnsureSuccessStatusCode();
    }

    public async Task AddEventAsync(string email, string id, string date, string from, string to, string timeZone)
    {
        using var http = Emulator.CreateClient();
        (await http.PostAsJsonAsync($"/emulator/accounts/{Uri.EscapeDataString(email)}/events", new
        {
            id,
            summary = "Ocupado " + from,
            start = new { dateTime = $"{date}T{from}:00", timeZone },
            end = new { dateTime = $"{date}T{to}:00", timeZone },
        })).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Connects a company as its administrator would: the backend's connect call, then "Permitir" on the emulator's
    /// consent page and the browser's visit to the MCP server's callback. Creates the company's Google account first.
    /// </summary>
    public async Task ConnectCompanyAsync(string customerId, string email, string name, string timeZone)
    {
        await CreateGoogleAccountAsync(email, timeZone);
        using var api = AdminApi();
        using var response = await api.PostAsJsonAsync("/v1/customer-calendars/connect",
            new { customer_id = customerId, customer_email = email, customer_name = name });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var redirect = await GoogleConsent.DecideAsync(body.GetProperty("authorization_url").GetString()!, email, allow: true);
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        (await browser.GetAsync(redirect)).Dispose();
    }

    /// <summary>Replaces a company's booking settings (the MCP server's <c>PUT /customers/{id}/booking-settings</c>, DESIGN.md).</summary>
    public async Task PutBookingSettingsAsync(string customerId, object settings)
    {
        using var mcp = Mcp.CreateClient();
        mcp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        (await mcp.PutAsJsonAsync($"/customers/{Uri.EscapeDataString(customerId)}/booking-settings", settings)).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// The company's current Google access token, read from the MCP server's token store and decrypted with its key:
    /// what a test needs to look at the company's calendar in the emulator as Google would show it.
    /// </summary>
    public async Task<string> AccessTokenAsync(string customerId)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={TokenDbPath};Mode=ReadOnly");
        await db.OpenAsync();
        await using var query = db.CreateCommand();
        query.CommandText = "SELECT access_token FROM oauth_tokens WHERE customer_id = $id";
        query.Parameters.AddWithValue("$id", customerId);
        var encrypted = await query.ExecuteScalarAsync() as string
            ?? throw new InvalidOperationException($"The company {customerId} has no stored token: connect it first.");
        if (!FernetKey.TryParse(EncryptionKey, out var key)) throw new InvalidOperationException("The harness's encryption key does not parse.");
        return new Fernet([key], TimeProvider.System).DecryptToString(encrypted);
    }

    public async ValueTask DisposeAsync()
    {
        await Backend.DisposeAsync();
        await Mcp.DisposeAsync();
        await Emulator.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
