using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace CalendarConnect.McpServer.Tests.Mcp;

/// <summary>
/// get_current_time answers from the company's known zone (its booking settings' time_zone, else its calendar's zone as
/// stored when it connected) without Google and whatever the state of the connection: a calendar that must be connected
/// again, a disconnected one, Google failing or hanging.
/// </summary>
public class CurrentTimeWithoutGoogleTests
{
    private const string Customer = "empresa-reloj-1";
    private const string Email = "agenda@empresa-reloj.com";

    private static JsonElement Ok(CallToolResult result)
    {
        Assert.True(result.IsError != true, McpServerHarness.TextOf(result));
        return result.StructuredContent!.Value;
    }

    private static void AssertNowIn(JsonElement clock, string zone, string offset)
    {
        Assert.Equal(zone, clock.GetProperty("time_zone").GetString());
        Assert.EndsWith(offset, clock.GetProperty("now").GetString());
        var now = DateTimeOffset.Parse(clock.GetProperty("now").GetString()!);
        Assert.InRange(now, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task A_calendar_that_needs_reauthorization_still_tells_the_time_in_its_zone()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        using (var http = h.Emulator.CreateClient())
            (await http.PostAsync($"/emulator/accounts/{Uri.EscapeDataString(Email)}/revoke", null)).EnsureSuccessStatusCode();
        // The next calendar read meets the revoked grant, and the connection becomes needs_reauthorization.
        Assert.True((await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd") })).IsError);
        Assert.Equal("needs_reauthorization", Ok(await h.CallAsync(Customer, "get_calendar_status")).GetProperty("status").GetString());

        AssertNowIn(Ok(await h.CallAsync(Customer, "get_current_time")), McpServerHarness.TimeZone, "-03:00");
    }

    [Fact]
    public async Task A_disconnected_company_tells_the_time_in_its_settings_zone_and_one_with_no_known_zone_says_it_is_not_connected()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        using var http = h.ServiceClient();
        (await http.PutAsync($"/customers/{Customer}/booking-settings",
            new StringContent("""{"time_zone":"Asia/Kolkata"}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        (await http.DeleteAsync($"/customers/{Customer}/calendar")).EnsureSuccessStatusCode();
        Assert.Equal("not_connected", Ok(await h.CallAsync(Customer, "get_calendar_status")).GetProperty("status").GetString());

        AssertNowIn(Ok(await h.CallAsync(Customer, "get_current_time")), "Asia/Kolkata", "+05:30");

        var unknown = await h.CallAsync("empresa-nunca", "get_current_time");
        Assert.True(unknown.IsError);
        Assert.Equal("not_connected", unknown.Meta?["calendarconnect/error_code"]?.GetValue<string>());
    }

    [Theory]
    [InlineData(503)]
    [InlineData(401)]
    public async Task Google_failing_on_every_request_does_not_stop_the_clock(int status)
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        using (var control = h.Emulator.CreateClient())
            (await control.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/", status, count = 1000 })).EnsureSuccessStatusCode();
        // Google's failure is seen by a calendar read first: the time still comes from what is stored here.
        Assert.True((await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd") })).IsError);

        AssertNowIn(Ok(await h.CallAsync(Customer, "get_current_time")), McpServerHarness.TimeZone, "-03:00");
    }

    [Fact]
    public async Task Google_hanging_does_not_stop_the_clock()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        using (var control = h.Emulator.CreateClient())
            (await control.PutAsJsonAsync("/emulator/latency", new { ms = 60_000 })).EnsureSuccessStatusCode();
        var before = (await h.EmulatorRequestsAsync()).GetArrayLength();

        // A wait for Google would end in the 10 s deadline's calendar_unavailable, never in the time.
        AssertNowIn(Ok(await h.CallAsync(Customer, "get_current_time")), McpServerHarness.TimeZone, "-03:00");
        Assert.Equal(before, (await h.EmulatorRequestsAsync()).GetArrayLength());
    }
}
