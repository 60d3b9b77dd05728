using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using CalendarConnect.McpServer.Availability;
using CalendarConnect.McpServer.Connections;
using CalendarConnect.McpServer.TokenVault;
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

public sealed record NextSlotsResult(
    [property: JsonPropertyName("time_zone")] string TimeZone,
    [property: JsonPropertyName("slots")] IReadOnlyList<SlotTimes> Slots);

public sealed record CurrentTimeResult(
    [property: JsonPropertyName("now")] string Now,
    [property: JsonPropertyName("date")] string Date,
    [property: JsonPropertyName("weekday")] string Weekday,
    [property: JsonPropertyName("time_zone")] string TimeZone);

public sealed record CalendarStatusResult(
    [property: JsonPropertyName("status"), AllowedValues(ConnectionStatus.Connected, ConnectionStatus.NotConnected, ConnectionStatus.NeedsReauthorization)]
    string Status,
    [property: JsonPropertyName("calendar_connected")] bool CalendarConnected,
    [property: JsonPropertyName("calendar_email")] string? CalendarEmail,
    [property: JsonPropertyName("time_zone")] string? TimeZone);

/// <summary>
/// The calendar tools of the MCP endpoint (spec step 7). Every tool works on the company named by
/// <c>X-Customer-Id</c>; failures are tool results with <c>isError</c> and a message an assistant can relay.
/// Descriptions are read by a language model on every conversation: they say what the tool is for, what the
/// arguments look like and what an empty answer means, and stay short (a test holds them to a budget).
/// </summary>
[McpServerToolType]
public sealed class CalendarTools(ToolCompany company, CompanyAvailability availability, TokenStore tokens)
{
    [McpServerTool(Name = ToolNames.GetAvailableSlots, Title = "Free appointment slots of a day", ReadOnly = true, Idempotent = true,
        Destructive = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(AvailableSlotsResult))]
    [Description("Free appointment slots of one day in the company's time zone, following its business hours, slot length, buffers " +
        "and minimum notice (start and end in ISO 8601 with offset). An empty list means the day is full, closed, past or too far " +
        $"ahead; for the next free days use {ToolNames.FindNextAvailableSlots}.")]
    public async Task<CallToolResult> GetAvailableSlots(
        [Description("The day in the company's time zone, e.g. 2025-01-16"), DataType(DataType.Date)] string date_iso,
        [Description("Minutes; default: the slot length"), Range(BookingSettingsRules.MinSlotMinutes, BookingSettingsRules.MaxSlotMinutes)]
        int? duration_minutes = null,
        CancellationToken cancellationToken = default)
    {
        if (IsoTime.ParseArgumentDate(date_iso?.Trim() ?? "") is not { } date)
            return ToolResults.Failure(new(CalendarErrorCodes.InvalidArgument,
                $"date_iso must be a calendar date written as YYYY-MM-DD, for example 2025-01-16, {IsoTime.ArgumentYears}."));
        if (InvalidDuration(duration_minutes) is { } durationProblem) return ToolResults.Failure(durationProblem);

        var context = await company.GetContextAsync(cancellationToken);
        var (slots, busyProblem) = await availability.FreeSlotsOnAsync(company.CustomerId, context, date, Length(context, duration_minutes), cancellationToken);
        if (slots is null) return ToolResults.Failure(busyProblem!);
        return ToolResults.Success(new AvailableSlotsResult(LocalDatePattern.Iso.Format(date), context.Zone.Id, Times(slots, context.Zone)));
    }

    [McpServerTool(Name = ToolNames.FindNextAvailableSlots, Title = "Next free appointment slots", ReadOnly = true, Idempotent = true,
        Destructive = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(NextSlotsResult))]
    [Description("The next free appointment slots from a moment on, day by day up to the company's booking horizon: for 'when is the " +
        "next opening?' or 'any afternoon next week?'. Times are ISO 8601 with offset in the company's time zone. An empty list means " +
        "nothing is free before the horizon.")]
    public async Task<CallToolResult> FindNextAvailableSlots(
        [Description("A day (YYYY-MM-DD) or moment (ISO 8601); default: now")] string? from_iso = null,
        [Description("Default 5"), Range(1, ToolArgumentNames.MaxCount)] int? count = null,
        [Description("Minutes; default: the slot length"), Range(BookingSettingsRules.MinSlotMinutes, BookingSettingsRules.MaxSlotMinutes)]
        int? duration_minutes = null,
        [Description("Starting in the morning (before 12:00), afternoon (12:00-18:00) or evening (from 18:00)"),
         AllowedValues(ToolArgumentNames.Morning, ToolArgumentNames.Afternoon, ToolArgumentNames.Evening)] string? part_of_day = null,
        CancellationToken cancellationToken = default)
    {
        if (count is < 1 or > ToolArgumentNames.MaxCount)
            return ToolResults.Failure(new(CalendarErrorCodes.InvalidArgument, $"count must be a whole number from 1 to {ToolArgumentNames.MaxCount}."));
        if (InvalidDuration(duration_minutes) is { } durationProblem) return ToolResults.Failure(durationProblem);
        Func<LocalTime, bool>? startsAt = PartOfDay(part_of_day);
        if (startsAt is null)
            return ToolResults.Failure(new(CalendarErrorCodes.InvalidArgument, $"part_of_day must be one of: {ToolArgumentNames.Morning}, {ToolArgumentNames.Afternoon}, {ToolArgumentNames.Evening} (or left out)."));

        var context = await company.GetContextAsync(cancellationToken);
        var from = availability.Now;
        if (!string.IsNullOrWhiteSpace(from_iso))
        {
            if (IsoTime.ParseMoment(from_iso.Trim(), context.Zone) is not { } moment)
                return ToolResults.Failure(new(CalendarErrorCodes.InvalidArgument,
                    $"from_iso must be a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:mm:ss, optionally with an offset such as -03:00), {IsoTime.ArgumentYears}."));
            from = moment;
        }

        var (slots, busyProblem) = await availability.FindNextAsync(company.CustomerId, context, from, count ?? ToolArgumentNames.DefaultCount,
            Length(context, duration_minutes), startsAt, cancellationToken);
        if (slots is null) return ToolResults.Failure(busyProblem!);
        return ToolResults.Success(new NextSlotsResult(context.Zone.Id, Times(slots, context.Zone)));
    }

