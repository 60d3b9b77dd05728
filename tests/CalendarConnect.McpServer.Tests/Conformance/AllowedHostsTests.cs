using System.Net;
using CalendarConnect.McpServer.Configuration;
using CalendarConnect.McpServer.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace CalendarConnect.McpServer.Tests.Conformance;

/// <summary>DNS-rebinding protection beyond the conformance scenario: which names are allowed, and where it applies.</summary>
public class AllowedHostsTests
{
    private static readonly AllowedHosts Hosts = new(McpServerSettingsRegistration.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["GOOGLE_REDIRECT_URI"] = "https://calendar.example.com/oauth/callback",
        ["MCP_SERVER_URL"] = "http://mcp-internal:60000",
        [AllowedHosts.Variable] = " mcp.lan:8443 , https://Other.Example.org/ ,[fd00::1]",
    }).Build()));

    [Theory]
    [InlineData("localhost:60000", null, true)]
    [InlineData("127.0.0.1:5", "http://127.0.0.1:5", true)]
    [InlineData("[::1]:60000", "http://[::1]:60000", true)]
    [InlineData("calendar.example.com", "https://calendar.example.com", true)]   // GOOGLE_REDIRECT_URI's host
    [InlineData("mcp-internal:60000", null, true)]                                 // MCP_SERVER_URL's host
    [InlineData("MCP.LAN", null, true)]                                            // MCP_ALLOWED_HOSTS, any port, any case
    [InlineData("other.example.org", null, true)]
    [InlineData("[fd00::1]:1", null, true)]
    [InlineData("evil.example.com", null, false)]
    [InlineData("evil.example.com", "http://localhost", false)]
    [InlineData("localhost", "http://evil.example.com", false)]                     // Origin is checked too
    [InlineData("localhost", "null", false)]
    [InlineData("localhost.evil.example.com", null, false)]
    [InlineData("", null, false)]
    public void Host_and_origin_must_name_this_server(string host, string? origin, bool allowed)
    {
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString(host);
        if (origin is not null) context.Request.Headers.Origin = origin;
        Assert.Equal(allowed, Hosts.IsAllowed(context.Request));
    }

    [Fact]
    public async Task The_server_refuses_a_foreign_host_with_403_on_every_endpoint_but_the_health_probes()
    {
        await using var h = await McpServerHarness.StartAsync();
        using var http = h.ServiceClient();
        async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, string host)
        {
            using var request = new HttpRequestMessage(method, path);
            request.Headers.Host = host;
            if (method == HttpMethod.Post) request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Post, "/mcp", "evil.example.com"));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Post, "/oauth/authorize", "evil.example.com"));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Get, "/customers/x/calendar-status", "evil.example.com"));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "/healthz", "10.1.2.3:60000"));
        Assert.NotEqual(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Get, "/customers/x/calendar-status", h.Mcp.BaseAddress.Authority));
        Assert.Contains(h.Logs.Lines, l => l.Contains("MCP_ALLOWED_HOSTS"));
    }
}
