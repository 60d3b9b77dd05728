using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.Testing;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace CalendarConnect.EndToEnd.Tests;

/// <summary>
/// Booking settings saved through the backend's admin API reach the real MCP server and change the slots its
/// get_available_slots tool offers for the company's calendar (emulated Google).
/// </summary>
public class BookingSettingsFlowTests
{
    private const string CustomerId = "peluqueria-sol";
    private const string Email = "agenda@peluqueria-sol.com";
    private const string Zone = "America/Argentina/Buenos_Aires";

    // Wednesday 15 January 2025, 10:00 in Buenos Aires; Monday 20 January is inside the horizon and past the notice.
    private static FakeTimeProvider Clock() => new(new DateTimeOffset(2025, 1, 15, 13, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Monday_only_ten_to_twelve_in_half_hours_is_what_the_mcp_tool_offers()
    {
        await using var system = await SystemHarness.StartAsync(Clock());
        await system.CreateGoogleAccountAsync(Email, Zone);
        using var api = system.AdminApi();
        var connect = await (await api.PostAsJsonAsync("/v1/customer-calendars/connect",
            new { customer_id = CustomerId, customer_email = Email, customer_name = "Peluquería Sol" })).Content.ReadFromJsonAsync<JsonElement>();
        var redirect = await GoogleConsent.DecideAsync(connect.GetProperty("authorization_url").GetString()!, Email, allow: true);
        using (var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }))
            Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(redirect)).StatusCode);

        // Before: the defaults (Monday to Friday 09:00–18:00, one-hour slots), read through the backend.
        var defaults = await api.GetFromJsonAsync<JsonElement>($"/v1/customer-calendars/{CustomerId}/booking-settings");
        Assert.Equal(60, defaults.GetProperty("slot_minutes").GetInt32());
        await using var mcp = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(system.Mcp.BaseAddress, "mcp"),
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + system.ApiKey, ["X-Customer-Id"] = CustomerId },
        }));
        Assert.Equal(["09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00", "17:00"], await LocalStartsAsync(mcp, "2025-01-20"));

        // The admin saves Monday-only 10:00–12:00 with 30-minute slots through the backend.
        using var put = await api.PutAsJsonAsync($"/v1/customer-calendars/{CustomerId}/booking-settings", new
        {
            weekly_hours = new Dictionary<string, string[][]> { ["mon"] = [["10:00", "12:00"]] },
            slot_minutes = 30,
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var saved = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("""[["10:00","12:00"]]""", saved.GetProperty("weekly_hours").GetProperty("mon").GetRawText());
        Assert.Equal("[]", saved.GetProperty("weekly_hours").GetProperty("tue").GetRawText());

        Assert.Equal(["10:00", "10:30", "11:00", "11:30"], await LocalStartsAsync(mcp, "2025-01-20"));
        Assert.Empty(await LocalStartsAsync(mcp, "2025-01-21")); // Tuesday is closed now
        var monday = Ok(await mcp.CallToolAsync("get_available_slots", new Dictionary<string, object?> { ["date_iso"] = "2025-01-20" }));
        Assert.Equal(Zone, monday.GetProperty("time_zone").GetString());
        Assert.Equal("2025-01-20T10:00:00-03:00", monday.GetProperty("slots")[0].GetProperty("start").GetString());
        Assert.Equal("2025-01-20T10:30:00-03:00", monday.GetProperty("slots")[0].GetProperty("end").GetString());

        // The real MCP server's settings are what the backend reads back.
        var again = await api.GetFromJsonAsync<JsonElement>($"/v1/customer-calendars/{CustomerId}/booking-settings");
        Assert.Equal(30, again.GetProperty("slot_minutes").GetInt32());

        // An invalid PUT is refused with per-field errors and changes nothing.
        using var bad = await api.PutAsJsonAsync($"/v1/customer-calendars/{CustomerId}/booking-settings", new
        {
            weekly_hours = new Dictionary<string, string[][]> { ["mon"] = [["12:00", "10:00"]] },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("weekly_hours.mon", out _));
        Assert.Equal(["10:00", "10:30", "11:00", "11:30"], await LocalStartsAsync(mcp, "2025-01-20"));
    }

    private static JsonElement Ok(CallToolResult result)
    {
        Assert.True(result.IsError != true, string.Join(" ", result.Content.OfType<TextContentBlock>().Select(t => t.Text)));
        return result.StructuredContent!.Value;
    }

    private static async Task<string[]> LocalStartsAsync(McpClient mcp, string date)
    {
        var result = Ok(await mcp.CallToolAsync("get_available_slots", new Dictionary<string, object?> { ["date_iso"] = date }));
        return result.GetProperty("slots").EnumerateArray()
            .Select(s => DateTimeOffset.Parse(s.GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToString("HH:mm"))
            .ToArray();
    }
}
