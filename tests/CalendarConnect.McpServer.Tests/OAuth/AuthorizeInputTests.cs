using System.Net.Http.Json;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CalendarConnect.McpServer.Tests.OAuth;

/// <summary>Bad input and wrong keys on POST /oauth/authorize and the status endpoint: clear errors, nothing stored, no traces.</summary>
public class AuthorizeInputTests
{
    public static TheoryData<string, string, HttpStatusCode> BadBodies() => new()
    {
        { "{}", "application/json", HttpStatusCode.BadRequest },
        { "{\"customer_id\":\"\"}", "application/json", HttpStatusCode.BadRequest },
        { "{\"customer_id\":\"a b\"}", "application/json", HttpStatusCode.BadRequest },
        { "{\"customer_id\":\"../etc/passwd\"}", "application/json", HttpStatusCode.BadRequest },
        { "{\"customer_id\":\"x'; DROP TABLE oauth_tokens;--\"}", "application/json", HttpStatusCode.BadRequest },
        { "{\"customer_id\":\"<img src=x onerror=alert(1)>\"}", "application/json", HttpStatusCode.BadRequest },
        { "{\"customer_id\":\"" + new string('a', 65) + "\"}", "application/json", HttpStatusCode.BadRequest },
        { "{\"customer_id\":\"ok-id\",\"customer_email\":\"not-an-email\"}", "application/json", HttpStatusCode.BadRequest },
        { "{\"customer_id\":\"ok-id\",\"customer_email\":\"a@b.com\\r\\nBcc: x@y.com\"}", "application/json", HttpStatusCode.BadRequest },
        { "{\"customer_id\":42}", "application/json", HttpStatusCode.BadRequest },
        { "{\"customer_id\":", "application/json", HttpStatusCode.BadRequest },
        { "[]", "application/json", HttpStatusCode.BadRequest },
        { "null", "application/json", HttpStatusCode.BadRequest },
        { "customer_id=x", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType },
        { "{\"customer_id\":\"" + new string('a', 40_000) + "\"}", "application/json", HttpStatusCode.RequestEntityTooLarge },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_bodies_get_problem_json(string body, string contentType, HttpStatusCode expected)
    {
        await using var h = await McpServerHarness.StartAsync();
        using var http = h.ServiceClient();
        using var response = await http.PostAsync("/oauth/authorize", new StringContent(body, Encoding.UTF8, contentType));
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        using var problem = JsonDocument.Parse(text);
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()));
        Assert.DoesNotContain("   at ", text);
        Assert.DoesNotContain("Exception", text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key")]
    [InlineData("Basic YWRtaW46YWRtaW4=")]
    [InlineData("Bearer ")]
    public async Task Service_endpoints_need_the_key(string? authorization)
    {
        await using var h = await McpServerHarness.StartAsync();
        using var http = h.Mcp.CreateClient();
        if (authorization is not null) http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        using var authorize = await http.PostAsync("/oauth/authorize", new StringContent("{\"customer_id\":\"a\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, authorize.StatusCode);
        using var status = await http.GetAsync("/customers/a/calendar-status");
        Assert.Equal(HttpStatusCode.Unauthorized, status.StatusCode);
        using var mcp = await http.PostAsync("/mcp", new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, mcp.StatusCode);
    }

    [Fact]
    public async Task Status_of_an_invalid_id_is_400_and_of_an_unknown_id_not_connected()
    {
        await using var h = await McpServerHarness.StartAsync();
        using var http = h.ServiceClient();
        using var bad = await http.GetAsync("/customers/%3Cscript%3E/calendar-status");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var unknown = await http.GetFromJsonAsync<JsonElement>("/customers/nobody/calendar-status");
        Assert.Equal("not_connected", unknown.GetProperty("status").GetString());
        Assert.False(unknown.GetProperty("calendar_connected").GetBoolean());
    }

    [Fact]
    public async Task Health_endpoints_answer()
    {
        await using var h = await McpServerHarness.StartAsync();
        using var http = h.Mcp.CreateClient();
        Assert.Equal("ok", (await http.GetFromJsonAsync<JsonElement>("/healthz")).GetProperty("status").GetString());
        Assert.Equal("ready", (await http.GetFromJsonAsync<JsonElement>("/readyz")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.PostAsync("/readyz", null)).StatusCode);
    }
}