    [McpServerTool(Name = ToolNames.GetCalendarStatus, Title = "Calendar connection status", ReadOnly = true, Idempotent = true,
        Destructive = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(CalendarStatusResult))]
    [Description($"Whether the company's Google Calendar is connected and usable. {ConnectionStatus.NeedsReauthorization}: the company must connect it " +
        "again (an administrator can send it a new link).")]
    public async Task<CallToolResult> GetCalendarStatus(CancellationToken cancellationToken)
    {
        // The stored status and zone only: this answer never waits on Google or on a refresh. A revoked grant is noticed
        // by the next call that uses the token, and from then on reported here.
        var summary = await tokens.GetSummaryAsync(company.CustomerId, cancellationToken);
        var connected = summary.Status == ConnectionStatus.Connected;
        var zone = connected ? await availability.StoredTimeZoneAsync(company.CustomerId, cancellationToken) : null;
        return ToolResults.Success(new CalendarStatusResult(summary.Status, connected, summary.CalendarEmail, zone));
    }

    [McpServerTool(Name = ToolNames.GetCurrentTime, Title = "The company's date and time", ReadOnly = true, Idempotent = true,
        Destructive = false, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(CurrentTimeResult))]
    [Description("Returns the current date and time in the company's time zone. Use it to resolve words like 'today' or 'tomorrow' before asking for slots.")]
    public async Task<CallToolResult> GetCurrentTime(CancellationToken cancellationToken)
    {
        // The known zone, whatever the connection's state and without Google: the settings' zone, else the calendar's as
        // stored when the company connected (kept while it must reconnect). Only a zone never learned needs the calendar.
        var known = await availability.StoredTimeZoneAsync(company.CustomerId, cancellationToken) ?? await tokens.GetStoredTimeZoneAsync(company.CustomerId, cancellationToken);
        var zone = (known is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(known)) ?? (await company.GetContextAsync(cancellationToken)).Zone;

        var now = availability.Now.InZone(zone);
        return ToolResults.Success(new CurrentTimeResult(
            Format(now.ToInstant(), zone),
            LocalDatePattern.Iso.Format(now.Date),
            now.DayOfWeek.ToString().ToLowerInvariant(),
            zone.Id));
    }

    private static CalendarProblem? InvalidDuration(int? minutes) =>
        minutes is < BookingSettingsRules.MinSlotMinutes or > BookingSettingsRules.MaxSlotMinutes
            ? new(CalendarErrorCodes.InvalidArgument,
                $"duration_minutes must be a whole number of minutes from {BookingSettingsRules.MinSlotMinutes} to {BookingSettingsRules.MaxSlotMinutes}, or left out.")
            : null;

    private static Duration Length(SchedulingContext context, int? minutes) => Duration.FromMinutes(minutes ?? context.Settings.SlotMinutes);

    /// <summary>A filter on a slot's local start time, or null for a value that is not a part of the day.</summary>
    private static Func<LocalTime, bool>? PartOfDay(string? partOfDay)
    {
        var noon = new LocalTime(12, 0);
        var six = new LocalTime(18, 0);
        return partOfDay?.Trim().ToLowerInvariant() switch
        {
            null or "" => _ => true,
            ToolArgumentNames.Morning => t => t < noon,
            ToolArgumentNames.Afternoon => t => t >= noon && t < six,
            ToolArgumentNames.Evening => t => t >= six,
            _ => null,
        };
    }

    private static IReadOnlyList<SlotTimes> Times(IEnumerable<Slot> slots, DateTimeZone zone) =>
        slots.Select(s => new SlotTimes(Format(s.Start, zone), Format(s.End, zone))).ToList();

    private static string Format(Instant instant, DateTimeZone zone) => IsoTime.Format(instant, zone);
}
