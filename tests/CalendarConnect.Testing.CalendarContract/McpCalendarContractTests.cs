using System.Text.Json;
using NodaTime;
using NodaTime.Text;

namespace CalendarConnect.Testing.CalendarContract;

/// <summary>
/// The contract's part that only an MCP server has: the tools a language model is given (<see cref="ToolNames"/> with
/// the arguments of <see cref="ToolArgumentNames"/>) and <c>list_appointments</c>, which the assistant reaches only
/// through them. Derived for the real MCP server and for the fake MCP server.
/// </summary>
public abstract class McpCalendarContractTests : CalendarContractTests
{
    private static readonly LocalDatePattern IsoDate = LocalDatePattern.Iso;

    [Fact]
    public async Task Every_calendar_tool_is_listed_with_its_arguments()
    {
        await using var session = Open();
        var tools = await session.ListToolsAsync(Cancel);
        Assert.Equal(ToolNames.All.Order(StringComparer.Ordinal), tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var tool in tools)
        {
            var properties = tool.ProtocolTool.InputSchema.TryGetProperty("properties", out var p) ? p.EnumerateObject().Select(a => a.Name) : [];
            Assert.True(ToolArgumentNames.Of(tool.Name).Order(StringComparer.Ordinal).SequenceEqual(properties.Order(StringComparer.Ordinal)),
                $"{tool.Name} takes {string.Join(", ", properties)}");
        }
    }

    [Fact]
    public async Task Listing_appointments_shows_the_booked_and_the_cancelled_in_the_company_s_zone()
    {
        await using var session = Open();
        var day = await OpenDayAsync(session);
        var kept = await session.BookAppointmentAsync(At(day, 10), null, Person, Key(), Cancel);
        var cancelled = await session.BookAppointmentAsync(At(day, 12), null, "Luis Gómez", Key(), Cancel);
        await session.CancelAppointmentAsync(cancelled.EventId, Cancel);

        var list = (await session.ListToolsAsync(Cancel)).Single(t => t.Name == ToolNames.ListAppointments);
        var result = await list.CallAsync(new Dictionary<string, object?>
        {
            [ToolArgumentNames.FromIso] = IsoDate.Format(day),
            [ToolArgumentNames.ToIso] = IsoDate.Format(day),
        }, cancellationToken: Cancel);

        Assert.NotEqual(true, result.IsError);
        var listed = result.StructuredContent!.Value;
        Assert.Equal(Zone.Id, listed.GetProperty("time_zone").GetString());
        Assert.Equal(
            [
                (kept.EventId, kept.Start, kept.End, Person, "confirmed"),
                (cancelled.EventId, cancelled.Start, cancelled.End, "Luis Gómez", "cancelled"),
            ],
            listed.GetProperty("appointments").EnumerateArray().Select(a => (
                a.GetProperty("event_id").GetString(),
                Moment(a.GetProperty("start")),
                Moment(a.GetProperty("end")),
                a.GetProperty("customer_name").GetString(),
                a.GetProperty("status").GetString())));
    }

    private static OffsetDateTime Moment(JsonElement text) => OffsetDateTimePattern.ExtendedIso.Parse(text.GetString()!).Value;
}
