using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CalendarConnect.Testing;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// The backend on a loopback port, a stand-in MCP server, and a fresh CUSTOMER_DB: a SQLite file (in a nested
/// folder the backend must create) or a new database on the test PostgreSQL server.
/// </summary>
public sealed class BackendHarness : IAsyncDisposable
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "correct horse battery staple";
    /// <summary>DATA_PROTECTION_KEY of every test backend (32 random bytes, base64).</summary>
    public const string DataProtectionKey = "AxAa8NXAEofOiSxTrA1H84GirUW8GGMDpr+fTyLfqRY=";

    private BackendHarness(LoopbackServer server, StandInMcpServer? mcp, TestDatabase database)
    {
        Server = server;
        Mcp = mcp;
        Database = database;
    }

    public LoopbackServer Server { get; }
    /// <summary>Null when the harness was started with the MCP server down.</summary>
    public StandInMcpServer? Mcp { get; }
    public TestDatabase Database { get; }
    /// <summary>What CUSTOMER_DB is set to.</summary>
    public string DbLocation => Database.Location;

    public static string NewTempFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cc-backend-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static Dictionary<string, string?> Settings(string dbPath, string mcpUrl) => new()
    {
        ["CUSTOMER_DB"] = dbPath,
        ["MCP_SERVER_URL"] = mcpUrl,
        ["MCP_API_KEY"] = StandInMcpServer.ApiKey,
        ["ADMIN_USER"] = AdminUser,
        ["ADMIN_PASSWORD"] = AdminPassword,
        ["DATA_PROTECTION_KEY"] = DataProtectionKey,
    };

    /// <param name="prepare">Runs on the new, empty database before the backend starts (a database an older version left).</param>
    public static async Task<BackendHarness> StartAsync(string engine = Engines.Sqlite, bool mcpDown = false,
        IReadOnlyDictionary<string, string?>? extraSettings = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configure = null,
        Func<TestDatabase, Task>? prepare = null)
    {
        // SQLite: a nested path, so the backend must create the folder.
        var database = await TestDatabase.CreateAsync(engine, Path.Combine("nested", "customers.db"));
        if (prepare is not null) await prepare(database);
        var mcp = mcpDown ? null : await StandInMcpServer.StartAsync();
        var mcpUrl = mcp?.BaseAddress.ToString() ?? $"http://127.0.0.1:{UnusedPort()}";
        var settings = Settings(database.Location, mcpUrl);
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>()) settings[key] = value;
        var server = await LoopbackServer.StartAsync((args, s) => Program.BuildApp(args, s, configure), settings);
        return new BackendHarness(server, mcp, database);
    }

    /// <summary>A client that authenticates with HTTP Basic (automation).</summary>
    public HttpClient AdminClient()
    {
        var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = Basic(AdminUser, AdminPassword);
        return client;
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent ConnectBody(string id = "empresa-abc-123", string email = "contacto@empresa-abc.com",
        string name = "Empresa ABC S.A.") =>
        new(JsonSerializer.Serialize(new { customer_id = id, customer_email = email, customer_name = name }), Encoding.UTF8, "application/json");

    /// <summary>A connection to the test database, outside the backend (no pool, so nothing stays open).</summary>
    public static System.Data.Common.DbConnection Connect(TestDatabase database) => database.Engine == Engines.Sqlite
        ? new SqliteConnection($"Data Source={database.Location};Pooling=False")
        : new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.Location) { Pooling = false }.ConnectionString);

    /// <summary>The customer_memory rows as stored, read directly from whichever engine holds them.</summary>
    public async Task<List<CustomerRow>> RowsAsync()
    {
        await using var connection = Connect(Database);
        return (await connection.QueryAsync<CustomerRow>(
            "SELECT customer_id AS \"CustomerId\", customer_email AS \"CustomerEmail\", customer_name AS \"CustomerName\", created_at AS \"CreatedAt\", updated_at AS \"UpdatedAt\" FROM customer_memory"))
            .OrderBy(r => r.CustomerId, StringComparer.Ordinal).ToList();
    }

    public static async Task SignInAsync(HttpClient client)
    {
        var token = SignInTests.FormToken(await (await client.GetAsync("ingresar")).Content.ReadAsStringAsync());
        var response = await client.PostAsync("ingresar", SignInTests.SignInForm(token, BackendHarness.AdminUser, BackendHarness.AdminPassword));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    public static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        if (Mcp is not null) await Mcp.DisposeAsync();
        // DROP DATABASE … WITH (FORCE) now and then meets a server process (autovacuum) it may not end: try again.
        for (var attempt = 1; ; attempt++)
        {
            try { await Database.DisposeAsync(); return; }
            catch (PostgresException) when (attempt < 5) { await Task.Delay(200 * attempt); }
        }
    }
}

public sealed class CustomerRow
{
    public string CustomerId { get; set; } = "";
    public string CustomerEmail { get; set; } = "";
    public string CustomerName { get; set; } = "";
    public string CreatedAt { get; set; } = "";
    public string UpdatedAt { get; set; } = "";
}

public static class ResponseAssert
{
    /// <summary>Reads the body and checks it never carries a stack trace or an exception type.</summary>
    public static async Task<string> BodyAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        NoStackTrace(body);
        return body;
    }

    public static void NoStackTrace(string body)
    {
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain(".cs:line", body);
    }

    /// <summary>An RFC 7807 problem with this status and a human message.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await BodyAsync(response);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("title").GetString()));
        return json;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var body = await BodyAsync(response);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static string[] PropertyNames(JsonElement element) =>
        element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
}
