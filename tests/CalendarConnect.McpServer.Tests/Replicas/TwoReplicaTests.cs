using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CalendarConnect.McpServer.TokenVault;
using CalendarConnect.Testing;

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
        var settings = McpServerHarness.Settings(emulator, db.Location, key, apiKey);
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

    private static HttpClient Service(LoopbackServer server, string apiKey)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>One stateless tools/call, as a JSON-RPC POST; true when the tool answered isError.</summary>
    private static async Task<bool> CallIsErrorAsync(LoopbackServer server, string apiKey, string day)
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
        return result.TryGetProperty("isError", out var isError) && isError.GetBoolean();
    }
}
