using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using CalendarConnect.McpServer.TokenVault;
using CalendarConnect.Testing;

namespace CalendarConnect.McpServer.Tests;

/// <summary>Bad configuration stops the real executable with one clear line naming the variable, never a stack trace.</summary>
public class StartupTests
{
    private static Dictionary<string, string?> GoodEnvironment(string folder) => new()
    {
        ["TOKEN_ENCRYPTION_KEY"] = FernetKey.Generate(),
        ["MCP_API_KEY"] = "a-long-enough-service-key",
        ["TOKEN_DB"] = Path.Combine(folder, "tokens.db"),
        ["GOOGLE_CLIENT_ID"] = "client.apps.googleusercontent.com",
        ["GOOGLE_CLIENT_SECRET"] = "secret",
        ["MCP_PORT"] = "1", // never reached: every case fails before listening
    };

    [Theory]
    [InlineData("TOKEN_ENCRYPTION_KEY", "", "TOKEN_ENCRYPTION_KEY is not set")]
    [InlineData("TOKEN_ENCRYPTION_KEY", "not-a-key", "TOKEN_ENCRYPTION_KEY is not a valid Fernet key")]
    [InlineData("TOKEN_ENCRYPTION_KEY", "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=,short", "TOKEN_ENCRYPTION_KEY is not a valid Fernet key")]
    [InlineData("MCP_API_KEY", "", "MCP_API_KEY is not set")]
    [InlineData("MCP_API_KEY", "short", "MCP_API_KEY is too short")]
    [InlineData("MCP_API_KEY", " a-long-enough-service-key ", "MCP_API_KEY may contain only visible ASCII characters")]
    [InlineData("MCP_API_KEY", "a-long-enough-service-key\t", "MCP_API_KEY may contain only visible ASCII characters")]
    [InlineData("MCP_API_KEY", "a-long-enough\u200Bservice-key", "MCP_API_KEY may contain only visible ASCII characters")]
    [InlineData("TOKEN_DB", "Server=localhost;Password=s3cret-pw;Nonsense Key=1;Database=tokens", "TOKEN_DB is not a usable PostgreSQL connection string or URL")]
    [InlineData("TOKEN_DB", "postgres://user:s3cret-pw@localhost:5432/", "TOKEN_DB is not a usable PostgreSQL connection string or URL: it names no database")]
    [InlineData("GOOGLE_CLIENT_ID", "", "GOOGLE_CLIENT_ID is not set")]
    [InlineData("GOOGLE_CLIENT_SECRET", "", "GOOGLE_CLIENT_SECRET is not set")]
    [InlineData("GOOGLE_TOKEN_URI", "ftp://x", "GOOGLE_TOKEN_URI must be an absolute http(s) URL")]
    [InlineData("BUSY_MIRROR", "sometimes", "BUSY_MIRROR must be on or off")]
    [InlineData("GOOGLE_PUSH_URL", "http://mcp.example.com/google/notifications", "GOOGLE_PUSH_URL must be the public https URL")]
    [InlineData("GOOGLE_PUSH_URL", "/google/notifications", "GOOGLE_PUSH_URL must be the public https URL")]
    public async Task Bad_setting_stops_start_up_with_one_line(string variable, string value, string expected)
    {
        var folder = Directory.CreateTempSubdirectory("cc-start-").FullName;
        var environment = GoodEnvironment(folder);
        environment[variable] = value;
        var result = await ServiceProcess.RunAsync("CalendarConnect.McpServer", environment, folder, TimeSpan.FromSeconds(60));
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Lines);
        Assert.Contains(expected, line);
        Assert.DoesNotContain("   at ", result.StandardError + result.StandardOutput);
        if (value.Length > 8) Assert.DoesNotContain(value, line);
    }

    /// <summary>A PostgreSQL TOKEN_DB that cannot be reached (a closed port, a host that does not exist) is one line, exit 1.</summary>
    [Theory]
    [InlineData("Host=127.0.0.1;Port=1;Database=tokens;Username=calendarconnect;Password=s3cret-pw;Timeout=5", "PostgreSQL 127.0.0.1:1/tokens")]
    // Server= is Npgsql's synonym of Host=: a PostgreSQL database too, never a SQLite file of that name.
    [InlineData("Server=127.0.0.1;Port=1;Database=tokens;Username=calendarconnect;Password=s3cret-pw;Timeout=5", "PostgreSQL 127.0.0.1:1/tokens")]
    [InlineData("postgres://calendarconnect:s3cret-pw@no-such-host.invalid:5432/tokens?Timeout=5", "PostgreSQL no-such-host.invalid:5432/tokens")]
    public async Task An_unreachable_database_stops_start_up_naming_TOKEN_DB_without_the_password(string tokenDb, string location)
    {
        var folder = Directory.CreateTempSubdirectory("cc-start-").FullName;
        var environment = GoodEnvironment(folder);
        environment["TOKEN_DB"] = tokenDb;
        var result = await ServiceProcess.RunAsync("CalendarConnect.McpServer", environment, folder, TimeSpan.FromSeconds(60));
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Lines);
        Assert.StartsWith("Start-up error: TOKEN_DB: cannot open or prepare the token database at '" + location + "'", line);
        Assert.DoesNotContain("s3cret-pw", result.StandardError + result.StandardOutput);
        Assert.DoesNotContain("   at ", result.StandardError + result.StandardOutput);
        Assert.Equal([], Directory.GetFiles(folder)); // no SQLite file was made of the setting
    }

    [Fact]
    public void Without_TOKEN_DB_the_database_is_tokens_db_in_DATA_DIR()
    {
        var folder = Directory.CreateTempSubdirectory("cc-data-").FullName;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DATA_DIR"] = folder }).Build();
        var settings = CalendarConnect.McpServer.Configuration.McpServerSettingsRegistration.Read(configuration);
        Assert.Equal(Path.Combine(folder, "tokens.db"), settings.TokenDb);
    }

    [Fact]
    public async Task A_key_that_cannot_decrypt_the_stored_tokens_stops_start_up()
    {
        // Store a connection with one key...
        await using (var h = await McpServerHarness.StartAsync())
        {
            await h.ConnectAsync("empresa-abc-123", "contacto@empresa-abc.com");
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var folder = Directory.CreateTempSubdirectory("cc-start-").FullName;
            File.Copy(h.DbPath, Path.Combine(folder, "tokens.db"));

            // ...then start with another.
            var environment = GoodEnvironment(folder);
            var result = await ServiceProcess.RunAsync("CalendarConnect.McpServer", environment, folder, TimeSpan.FromSeconds(60));
            Assert.Equal(1, result.ExitCode);
            var line = Assert.Single(result.Lines);
            Assert.Contains("TOKEN_ENCRYPTION_KEY cannot decrypt the tokens already stored", line);

            // The old key listed after a new one (rotation) is accepted.
            environment["TOKEN_ENCRYPTION_KEY"] = FernetKey.Generate() + "," + h.EncryptionKey;
            environment["MCP_PORT"] = "0";
            environment["urls"] = "http://127.0.0.1:0";
            var rotating = await LoopbackServer.StartAsync(CalendarConnect.McpServer.Program.BuildApp, environment);
            await using (rotating)
            {
                using var http = rotating.CreateClient();
                http.DefaultRequestHeaders.Authorization = new("Bearer", environment["MCP_API_KEY"]);
                var status = await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/customers/empresa-abc-123/calendar-status");
                Assert.Equal("connected", status.GetProperty("status").GetString());
            }
        }
    }
}
