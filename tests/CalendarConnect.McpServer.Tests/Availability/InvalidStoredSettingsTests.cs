using System.Net;
using Dapper;
using static CalendarConnect.McpServer.Tests.Booking.BookingToolsTests;

namespace CalendarConnect.McpServer.Tests.Availability;

/// <summary>A settings row edited by hand into something invalid: a clear problem and tool error, never a 500.</summary>
public class InvalidStoredSettingsTests
{
    [Fact]
    public async Task Invalid_stored_settings_answer_a_problem_and_a_tool_error()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync("acme", "agenda@acme.com");
        await using (var connection = await h.Database.OpenAsync())
            await connection.ExecuteAsync(
                "INSERT INTO booking_settings (customer_id, settings_json, updated_at) VALUES ('acme', '{\"slot_minutes\": -5}', '2025-01-01T00:00:00Z')");

        using var http = h.ServiceClient();
        using var get = await http.GetAsync("/customers/acme/booking-settings");
        Assert.Equal(HttpStatusCode.Conflict, get.StatusCode);
        Assert.Contains("PUT", await get.Content.ReadAsStringAsync());

        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        var slots = await h.CallAsync("acme", "get_available_slots", new() { ["date_iso"] = d });
        Assert.Equal("calendar_unavailable", ErrorCode(slots));
        Assert.Contains("booking settings", McpServerHarness.TextOf(slots));
    }
}
