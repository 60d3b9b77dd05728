using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using CalendarConnect.McpServer.Availability;
using CalendarConnect.McpServer.Booking;
using CalendarConnect.McpServer.Connections;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using NodaTime;
using NodaTime.Text;

namespace CalendarConnect.McpServer.Mcp;

public sealed record AppointmentResult(
    [property: JsonPropertyName("event_id")] string EventId,
    [property: JsonPropertyName("start")] string Start,
    [property: JsonPropertyName("end")] string End,
    [property: JsonPropertyName("start_utc")] string StartUtc,
    [property: JsonPropertyName("end_utc")] string EndUtc,
    [property: JsonPropertyName("time_zone")] string TimeZone);

/// <summary>Where a moved appointment now is (its UTC times and the rest of the booking did not change meaning).</summary>
public sealed record MovedAppointmentResult(
    [property: JsonPropertyName("event_id")] string EventId,
    [property: JsonPropertyName("start")] string Start,
    [property: JsonPropertyName("end")] string End,
    [property: JsonPropertyName("time_zone")] string TimeZone);

public sealed record CancelledAppointmentResult(
    [property: JsonPropertyName("event_id")] string EventId,
    [property: JsonPropertyName("status"), AllowedValues(AppointmentStatus.Cancelled)] string Status);

public sealed record AppointmentListItem(
    [property: JsonPropertyName("event_id")] string EventId,
    [property: JsonPropertyName("start")] string Start,
    [property: JsonPropertyName("end")] string End,
    [property: JsonPropertyName("status"), AllowedValues(AppointmentStatus.Confirmed, AppointmentStatus.Cancelled)] string Status,
    [property: JsonPropertyName("customer_name")] string CustomerName);

public sealed record AppointmentListResult(
    [property: JsonPropertyName("time_zone")] string TimeZone,
    [property: JsonPropertyName("appointments")] IReadOnlyList<AppointmentListItem> Appointments);

/// <summary>
/// The booking tools: book, cancel, move and list the appointments this system made in the company's calendar.
/// Annotations: booking creates and never overwrites or removes anything, so it is not destructive; it is idempotent
/// because its event id is derived from the arguments (the idempotency key, or the slot and the person's name): the
/// same call again returns the same appointment and creates nothing. Cancel and reschedule change an existing
/// appointment (destructive) and repeating them changes nothing more (idempotent). Listing only reads.
/// </summary>
[McpServerToolType]
public sealed class AppointmentTools(ToolCompany company, CompanyAvailability availability, BookingService booking)
{
    /// <summary>About three months: enough for "what do I have this quarter", small enough for one events.list page.</summary>
    public const int MaxListDays = 93;

    [McpServerTool(Name = ToolNames.BookAppointment, Title = "Book an appointment", ReadOnly = false, Destructive = false, Idempotent = true,
        OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(AppointmentResult))]
    [Description($"Books an appointment at a start {ToolNames.GetAvailableSlots} offers (other starts are refused unless the company allows them); " +
        "repeating the call returns the same booking. If refused, the message lists the nearest free starts. Keep event_id.")]
    public async Task<CallToolResult> BookAppointment(
        [Description("ISO 8601, e.g. 2025-01-16T15:00:00-03:00"), DataType(DataType.DateTime)] string start_iso,
        [Description("Name of the person"), MaxLength(AppointmentInput.MaxName)] string customer_name,
        [Description("Default: the slot length"), Range(BookingSettingsRules.MinSlotMinutes, BookingSettingsRules.MaxSlotMinutes)] int? duration_minutes = null,
        [Description("Phone number"), MaxLength(AppointmentInput.MaxPhone)] string? customer_phone = null,
        [Description("Email"), EmailAddress, MaxLength(AppointmentInput.MaxEmail)] string? customer_email = null,
        [Description("Plain text"), MaxLength(AppointmentInput.MaxNotes)] string? notes = null,
        [Description("Same key on retry = same booking"), MaxLength(AppointmentInput.MaxIdempotencyKey)] string? idempotency_key = null,
        CancellationToken cancellationToken = default)
    {
        var (details, detailsError) = AppointmentInput.Validate(customer_name, customer_phone, customer_email, notes);
        if (details is null) return Invalid(detailsError!);
        if (AppointmentInput.ValidateIdempotencyKey(idempotency_key) is { } keyError) return Invalid(keyError);
        if (duration_minutes is < BookingSettingsRules.MinSlotMinutes or > BookingSettingsRules.MaxSlotMinutes)
            return Invalid($"duration_minutes must be a whole number from {BookingSettingsRules.MinSlotMinutes} to {BookingSettingsRules.MaxSlotMinutes}, or left out.");

        var context = await company.GetContextAsync(cancellationToken);
        if (ParseStart(start_iso, "start_iso", context.Zone, out var start) is { } startError) return startError;
        var length = Duration.FromMinutes(duration_minutes ?? context.Settings.SlotMinutes);
        if (await OffGridAsync(context, start, length, "start_iso", cancellationToken) is { } offGrid) return offGrid;

        var outcome = await booking.BookAsync(company.CustomerId, context, start, length, details, idempotency_key, cancellationToken);
        return await ResultAsync(context, outcome, start, length, cancellationToken);
    }

