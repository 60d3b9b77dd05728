using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.Testing;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace CalendarConnect.McpServer.Tests.Booking;

/// <summary>
/// No double booking: concurrent bookings of overlapping times, spread over two replicas on one database. Both replicas
/// wait on <see cref="ClockWithoutDeadlines"/>: every booking waits its turn however long the line takes on a loaded
/// machine, so each ends in what the booking rules decide (booked, or slot_taken), never in "busy" (that answer has its
/// own test in BookingSafetyTests).
/// </summary>
public class ConcurrentBookingTests
{
    private const string Email = "contacto@empresa-abc.com";
    private const string Customer = "empresa-abc-123";

    [Theory]
    [InlineData(Engines.PostgreSql)]
    [InlineData(Engines.Sqlite)]
    public async Task Of_20_concurrent_overlapping_bookings_over_two_replicas_exactly_one_succeeds(string engine)
    {
        var waits = new ClockWithoutDeadlines();
        await using var h = await McpServerHarness.StartAsync(engine: engine, configureServices: s => s.AddSingleton(new WaitClock(waits)));
        await h.ConnectAsync(Customer, Email);
        // Starts between the slots (15:30 below) are this company's choice; both replicas read it from the database.
        using (var http = h.ServiceClient())
            (await http.PutAsync($"/customers/{Customer}/booking-settings",
                new StringContent("""{"allow_off_grid_starts":true}""", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        await using var replica = await ReplicaAsync(h, waits);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");

        // Different people and keys, starts 15:00 and 15:30 for an hour: every pair overlaps.
        var calls = Enumerable.Range(0, 20).Select(async i =>
        {
            var server = i % 2 == 0 ? h.Mcp : replica;
            await using var client = await ClientAsync(server, h.ApiKey);
            var start = i % 4 < 2 ? $"{d}T15:00:00-03:00" : $"{d}T15:30:00-03:00";
            return await client.CallToolAsync("book_appointment",
                BookingToolsTests.BookArgs(start, $"Persona {i}", key: $"concurrent-{i}", minutes: 60));
        }).ToList();
        var results = await Task.WhenAll(calls);

        var succeeded = Assert.Single(results, r => r.IsError != true);
        Assert.All(results.Where(r => r.IsError == true), r => Assert.Equal("slot_taken", BookingToolsTests.ErrorCode(r)));
        var booked = Assert.Single(h.EmulatorEvents(Email), e => e["status"]!.GetValue<string>() != "cancelled");
        Assert.Equal(succeeded.StructuredContent!.Value.GetProperty("event_id").GetString(), booked["id"]!.GetValue<string>());
        Assert.NotEqual(0, waits.DeadlinesHeld);
    }

    /// <summary>
    /// Two companies connected to one Google account book into its primary calendar: their bookings share one lease (the
    /// calendar's, not the company's), so of 8 + 8 concurrent bookings of one slot over two replicas exactly one is made.
    /// Google answers in 40 ms, so every booking's check and insert overlap another company's.
    /// </summary>
    [Theory]
    [InlineData(Engines.PostgreSql)]
    [InlineData(Engines.Sqlite)]
    public async Task Two_companies_on_one_google_calendar_never_double_book_it(string engine)
    {
        const string other = "empresa-xyz-456";
        var waits = new ClockWithoutDeadlines();
        await using var h = await McpServerHarness.StartAsync(engine: engine, configureServices: s => s.AddSingleton(new WaitClock(waits)));
        await h.ConnectAsync(Customer, Email);
        var authorization = await h.AuthorizeAsync(other, Email);
        var redirect = await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, Email, allow: true);
        using (var callback = await h.DeliverCallbackAsync(redirect))
            Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        await using var replica = await ReplicaAsync(h, waits);
        using (var control = h.Emulator.CreateClient())
            (await control.PutAsJsonAsync("/emulator/latency", new { ms = 40, jitter_ms = 20 })).EnsureSuccessStatusCode();
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");

        var calls = Enumerable.Range(0, 16).Select(async i =>
        {
            await using var client = await ClientAsync(i % 4 < 2 ? h.Mcp : replica, h.ApiKey, i % 2 == 0 ? Customer : other);
            return await client.CallToolAsync("book_appointment",
                BookingToolsTests.BookArgs($"{d}T15:00:00-03:00", $"Persona {i}", key: $"shared-{i}", minutes: 60));
        }).ToList();
        var results = await Task.WhenAll(calls);

        var succeeded = Assert.Single(results, r => r.IsError != true);
        Assert.All(results.Where(r => r.IsError == true), r => Assert.Equal("slot_taken", BookingToolsTests.ErrorCode(r)));
        var booked = Assert.Single(h.EmulatorEvents(Email), e => e["status"]!.GetValue<string>() != "cancelled");
        Assert.Equal(succeeded.StructuredContent!.Value.GetProperty("event_id").GetString(), booked["id"]!.GetValue<string>());
        Assert.NotEqual(0, waits.DeadlinesHeld);
    }

    /// <summary>A second MCP server on the harness's database and emulator, waiting on the same clock.</summary>
    private static Task<LoopbackServer> ReplicaAsync(McpServerHarness h, ClockWithoutDeadlines waits) =>
        LoopbackServer.StartAsync((args, settings) => CalendarConnect.McpServer.Program.BuildApp(args, settings,
                services => services.AddSingleton(new WaitClock(waits))),
            McpServerHarness.Settings(h.Emulator, h.TestDatabase.Location, h.EncryptionKey, h.ApiKey));

    private static async Task<McpClient> ClientAsync(LoopbackServer server, string apiKey, string customerId = Customer) =>
        await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.BaseAddress, "mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + apiKey, ["X-Customer-Id"] = customerId },
        }));
}
