using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.Testing;

namespace CalendarConnect.McpServer.Tests.Booking;

/// <summary>
/// Bidirectional controls make text show in another order than it is stored ("\u202Egnp.exe" shows as "exe.png"):
/// every free-text field of the MCP server (book_appointment's customer_name and notes, an MCP key's label) refuses
/// them, naming the field, and nothing is written.
/// </summary>
public class FreeTextTests
{
    private const string Customer = "empresa-abc-123";
    private const string Email = "contacto@empresa-abc.com";

    private static readonly char[] BidiControls =
        ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Booking_names_and_notes_and_key_labels_refuse_every_bidirectional_control(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync(Customer, Email);
        var start = $"{McpServerHarness.NextWeekday():yyyy-MM-dd}T15:00:00-03:00";
        using var service = h.ServiceClient();

        foreach (var control in BidiControls)
        {
            var text = $"Ana {control}gnp.exe";
            foreach (var field in new[] { "customer_name", "notes" })
            {
                var args = BookingToolsTests.BookArgs(start);
                args[field] = text;
                var result = await h.CallAsync(Customer, "book_appointment", args);
                Assert.Equal("invalid_argument", BookingToolsTests.ErrorCode(result));
                Assert.StartsWith($"{field} may not contain bidirectional control characters", McpServerHarness.TextOf(result));
            }

            using var issued = await service.PostAsJsonAsync($"/customers/{Customer}/mcp-keys", new { label = text });
            Assert.Equal(HttpStatusCode.BadRequest, issued.StatusCode);
            var problem = await issued.Content.ReadFromJsonAsync<JsonElement>();
            Assert.StartsWith("label may not contain bidirectional control characters", problem.GetProperty("errors").GetProperty("label")[0].GetString());
        }

        Assert.DoesNotContain(h.EmulatorEvents(Email), e => e["extendedProperties"]?["private"]?["calendarconnect_customer_id"] is not null);
        Assert.Equal(0, (await service.GetFromJsonAsync<JsonElement>($"/customers/{Customer}/mcp-keys")).GetArrayLength());
    }
}