    [McpServerTool(Name = ToolNames.CancelAppointment, Title = "Cancel an appointment", ReadOnly = false, Destructive = true, Idempotent = true,
        OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(CancelledAppointmentResult))]
    [Description($"Cancels an appointment made with {ToolNames.BookAppointment} and removes it from the calendar; other events cannot be cancelled. " +
        "Confirm with the person first.")]
    public async Task<CallToolResult> CancelAppointment(
        [Description("The appointment event_id")] string event_id,
        CancellationToken cancellationToken = default)
    {
        if (!EventIds.IsValid(event_id)) return Invalid($"event_id must be an event_id returned by {ToolNames.BookAppointment} or {ToolNames.ListAppointments}.");
        // A calendar that cannot be used (not connected, must reconnect) is said as such before the appointment is looked for.
        await company.GetContextAsync(cancellationToken);

        var outcome = await booking.CancelAsync(company.CustomerId, event_id, cancellationToken);
        if (outcome.Appointment is not { } a) return ToolResults.Failure(outcome.Problem!);
        return ToolResults.Success(new CancelledAppointmentResult(a.EventId, a.Status));
    }

    [McpServerTool(Name = ToolNames.RescheduleAppointment, Title = "Move an appointment", ReadOnly = false, Destructive = true, Idempotent = true,
        OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(MovedAppointmentResult))]
    [Description($"Moves an appointment made with {ToolNames.BookAppointment} to a new start (same length, same checks as booking). If refused it " +
        "stays put and the message lists the nearest free starts.")]
    public async Task<CallToolResult> RescheduleAppointment(
        [Description("The appointment event_id")] string event_id,
        [Description("ISO 8601, e.g. 2025-01-17T10:00:00-03:00"), DataType(DataType.DateTime)] string new_start_iso,
        CancellationToken cancellationToken = default)
    {
        if (!EventIds.IsValid(event_id)) return Invalid($"event_id must be an event_id returned by {ToolNames.BookAppointment} or {ToolNames.ListAppointments}.");
        var context = await company.GetContextAsync(cancellationToken);
        if (ParseStart(new_start_iso, "new_start_iso", context.Zone, out var start) is { } startError) return startError;
        // The appointment's own length is known only to the booking; the slot length judges whether the start is within hours.
        if (await OffGridAsync(context, start, Duration.FromMinutes(context.Settings.SlotMinutes), "new_start_iso", cancellationToken)
            is { } offGrid) return offGrid;

        var outcome = await booking.RescheduleAsync(company.CustomerId, context, event_id, start, cancellationToken);
        if (outcome.Appointment is { } a)
            return ToolResults.Success(new MovedAppointmentResult(a.EventId, IsoTime.Format(a.Start, context.Zone), IsoTime.Format(a.End, context.Zone), context.Zone.Id));
        return await ResultAsync(context, outcome, start, outcome.Length ?? Duration.FromMinutes(context.Settings.SlotMinutes), cancellationToken);
    }

    [McpServerTool(Name = ToolNames.ListAppointments, Title = "List booked appointments", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false, UseStructuredContent = true, OutputSchemaType = typeof(AppointmentListResult))]
    [Description($"Lists appointments made with {ToolNames.BookAppointment} starting in a range of up to 93 days, oldest first, in the company " +
        "time zone.")]
    public async Task<CallToolResult> ListAppointments(
        [Description("YYYY-MM-DD or ISO 8601")] string from_iso,
        [Description("A date: through that day")] string to_iso,
        CancellationToken cancellationToken = default)
    {
        var context = await company.GetContextAsync(cancellationToken);
        var zone = context.Zone;
        if (Short(from_iso) is not { } fromText || IsoTime.ParseMoment(fromText, zone) is not { } from)
            return Invalid($"from_iso must be a date (YYYY-MM-DD) or a date and time (ISO 8601), {IsoTime.ArgumentYears}.");
        if (Short(to_iso) is not { } toText || IsoTime.ParseMoment(toText, zone) is not { } to)
            return Invalid($"to_iso must be a date (YYYY-MM-DD) or a date and time (ISO 8601), {IsoTime.ArgumentYears}.");
        // A date as the end means through that day, as a person says "from Monday to Friday".
        if (LocalDatePattern.Iso.Parse(toText).Success) to = zone.AtStartOfDay(LocalDatePattern.Iso.Parse(toText).Value.PlusDays(1)).ToInstant();
        if (to <= from) return Invalid("to_iso must be after from_iso.");
        if (to - from > Duration.FromDays(MaxListDays)) return Invalid($"The range may span at most {MaxListDays} days.");

        var appointments = await booking.ListAsync(company.CustomerId, from, to, cancellationToken);
        return ToolResults.Success(new AppointmentListResult(zone.Id, appointments
            .Select(a => new AppointmentListItem(a.EventId, IsoTime.Format(a.Start, zone), IsoTime.Format(a.End, zone), a.Status, a.CustomerName))
            .ToList()));
    }

