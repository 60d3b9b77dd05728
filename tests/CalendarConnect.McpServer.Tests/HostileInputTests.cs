using System.Net;
using System.Text;

namespace CalendarConnect.McpServer.Tests;

/// <summary>
/// Every endpoint of the MCP server against hostile input: odd and long ids, SQL and HTML metacharacters,
/// malformed and huge bodies, forged state and links, wrong and spoofed credentials. Each gets a 4xx (or a
/// tool error) — never a 5xx, a stack trace, or the input echoed back as markup — and nothing is stored.
/// </summary>
public class HostileInputTests : IAsyncLifetime
{
    private McpServerHarness _h = null!;

    public async ValueTask InitializeAsync() => _h = await McpServerHarness.StartAsync();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    private const string Script = "<script>alert(1)</script>";
    private const string Sql = "x'; DROP TABLE oauth_tokens; --";
    private static readonly string LongId = new('a', 5000);
    private static readonly string HugeJson = "{\"customer_id\":\"" + new string('a', 2 * 1024 * 1024) + "\"}";

    public static TheoryData<string, string, string?, string?, bool> Requests() => new()
    {
        // method, path, body (JSON unless it is not), extra header "Name: value", use the service key
        { "POST", "/oauth/authorize", "{\"customer_id\":\"" + Script + "\"}", null, true },
        { "POST", "/oauth/authorize", "{\"customer_id\":\"" + Sql + "\"}", null, true },
        { "POST", "/oauth/authorize", "{\"customer_id\":\"ok\",\"customer_email\":\"" + Script + "@x.com\"}", null, true },
        { "POST", "/oauth/authorize", "{\"customer_id\":[1,2]}", null, true },
        { "POST", "/oauth/authorize", "{{{{", null, true },
        { "POST", "/oauth/authorize", HugeJson, null, true },
        { "POST", "/oauth/authorize", "{\"customer_id\":\"ok\"}", "Authorization: Bearer test-service-key", false },
        { "POST", "/oauth/authorize", "{\"customer_id\":\"ok\"}", "Authorization: Bearer " + LongId, false },
        { "GET", "/oauth/callback?state=" + Uri.EscapeDataString(Script) + "&code=x", null, null, false },
        { "GET", "/oauth/callback?state=" + Uri.EscapeDataString(Sql) + "&code=" + Uri.EscapeDataString(Script), null, null, false },
        { "GET", "/oauth/callback?error=" + Uri.EscapeDataString(Script) + "&state=forged", null, null, false },
        { "GET", "/oauth/callback?state=" + LongId, null, null, false },
        { "GET", "/connect/" + Uri.EscapeDataString(Script), null, null, false },
        { "GET", "/connect/" + Uri.EscapeDataString(Sql), null, null, false },
        { "GET", "/connect/" + new string('a', 1500), null, null, false },
        { "GET", "/customers/" + Uri.EscapeDataString(Script) + "/calendar-status", null, null, true },
        { "GET", "/customers/" + Uri.EscapeDataString(Sql) + "/calendar-status", null, null, true },
        { "GET", "/customers/" + new string('a', 65) + "/calendar-status", null, null, true },
        { "GET", "/customers/calendar-status?customer_id=" + Uri.EscapeDataString(Sql), null, null, true },
        { "GET", "/customers/ok/calendar-status", null, "X-Customer-Id: other", false },
        { "DELETE", "/customers/" + Uri.EscapeDataString("../../etc") + "/calendar", null, null, true },
        { "DELETE", "/customers/" + Uri.EscapeDataString(Script) + "/connect-links", null, null, true },
        { "POST", "/customers/ok/mcp-keys", "{\"label\":\"" + new string('a', 500) + "\"}", null, true },
        { "POST", "/customers/ok/mcp-keys", "{\"label\":\"a\\u0000b\"}", null, true },
        { "POST", "/customers/ok/mcp-keys", "not json", null, true },
        { "POST", "/customers/" + Uri.EscapeDataString(Sql) + "/mcp-keys", "{}", null, true },
        { "DELETE", "/customers/ok/mcp-keys/" + Uri.EscapeDataString(Sql), null, null, true },
        { "DELETE", "/customers/ok/mcp-keys/mk_doesnotexist", null, null, true },
        { "POST", "/mcp", "{{{{", null, true },
        { "POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope\"}", null, true },
        { "POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"" + Script + "\"}}", null, true },
        { "POST", "/mcp", HugeJson, null, true },
        { "POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", "Authorization: Bearer ccmk_forgedforgedforgedforgedforged", false },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Hostile_requests_get_a_clear_refusal(string method, string path, string? body, string? header, bool withServiceKey)
    {
        using var http = withServiceKey ? _h.ServiceClient() : _h.Mcp.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (header is not null)
        {
            var (name, value) = (header[..header.IndexOf(':')], header[(header.IndexOf(':') + 1)..].Trim());
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500 || (path == "/mcp" && response.StatusCode == HttpStatusCode.OK),
            $"{method} {path[..Math.Min(path.Length, 80)]} answered {(int)response.StatusCode}");
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("Exception", text);
        Assert.DoesNotContain(Script, text);
        Assert.DoesNotContain(_h.ApiKey, text);

        await using var db = await _h.Database.OpenAsync();
        Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<int>(db, "SELECT COUNT(*) FROM oauth_tokens"));
        Assert.Equal(0, await Dapper.SqlMapper.ExecuteScalarAsync<int>(db, "SELECT COUNT(*) FROM mcp_keys"));
    }
}
