using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.GoogleEmulator;
using CalendarConnect.McpServer.TokenVault;
using CalendarConnect.Testing;
using Microsoft.AspNetCore.WebUtilities;

namespace CalendarConnect.McpServer.Tests.TokenVault;

/// <summary>
/// A tokens.db written by the original Python system (its 7-column oauth_tokens, Python's Fernet, Python's
/// sqlite3) is adopted as it is: the server migrates it in place and uses the company's calendar.
/// </summary>
public class PythonWrittenRowsTests
{
    [Fact]
    public async Task A_python_tokens_db_is_read_as_it_is()
    {
        await using var emulator = await LoopbackServer.StartAsync(CalendarConnect.GoogleEmulator.Program.BuildApp);
        using (var control = emulator.CreateClient())
            (await control.PostAsJsonAsync("/emulator/accounts", new { email = "contacto@empresa-abc.com", time_zone = "Europe/Madrid" })).EnsureSuccessStatusCode();

        // Real tokens for the account, obtained at the emulator the way the Python system did (no PKCE then).
        var url = QueryHelpers.AddQueryString(emulator.Url("o/oauth2/v2/auth"), new Dictionary<string, string?>
        {
            ["client_id"] = EmulatorDefaults.ClientId, ["redirect_uri"] = "http://localhost:60000/oauth/callback",
            ["scope"] = "https://www.googleapis.com/auth/calendar", ["response_type"] = "code", ["access_type"] = "offline",
            ["prompt"] = "consent", ["state"] = "python-state",
        });
        var redirect = await GoogleConsent.DecideAsync(url, "contacto@empresa-abc.com", allow: true);
        using var http = emulator.CreateClient();
        var tokens = await (await http.PostAsync("/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = QueryHelpers.ParseQuery(redirect.Query)["code"]!,
            ["client_id"] = EmulatorDefaults.ClientId, ["client_secret"] = EmulatorDefaults.ClientSecret,
            ["redirect_uri"] = "http://localhost:60000/oauth/callback",
        }))).Content.ReadFromJsonAsync<JsonElement>();

        var folder = Directory.CreateTempSubdirectory("cc-python-").FullName;
        var dbPath = Path.Combine(folder, "tokens.db");
        var key = FernetKey.Generate();
        await FernetPythonInteropTests.Python(
            """
            import sqlite3, sys
            from cryptography.fernet import Fernet
            path, key, access, refresh = sys.argv[1:5]
            f = Fernet(key.encode())
            db = sqlite3.connect(path)
            db.execute('''CREATE TABLE oauth_tokens (customer_id TEXT PRIMARY KEY, access_token TEXT NOT NULL, refresh_token TEXT,
                          token_expiry TEXT, calendar_email TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)''')
            db.execute('INSERT INTO oauth_tokens VALUES (?,?,?,?,?,?,?)', ('empresa-abc-123', f.encrypt(access.encode()).decode(),
                       f.encrypt(refresh.encode()).decode(), '2020-01-20T12:00:00Z', 'contacto@empresa-abc.com',
                       '2020-01-15T10:00:00Z', '2020-01-15T10:00:00Z'))
            db.commit()
            """,
            dbPath, key, tokens.GetProperty("access_token").GetString()!, tokens.GetProperty("refresh_token").GetString()!);

        var settings = McpServerHarness.Settings(emulator, dbPath, key, "python-rows-service-key");
        await using var mcp = await LoopbackServer.StartAsync(CalendarConnect.McpServer.Program.BuildApp, settings);
        using var service = mcp.CreateClient();
        service.DefaultRequestHeaders.Authorization = new("Bearer", "python-rows-service-key");
        var status = await service.GetFromJsonAsync<JsonElement>("/customers/empresa-abc-123/calendar-status");
        Assert.Equal("connected", status.GetProperty("status").GetString());
        Assert.Equal("contacto@empresa-abc.com", status.GetProperty("calendar_email").GetString());

        // The stored expiry (2020) is long past: the first call refreshes with the Python-written refresh token.
        var transport = new ModelContextProtocol.Client.HttpClientTransport(new()
        {
            Endpoint = new Uri(mcp.BaseAddress, "mcp"),
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer python-rows-service-key", ["X-Customer-Id"] = "empresa-abc-123" },
        });
        await using var client = await ModelContextProtocol.Client.McpClient.CreateAsync(transport);
        var result = await client.CallToolAsync("get_available_slots", new Dictionary<string, object?> { ["date_iso"] = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd") });
        Assert.NotEqual(true, result.IsError);
        Assert.Equal("Europe/Madrid", result.StructuredContent!.Value.GetProperty("time_zone").GetString());

        // And Python can still read the row after our refresh rewrote it.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var access = await FernetPythonInteropTests.Python(
            "import sqlite3, sys\nfrom cryptography.fernet import Fernet\nrow = sqlite3.connect(sys.argv[1]).execute('select access_token from oauth_tokens').fetchone()\nprint(Fernet(sys.argv[2].encode()).decrypt(row[0].encode()).decode())",
            dbPath, key);
        Assert.StartsWith("ya29.", access.Trim());
        Assert.NotEqual(tokens.GetProperty("access_token").GetString(), access.Trim());
    }
}
