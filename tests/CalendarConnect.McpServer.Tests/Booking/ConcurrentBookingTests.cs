using System.Text.Json.Nodes;
using CalendarConnect.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace CalendarConnect.McpServer.Tests.Booking;

/// <summary>No double booking: concurrent bookings of overlapping times, spread over two replicas on one database.</summary>
public class ConcurrentBookingTests
{
    private const string Email = "contacto@empresa-abc.com";
    private const string Customer = "empresa-abc-123";

    [Theory]
    [InlineData(Engines.PostgreSql)]
    [InlineData(Engines.Sqlite)]
    public async Task Of_20_concurrent_overlapping_bookings_over_two_replicas_exactly_one_succeeds(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync(Customer, Email);
        // Starts between the slots (15:30 below) are this company's choice; both replicas read it from the database.
        using (var http = h.ServiceClient())
            (await http.PutAsync($"/customers/{Customer}/booking-settings",
                new StringContent("""{"allow_off_grid_starts":true}""", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        await using var replica = await LoopbackServer.StartAsync(CalendarConnect.McpServer.Program.BuildApp,
            McpServerHarness.Settings(h.Emulator, h.TestDatabase.Location, h.EncryptionKey, h.ApiKey));
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
    }

    private static async Task<McpClient> ClientAsync(LoopbackServer server, string apiKey) =>
        await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.BaseAddress, "mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + apiKey, ["X-Customer-Id"] = Customer },
        }));
}
