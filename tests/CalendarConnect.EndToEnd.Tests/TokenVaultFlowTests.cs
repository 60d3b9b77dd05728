using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.Testing;
using ModelContextProtocol.Client;

namespace CalendarConnect.EndToEnd.Tests;

/// <summary>
/// Issue 3 across the real backend and MCP server: the shareable link sent to a company, a company's own MCP
/// key, and disconnection from the admin API, with Google (emulated) seeing the revocation.
/// </summary>
public class TokenVaultFlowTests
{
    private const string Zone = "America/Argentina/Buenos_Aires";

    [Fact]
    public async Task Shareable_link_company_key_and_disconnect_work_end_to_end()
    {
        await using var system = await SystemHarness.StartAsync();
        await system.CreateGoogleAccountAsync("a@example.com", Zone);
        await system.CreateGoogleAccountAsync("b@example.com", Zone);
        using var api = system.AdminApi();

        // The admin copies the shareable link; the company opens it days later — here, twice.
        var connect = await (await api.PostAsJsonAsync("/v1/customer-calendars/connect",
            new { customer_id = "company-a", customer_email = "a@example.com", customer_name = "A" })).Content.ReadFromJsonAsync<JsonElement>();
        var link = connect.GetProperty("shareable_link").GetString()!;
        Assert.StartsWith(system.Mcp.Url("connect/"), link);
        Assert.NotEqual(connect.GetProperty("authorization_url").GetString(), link);
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var firstVisit = (await browser.GetAsync(link)).Headers.Location!;
        var secondVisit = (await browser.GetAsync(link)).Headers.Location!;
        Assert.NotEqual(firstVisit, secondVisit);
        var redirect = await GoogleConsent.DecideAsync(secondVisit.ToString(), "a@example.com", allow: true);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(redirect)).StatusCode);
        var status = await api.GetFromJsonAsync<JsonElement>("/v1/customer-calendars/company-a");
        Assert.Equal("connected", status.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(link)).StatusCode);

        // A second company, connected the direct way.
        var b = await (await api.PostAsJsonAsync("/v1/customer-calendars/connect",
            new { customer_id = "company-b", customer_email = "b@example.com", customer_name = "B" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Redirect,
            (await browser.GetAsync(await GoogleConsent.DecideAsync(b.GetProperty("authorization_url").GetString()!, "b@example.com", allow: true))).StatusCode);

        // Company A gets its own MCP key from the admin and uses it with a standard MCP client.
        using var issued = await api.PostAsJsonAsync("/v1/customer-calendars/company-a/mcp-keys", new { label = "Agente propio" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var apiKey = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("api_key").GetString()!;
        var day = NextWeekday();
        await using (var own = await McpClient.CreateAsync(Transport(system, apiKey, "company-a")))
        {
            var result = await own.CallToolAsync("get_available_slots", new Dictionary<string, object?> { ["date_iso"] = day });
            Assert.NotEqual(true, result.IsError);
        }

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var other = await McpClient.CreateAsync(Transport(system, apiKey, "company-b"));
            await other.CallToolAsync("get_available_slots", new Dictionary<string, object?> { ["date_iso"] = day });
        });

        // The admin disconnects company A: Google sees the revocation, the assistant is told, B is untouched.
        using var disconnect = await api.DeleteAsync("/v1/customer-calendars/company-a");
        Assert.Equal(HttpStatusCode.OK, disconnect.StatusCode);
        Assert.Equal("not_connected", (await disconnect.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        using var emulator = system.Emulator.CreateClient();
        var requests = await emulator.GetFromJsonAsync<JsonElement>("/emulator/requests");
        Assert.Contains(requests.EnumerateArray(), r => r.GetProperty("path").GetString() == "/revoke");
        var list = await api.GetFromJsonAsync<JsonElement>("/v1/customer-calendars");
        var statuses = list.EnumerateArray().ToDictionary(c => c.GetProperty("customer_id").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal("not_connected", statuses["company-a"]);
        Assert.Equal("connected", statuses["company-b"]);
    }

    private static HttpClientTransport Transport(SystemHarness system, string apiKey, string customerId) => new(new HttpClientTransportOptions
    {
        Endpoint = new Uri(system.Mcp.BaseAddress, "mcp"),
        AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + apiKey, ["X-Customer-Id"] = customerId },
    });

    private static string NextWeekday()
    {
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) day = day.AddDays(1);
        return day.ToString("yyyy-MM-dd");
    }
}
