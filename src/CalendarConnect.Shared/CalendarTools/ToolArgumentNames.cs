namespace CalendarConnect.Shared;

/// <summary>
/// The arguments of the calendar tools (<see cref="ToolNames"/>), as they appear in tools/call. The server's tool
/// methods take parameters of exactly these names (the MCP SDK names arguments after them; a test compares every
/// tool's input schema with <see cref="Of"/>), and clients send them under these names.
/// </summary>
public static class ToolArgumentNames
{
    public const string DateIso = "date_iso";
    public const string FromIso = "from_iso";
    public const string ToIso = "to_iso";
    public const string StartIso = "start_iso";
    public const string NewStartIso = "new_start_iso";
    public const string DurationMinutes = "duration_minutes";
    public const string Count = "count";
    public const string PartOfDay = "part_of_day";
    public const string CustomerName = "customer_name";
    public const string CustomerPhone = "customer_phone";
    public const string CustomerEmail = "customer_email";
    public const string Notes = "notes";
    public const string IdempotencyKey = "idempotency_key";
    public const string EventId = "event_id";

    /// <summary>find_next_available_slots' count: how many slots one call may ask for, and how many when left out.</summary>
    public const int MaxCount = 20, DefaultCount = 5;

    /// <summary>The values part_of_day takes: starting before 12:00, from 12:00 to 18:00, from 18:00.</summary>
    public const string Morning = "morning", Afternoon = "afternoon", Evening = "evening";

    /// <summary>The arguments each tool takes, in the order of its signature.</summary>
    public static IReadOnlyList<string> Of(string tool) => tool switch
    {
        ToolNames.GetAvailableSlots => [DateIso, DurationMinutes],
        ToolNames.FindNextAvailableSlots => [FromIso, Count, DurationMinutes, PartOfDay],
        ToolNames.GetCalendarStatus or ToolNames.GetCurrentTime => [],
        ToolNames.BookAppointment => [StartIso, CustomerName, DurationMinutes, CustomerPhone, CustomerEmail, Notes, IdempotencyKey],
        ToolNames.CancelAppointment => [EventId],
        ToolNames.RescheduleAppointment => [EventId, NewStartIso],
        ToolNames.ListAppointments => [FromIso, ToIso],
        _ => throw new ArgumentOutOfRangeException(nameof(tool), tool, "Not one of the calendar tools."),
    };
}
