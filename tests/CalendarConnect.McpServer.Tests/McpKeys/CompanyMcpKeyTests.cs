using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CalendarConnect.Testing;
using ModelContextProtocol.Client;

namespace CalendarConnect.McpServer.Tests.McpKeys;

/// <summary>A company's own MCP key: its own calendar only, stored hashed, revocable; and disconnection.</summary>
public class CompanyMcpKeyTests
{
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_company_key_reaches_only_its_own_calendar(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync("company-a", "a@example.com");
        await h.ConnectAsync("company-b", "b@example.com");
        using var service = h.ServiceClient();
        using var issued = await service.PostAsJsonAsync("/customers/company-a/mcp-keys", new { label = "Claude Desktop" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var key = await issued.Content.ReadFromJsonAsync<JsonElement>();
        var apiKey = key.GetProperty("api_key").GetString()!;
        Assert.StartsWith("ccmk_", apiKey);
        var day = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");

        // Own company, with or without the header: works.
        await using (var own = await h.McpClientAsync("company-a", apiKey))
            Assert.NotEqual(true, (await own.CallToolAsync("get_available_slots", new Dictionary<string, object?> { ["date_iso"] = day })).IsError);
        await using (var implicitOwn = await h.McpClientAsync(null, apiKey))
            Assert.NotEqual(true, (await implicitOwn.CallToolAsync("get_available_slots", new Dictionary<string, object?> { ["date_iso"] = day })).IsError);

        // Another company: 403 at the HTTP level, no data.
        using var http = h.Mcp.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"get_available_slots\",\"arguments\":{\"date_iso\":\"" + day + "\"}}}",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", apiKey);
        request.Headers.Add("X-Customer-Id", "company-b");
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        using var forbidden = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.DoesNotContain("slots", await forbidden.Content.ReadAsStringAsync());

        // A company key is not a service key.
        using var companyAsService = h.Mcp.CreateClient();
        companyAsService.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await companyAsService.GetAsync("/customers/company-a/calendar-status")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await companyAsService.PostAsJsonAsync("/customers/company-a/mcp-keys", new { })).StatusCode);

        // Stored only as a hash.
        await using (var db = await h.Database.OpenAsync())
        {
            var stored = string.Join("|", await Dapper.SqlMapper.QueryAsync<string>(db, "SELECT key_hash || key_id FROM mcp_keys"));
            Assert.DoesNotContain(apiKey, stored);
        }

        // Listed without the key; revoked → 401.
        var list = await service.GetFromJsonAsync<JsonElement>("/customers/company-a/mcp-keys");
        var entry = Assert.Single(list.EnumerateArray());
        Assert.Equal("Claude Desktop", entry.GetProperty("label").GetString());
        Assert.DoesNotContain(apiKey, list.GetRawText());
        var keyId = key.GetProperty("key_id").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await service.DeleteAsync($"/customers/company-b/mcp-keys/{keyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await service.DeleteAsync($"/customers/company-a/mcp-keys/{keyId}")).StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var revoked = await h.McpClientAsync("company-a", apiKey);
        });
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Disconnect_revokes_at_google_and_forgets_the_tokens(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync("company-a", "a@example.com");
        using var service = h.ServiceClient();
        using var response = await service.DeleteAsync("/customers/company-a/calendar");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("not_connected", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("revoked_at_google").GetBoolean());
        var requests = await h.EmulatorRequestsAsync();
        Assert.Contains(requests.EnumerateArray(), r => r.GetProperty("path").GetString() == "/revoke");
        await using (var db = await h.Database.OpenAsync())
            Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<int>(db, "SELECT COUNT(*) FROM oauth_tokens"));
        var status = await service.GetFromJsonAsync<JsonElement>("/customers/company-a/calendar-status");
        Assert.Equal("not_connected", status.GetProperty("status").GetString());
        var result = await h.CallAsync("company-a", "get_available_slots", new() { ["date_iso"] = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd") });
        Assert.True(result.IsError);
        // Again: still fine.
        Assert.Equal(HttpStatusCode.OK, (await service.DeleteAsync("/customers/company-a/calendar")).StatusCode);
    }

    [Fact]
    public async Task Batch_status_answers_each_company_in_order()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync("company-a", "a@example.com");
        using var service = h.ServiceClient();
        var items = await service.GetFromJsonAsync<JsonElement>("/customers/calendar-status?customer_id=nobody&customer_id=company-a");
        Assert.Equal(["not_connected", "connected"], items.EnumerateArray().Select(i => i.GetProperty("status").GetString()).ToArray());
        var tooMany = string.Join("&", Enumerable.Range(0, 101).Select(i => "customer_id=c" + i));
        Assert.Equal(HttpStatusCode.BadRequest, (await service.GetAsync("/customers/calendar-status?" + tooMany)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await service.GetAsync("/customers/calendar-status")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await service.GetAsync("/customers/calendar-status?customer_id=%3Cb%3E")).StatusCode);
    }
}
