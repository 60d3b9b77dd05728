using System.Text;
using System.Text.Json.Nodes;
using CalendarConnect.McpServer.Availability;
using NodaTime;
using static CalendarConnect.McpServer.Tests.Booking.BookingToolsTests;

namespace CalendarConnect.McpServer.Tests.Booking;

/// <summary>
/// Bookings start on the company's slot grid (the starts get_available_slots offers) unless its settings allow any start:
/// a booking at 11:17 would block both the 11:00 and the 12:00 slot.
/// </summary>
public class SlotGridTests
{
    private const string Email = "agenda@empresa-grid.com";
    private const string Customer = "empresa-grid-1";

    private static async Task PutSettingsAsync(McpServerHarness h, string json)
    {
        using var http = h.ServiceClient();
        (await http.PutAsync($"/customers/{Customer}/booking-settings", new StringContent(json, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    }

    private static string[] AlternativesOf(ModelContextProtocol.Protocol.CallToolResult result) =>
        result.Meta!["calendarconnect/alternatives"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    private static List<JsonObject> Ours(McpServerHarness h) =>
        h.EmulatorEvents(Email).Where(e => e["extendedProperties"]?["private"]?["calendarconnect_customer_id"] is not null).ToList();

    [Fact]
    public async Task A_start_between_slots_is_refused_with_the_nearest_slot_starts_and_nothing_is_booked()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");

        var offGrid = await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T11:17:00-03:00"));
        Assert.Equal("not_on_slot_grid", ErrorCode(offGrid));
        var text = McpServerHarness.TextOf(offGrid);
        Assert.Contains("start_iso", text);
        Assert.Contains("every 60 minutes", text);
        var alternatives = AlternativesOf(offGrid);
        Assert.Contains($"{d}T11:00:00-03:00", alternatives);
        Assert.Contains($"{d}T12:00:00-03:00", alternatives);
        Assert.All(alternatives, a => Assert.Contains(a, text));
        Assert.Empty(Ours(h));

        // A start outside the hours keeps its own code, also off the grid.
        Assert.Equal("outside_business_hours", ErrorCode(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T17:45:00-03:00"))));

        var booked = Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T11:00:00-03:00")));
        var eventId = booked.GetProperty("event_id").GetString()!;
        var moved = await h.CallAsync(Customer, "reschedule_appointment", new() { ["event_id"] = eventId, ["new_start_iso"] = $"{d}T14:40:00-03:00" });
        Assert.Equal("not_on_slot_grid", ErrorCode(moved));
        Assert.Contains("new_start_iso", McpServerHarness.TextOf(moved));
        Assert.Contains($"{d}T15:00:00-03:00", AlternativesOf(moved));
        Assert.Equal($"{d}T11:00:00-03:00", Assert.Single(Ours(h))["start"]!["dateTime"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_grid_starts_at_each_opening_time_in_steps_of_the_slot_length_and_buffers_do_not_move_it()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        var day = McpServerHarness.NextWeekday();
        var d = day.ToString("yyyy-MM-dd");
        var key = day.DayOfWeek.ToString()[..3].ToLowerInvariant();
        await PutSettingsAsync(h, $$"""
            {"weekly_hours":{"{{key}}":[["09:15","12:00"],["14:10","18:00"]]},"slot_minutes":45,"buffer_before_minutes":10,"buffer_after_minutes":5}
            """);

        Assert.Equal("not_on_slot_grid", ErrorCode(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T09:30:00-03:00", minutes: 30))));
        Assert.Equal("not_on_slot_grid", ErrorCode(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T14:15:00-03:00", "Luis"))));
        Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T10:00:00-03:00")));       // 09:15 + 45
        Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T14:55:00-03:00", "Luis"))); // 14:10 + 45
    }

    [Fact]
    public async Task A_company_that_allows_any_start_books_between_slots()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        await PutSettingsAsync(h, """{"allow_off_grid_starts":true}""");
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        var booked = Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T11:17:00-03:00")));
        Assert.Equal($"{d}T11:17:00-03:00", booked.GetProperty("start").GetString());
    }

    [Fact]
    public void The_grid_is_the_candidates_of_the_slot_finder_across_a_dst_change()
    {
        // Europe/Madrid springs forward at 02:00 on 2026-03-29: 02:00-03:00 does not exist.
        var zone = DateTimeZoneProviders.Tzdb["Europe/Madrid"];
        var rules = SlotRules.From(BookingSettings.Default with
        {
            WeeklyHours = new Dictionary<IsoDayOfWeek, IReadOnlyList<OpeningRange>> { [IsoDayOfWeek.Sunday] = [new OpeningRange(60, 300)] },
            SlotMinutes = 30,
        }, zone);
        var date = new LocalDate(2026, 3, 29);
        Instant At(int hour, int minute) => zone.AtLeniently(date.At(new LocalTime(hour, minute))).ToInstant();
        Assert.True(SlotFinder.IsOnGrid(At(1, 30), rules));
        Assert.True(SlotFinder.IsOnGrid(At(3, 0), rules));
        Assert.False(SlotFinder.IsOnGrid(At(3, 15), rules));
        Assert.False(SlotFinder.IsOnGrid(At(0, 30), rules)); // before opening
        Assert.All(SlotFinder.Candidates(date, rules, Duration.FromMinutes(30)), s => Assert.True(SlotFinder.IsOnGrid(s.Start, rules)));
    }
}
