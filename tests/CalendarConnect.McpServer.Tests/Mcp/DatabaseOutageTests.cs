using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.McpServer.Health;
using CalendarConnect.McpServer.Mcp;
using CalendarConnect.Testing;

namespace CalendarConnect.McpServer.Tests.Mcp;

/// <summary>
/// The token database going away while the server runs (here PostgreSQL behind a TCP relay the test cuts; the shared
/// server itself keeps running): tools answer isError with code calendar_unavailable and a message saying so, and each
/// call logs one warning line without a stack trace, never "An error occurred invoking" or an error.
/// </summary>
public class DatabaseOutageTests
{
    private const string Customer = "empresa-sin-base-1";
    private const string Email = "agenda@empresa-sin-base.com";

    /// <summary>The server's TOKEN_DB through <paramref name="relay"/> instead of straight to PostgreSQL.</summary>
    private static string Relayed(TestDatabase database, TcpRelay relay) => relay.ConnectionString(database);

    private static TcpRelay RelayTo(TestDatabase database) => TcpRelay.To(database);

    [Fact]
    public async Task With_the_database_unreachable_tools_answer_calendar_unavailable_and_log_one_warning_line_each()
    {
        await using var database = await TestDatabase.CreateAsync(Engines.PostgreSql, "tokens.db");
        await using var relay = RelayTo(database);
        await using var h = await McpServerHarness.StartAsync(engine: Engines.PostgreSql,
            settings: new Dictionary<string, string?> { ["TOKEN_DB"] = Relayed(database, relay) });
        await h.ConnectAsync(Customer, Email);
        var day = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        Assert.True((await h.CallAsync(Customer, "list_appointments", new() { ["from_iso"] = day, ["to_iso"] = day })).IsError != true);

        await relay.CutAsync();
        var calls = new (string Tool, Dictionary<string, object?> Arguments)[]
        {
            ("get_calendar_status", []),
            ("list_appointments", new() { ["from_iso"] = day, ["to_iso"] = day }),
            ("book_appointment", new() { ["start_iso"] = $"{day}T10:00:00-03:00", ["customer_name"] = "Ana", ["idempotency_key"] = "k-1" }),
        };
        foreach (var (tool, arguments) in calls)
        {
            var logged = h.Logs.Lines.Count;
            var result = await h.CallAsync(Customer, tool, arguments);
            Assert.True(result.IsError, $"{tool}: {McpServerHarness.TextOf(result)}");
            Assert.Equal("calendar_unavailable", result.Meta?["calendarconnect/error_code"]?.GetValue<string>());
            Assert.Equal(ToolFailures.DatabaseUnavailable.Message, McpServerHarness.TextOf(result));
            var lines = h.Logs.Lines.Skip(logged).Where(l => !l.StartsWith("Information", StringComparison.Ordinal) && !l.StartsWith("Debug", StringComparison.Ordinal)).ToList();
            var line = Assert.Single(lines);
            Assert.StartsWith("Warning", line);
            Assert.Contains(tool, line);
            Assert.Contains("TOKEN_DB", line);
        }

        // The probes: still alive (a restart would not bring the database back), not ready, and saying why.
        using var http = h.Mcp.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        using var ready = await http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("application/problem+json", ready.Content.Headers.ContentType?.MediaType);
        Assert.Equal("The token database is not reachable.", (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        Assert.DoesNotContain(h.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains("   at ", StringComparison.Ordinal) || l.Contains("An error occurred invoking", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_the_database_hung_readyz_answers_503_instead_of_waiting_with_it()
    {
        await using var database = await TestDatabase.CreateAsync(Engines.PostgreSql, "tokens.db");
        await using var relay = RelayTo(database);
        await using var h = await McpServerHarness.StartAsync(engine: Engines.PostgreSql,
            settings: new Dictionary<string, string?> { ["TOKEN_DB"] = Relayed(database, relay) });
        using var http = h.Mcp.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz", TestContext.Current.CancellationToken)).StatusCode);

        await relay.FreezeAsync();
        // Without the check's own limit this request would wait as long as the database does (here: for ever), and with
        // only the driver's cancellation it waited most of a minute; the client's bound turns such a hang into a failure.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(30));
        using var ready = await http.GetAsync("/readyz", bound.Token);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(TokenDatabaseCheck.NotReachable, (await ready.Content.ReadFromJsonAsync<JsonElement>(bound.Token)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz", bound.Token)).StatusCode);
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains("   at ", StringComparison.Ordinal));
        await relay.CutAsync(); // the server's stop then finds its connections gone, not hung
    }
}