    private async Task<CallToolResult> ResultAsync(SchedulingContext context, BookingOutcome outcome, Instant requested,
        Duration length, CancellationToken cancellationToken)
    {
        if (outcome.Appointment is { } a)
            return ToolResults.Success(new AppointmentResult(a.EventId, IsoTime.Format(a.Start, context.Zone), IsoTime.Format(a.End, context.Zone),
                AppointmentStore.Format(a.Start), AppointmentStore.Format(a.End), context.Zone.Id));
        if (!outcome.OffersAlternatives) return ToolResults.Failure(outcome.Problem!);
        var alternatives = await booking.AlternativesAsync(company.CustomerId, context, requested, length, cancellationToken);
        return ToolResults.Failure(outcome.Problem!, alternatives.Select(s => IsoTime.Format(s.Start, context.Zone)).ToList());
    }

    /// <summary>
    /// A start within the hours that is not on the company's slot grid, refused with the nearest free starts unless the
    /// settings allow any start (<see cref="BookingSettings.AllowOffGridStarts"/>): a booking at 11:17 would block both the
    /// 11:00 and the 12:00 slot. A start outside the hours, too soon or too far ahead is left to the booking, which refuses
    /// it with its own code.
    /// </summary>
    private async Task<CallToolResult?> OffGridAsync(SchedulingContext context, Instant start, Duration length, string name,
        CancellationToken cancellationToken)
    {
        if (context.Settings.AllowOffGridStarts || SlotFinder.IsOnGrid(start, context.Rules)) return null;
        if (SlotFinder.Check(start, length, context.Rules, [], availability.Now) != SlotVerdict.Bookable) return null;
        var alternatives = await booking.AlternativesAsync(company.CustomerId, context, start, length, cancellationToken);
        return ToolResults.Failure(new CalendarProblem(CalendarErrorCodes.NotOnSlotGrid,
                $"{name} {IsoTime.Format(start, context.Zone)} is not one of the company's appointment starts: they begin at the opening time " +
                $"and every {context.Settings.SlotMinutes} minutes after it, as {ToolNames.GetAvailableSlots} lists them."),
            alternatives.Select(s => IsoTime.Format(s.Start, context.Zone)).ToList());
    }

    /// <summary>A date and time on a whole minute, not in the past; a past one is a mistake in the request, not a busy calendar.</summary>
    private CallToolResult? ParseStart(string? text, string name, DateTimeZone zone, out Instant start)
    {
        start = default;
        if (Short(text) is not { } trimmed || IsoTime.ParseArgumentDateTime(trimmed, zone) is not { } parsed)
            return Invalid($"{name} must be a date and time in ISO 8601, e.g. 2025-01-16T15:00:00-03:00, {IsoTime.ArgumentYears}.");
        if (parsed < availability.Now) return Invalid($"{name} is in the past. Use {ToolNames.GetCurrentTime} to know today's date.");
        // Appointments start on a whole minute. Seconds or fractions would be cut off in the stored UTC text and the
        // derived event id but not in the instant compared with them, so a retry would not find its own booking: refuse.
        if (parsed.ToUnixTimeTicks() % NodaConstants.TicksPerMinute != 0)
            return Invalid($"{name} must be on a whole minute (seconds 00), e.g. 2025-01-16T15:00:00-03:00.");
        start = parsed;
        return null;
    }

    private static string? Short(string? text) =>
        text is null || text.Length > AppointmentInput.MaxIsoText || AppointmentInput.HasControl(text, allowNewline: false) ? null : text.Trim();

    private static CallToolResult Invalid(string message) => ToolResults.Failure(new CalendarProblem(CalendarErrorCodes.InvalidArgument, message));
}
