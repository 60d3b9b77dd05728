using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CalendarConnect.McpServer.TokenVault;
using CalendarConnect.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CalendarConnect.McpServer.Tests.Replicas;

/// <summary>Two MCP server instances on one PostgreSQL database, as a deployment that outgrew one machine runs them.</summary>
public class TwoReplicaTests
{
    [Fact]
    public async Task A_flow_begun_on_one_replica_finishes_on_the_other_and_200_calls_cause_one_refresh()
    {
        await using var db = await TestDatabase.CreateAsync(Engines.PostgreSql);
        await using var emulator = await LoopbackServer.StartAsync(CalendarConnect.GoogleEmulator.Program.BuildApp);
        var key = FernetKey.Generate();
        const string apiKey = "replica-test-service-key";
        var settings = ReplicaSettings(emulator, db, key, apiKey);
        await using var a = await LoopbackServer.StartAsync(CalendarConnect.McpServer.Program.BuildApp, settings);
        await using var b = await LoopbackServer.StartAsync(CalendarConnect.McpServer.Program.BuildApp, settings);

        using (var control = emulator.CreateClient())
            (await control.PostAsJsonAsync("/emulator/accounts", new { email = "a@example.com", time_zone = McpServerHarness.TimeZone })).EnsureSuccessStatusCode();

        // Authorize on replica A ...
        using var serviceA = Service(a, apiKey);
        var authorization = await (await serviceA.PostAsJsonAsync("/oauth/authorize", new { customer_id = "company-a", customer_email = "a@example.com" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var redirect = await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, "a@example.com", allow: true);
        // ... and Google sends the browser back to replica B.
        using (var browser = b.CreateClient())
        using (var callback = await browser.GetAsync("/oauth/callback" + redirect.Query))
            Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        var status = await serviceA.GetFromJsonAsync<JsonElement>("/customers/company-a/calendar-status");
        Assert.Equal("connected", status.GetProperty("status").GetString());

        // Warm both replicas' caches, then every access token dies at Google.
        var day = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        Assert.False(await CallIsErrorAsync(a, apiKey, day));
        Assert.False(await CallIsErrorAsync(b, apiKey, day));
        using (var control = emulator.CreateClient())
            (await control.PostAsync("/emulator/expire-access-tokens", null)).EnsureSuccessStatusCode();

        var calls = Enumerable.Range(0, 200).Select(i => CallIsErrorAsync(i % 2 == 0 ? a : b, apiKey, day));
        var errors = await Task.WhenAll(calls);
        Assert.All(errors, isError => Assert.False(isError));

        using (var control = emulator.CreateClient())
        {
            var requests = await control.GetFromJsonAsync<JsonElement>("/emulator/requests");
            Assert.Single(requests.EnumerateArray(), r => r.TryGetProperty("grant_type", out var g) && g.GetString() == "refresh_token");
        }
    }

    /// <summary>
    /// The token endpoint fails while every access token is expired: 30 calls spread over two replicas cause one refresh
    /// (its request and one retry), every call answers calendar_unavailable, and neither replica asks Google again until
    /// the back-off, recorded in the shared database, has passed; then one refresh serves both.
    /// </summary>
    [Fact]
    public async Task Two_replicas_share_a_failed_refresh_and_its_back_off()
    {
        await using var db = await TestDatabase.CreateAsync(Engines.PostgreSql);
        await using var emulator = await LoopbackServer.StartAsync(CalendarConnect.GoogleEmulator.Program.BuildApp);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        const string apiKey = "replica-test-service-key";
        var settings = ReplicaSettings(emulator, db, FernetKey.Generate(), apiKey);
        Func<string[], IReadOnlyDictionary<string, string?>?, WebApplication> build = (args, s) =>
            CalendarConnect.McpServer.Program.BuildApp(args, s, services => services.AddSingleton<TimeProvider>(clock));
        await using var a = await LoopbackServer.StartAsync(build, settings);
        await using var b = await LoopbackServer.StartAsync(build, settings);

        using var control = emulator.CreateClient();
        (await control.PostAsJsonAsync("/emulator/accounts", new { email = "a@example.com", time_zone = McpServerHarness.TimeZone })).EnsureSuccessStatusCode();
        using var serviceA = Service(a, apiKey);
        var authorization = await (await serviceA.PostAsJsonAsync("/oauth/authorize", new { customer_id = "company-a", customer_email = "a@example.com" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var redirect = await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, "a@example.com", allow: true);
        using (var browser = a.CreateClient())
        using (var callback = await browser.GetAsync("/oauth/callback" + redirect.Query))
            Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);

        var day = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        (await control.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/token", status = 503, count = 1000 })).EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromHours(1));

        var storm = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => CallAsync(i % 2 == 0 ? a : b, apiKey, day)));
        Assert.All(storm, code => Assert.Equal("calendar_unavailable", code));
        Assert.Equal(2, await RefreshRequestsAsync(control));

        // During the back-off neither replica asks Google.
        foreach (var server in new[] { a, b, b, a }) Assert.Equal("calendar_unavailable", await CallAsync(server, apiKey, day));
        Assert.Equal(2, await RefreshRequestsAsync(control));

        // After it, Google answers again: one refresh, on whichever replica asks first, serves both.
        emulator.GetRequiredService<CalendarConnect.GoogleEmulator.Control.FaultStore>().Reset();
        clock.Advance(TimeSpan.FromSeconds(2.1));
        Assert.Null(await CallAsync(b, apiKey, day));
        Assert.Null(await CallAsync(a, apiKey, day));
        Assert.Equal(3, await RefreshRequestsAsync(control));
    }

    /// <summary>
    /// Each replica's connection pool bounded, as a deployment sizes it (replicas × pool ≤ the server's max_connections, 100
    /// here, shared with every other test run): a burst of calls then queues for a connection instead of being refused.
    /// </summary>
    private static Dictionary<string, string?> ReplicaSettings(LoopbackServer emulator, TestDatabase db, string key, string apiKey) =>
        McpServerHarness.Settings(emulator, new NpgsqlConnectionStringBuilder(db.Location) { MaxPoolSize = 20 }.ConnectionString, key, apiKey);

    private static async Task<int> RefreshRequestsAsync(HttpClient control) =>
        (await control.GetFromJsonAsync<JsonElement>("/emulator/requests")).EnumerateArray()
        .Count(r => r.TryGetProperty("grant_type", out var g) && g.GetString() == "refresh_token");

    private static HttpClient Service(LoopbackServer server, string apiKey)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>One stateless tools/call, as a JSON-RPC POST; true when the tool answered isError.</summary>
    private static async Task<bool> CallIsErrorAsync(LoopbackServer server, string apiKey, string day) => await CallAsync(server, apiKey, day) is not null;

    /// <summary>One stateless get_available_slots call, as a JSON-RPC POST: the error code when the tool answered isError, else null.</summary>
    private static async Task<string?> CallAsync(LoopbackServer server, string apiKey, string day)
    {
        using var client = Service(server, apiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"get_available_slots\",\"arguments\":{\"date_iso\":\"" + day + "\"}}}",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Customer-Id", "company-a");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        // Streamable HTTP may answer as an SSE stream: the JSON-RPC message is on the "data:" line.
        var json = text.TrimStart().StartsWith('{') ? text : text.Split('\n').First(l => l.StartsWith("data:", StringComparison.Ordinal))[5..];
        using var document = JsonDocument.Parse(json);
        var result = document.RootElement.GetProperty("result");
        if (!result.TryGetProperty("isError", out var isError) || !isError.GetBoolean()) return null;
        return result.GetProperty("_meta").GetProperty("calendarconnect/error_code").GetString();
    }
}
