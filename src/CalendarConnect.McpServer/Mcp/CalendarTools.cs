using System.ComponentModel;
using System.Text.Json.Serialization;
using CalendarConnect.McpServer.Availability;
using CalendarConnect.McpServer.Connections;
using CalendarConnect.McpServer.GoogleCalendar;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NodaTime;
using NodaTime.Text;

namespace CalendarConnect.McpServer.Mcp;

public sealed record SlotTimes(
    [property: JsonPropertyName("start")] string Start,
    [property: JsonPropertyName("end")] string End);

public sealed record AvailableSlotsResult(
    [property: JsonPropertyName("date")] string Date,
    [property: JsonPropertyName("time_zone")] string TimeZone,
    [property: JsonPropertyName("slots")] IReadOnlyList<SlotTimes> Slots);

public sealed record CurrentTimeResult(
    [property: JsonPropertyName("now")] string Now,
    [property: JsonPropertyName("date")] string Date,
    [property: JsonPropertyName("weekday")] string Weekday,
    [property: JsonPropertyName("time_zone")] string TimeZone);

/// <summary>
/// The calendar tools of the MCP endpoint (spec step 7). Every tool works on the company named by
/// <c>X-Customer-Id</c>; failures are tool results with <c>isError</c> and a message an assistant can relay.
/// </summary>
[McpServerToolType]
public sealed class CalendarTools(CustomerContext customer, CompanyCalendar calendar, TimeProvider time)
{
    private static readonly OffsetDateTimePattern IsoWithOffset = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'sso<+HH:mm>");

    [McpServerTool(Name = "get_available_slots", Title = "Free appointment slots of a day", ReadOnly = true, Idempotent = true,
        Destructive = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(AvailableSlotsResult))]
    [Description("Lists the free 60-minute appointment slots of one day in the company's calendar, in the company's time zone " +
        "(business hours Monday-Friday 09:00-18:00). Each slot has start and end as ISO 8601 with offset. An empty list means the day is full or closed.")]
    public async Task<CallToolResult> GetAvailableSlots(
        [Description("The day, as YYYY-MM-DD in the company's time zone, e.g. 2025-01-16.")] string date_iso,
        CancellationToken cancellationToken)
    {
        var (customerId, error) = customer.Resolve();
        if (customerId is null) return ToolResults.Failure(error!);
        var parsed = LocalDatePattern.Iso.Parse(date_iso?.Trim() ?? "");
        if (!parsed.Success)
            return ToolResults.Failure(new(CalendarProblem.InvalidArgument, "date_iso must be a calendar date written as YYYY-MM-DD, for example 2025-01-16."));

        var (zone, problem) = await calendar.GetTimeZoneAsync(customerId, cancellationToken);
        if (zone is null) return ToolResults.Failure(problem!);

        var date = parsed.Value;
        var hours = BusinessHours.Default;
        IReadOnlyList<(Instant, Instant)> busy = [];
        if (hours.OpenDays.Contains(date.DayOfWeek))
        {
            var (from, to) = SlotFinder.BusinessWindow(date, zone, hours);
            var (intervals, busyProblem) = await calendar.GetBusyAsync(customerId, from, to, cancellationToken);
            if (intervals is null) return ToolResults.Failure(busyProblem!);
            busy = intervals;
        }

        var slots = SlotFinder.FreeSlots(date, zone, hours, busy, Instant.FromDateTimeOffset(time.GetUtcNow()));
        return ToolResults.Success(new AvailableSlotsResult(
            LocalDatePattern.Iso.Format(date),
            zone.Id,
            slots.Select(s => new SlotTimes(Format(s.Start, zone), Format(s.End, zone))).ToList()));
    }

    [McpServerTool(Name = "get_current_time", Title = "Current date and time at the company", ReadOnly = true, Idempotent = true,
        Destructive = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(CurrentTimeResult))]
    [Description("Returns the current date and time in the company's time zone. Use it to resolve words like 'today' or 'tomorrow' before asking for slots.")]
    public async Task<CallToolResult> GetCurrentTime(CancellationToken cancellationToken)
    {
        var (customerId, error) = customer.Resolve();
        if (customerId is null) return ToolResults.Failure(error!);
        var (zone, problem) = await calendar.GetTimeZoneAsync(customerId, cancellationToken);
        if (zone is null) return ToolResults.Failure(problem!);
        var now = Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(zone);
        return ToolResults.Success(new CurrentTimeResult(
            Format(now.ToInstant(), zone),
            LocalDatePattern.Iso.Format(now.Date),
            now.DayOfWeek.ToString().ToLowerInvariant(),
            zone.Id));
    }

    private static string Format(Instant instant, DateTimeZone zone) => IsoWithOffset.Format(instant.InZone(zone).ToOffsetDateTime());
}
