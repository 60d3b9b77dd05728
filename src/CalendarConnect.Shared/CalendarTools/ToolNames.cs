namespace CalendarConnect.Shared;

/// <summary>
/// The MCP Calendar Server's tools, by the names clients call them: the server registers them under these names, the
/// assistant calls them by these names, and the fakes that stand in for the server answer to them.
/// </summary>
public static class ToolNames
{
    public const string GetAvailableSlots = "get_available_slots";
    public const string FindNextAvailableSlots = "find_next_available_slots";
    public const string GetCalendarStatus = "get_calendar_status";
    public const string GetCurrentTime = "get_current_time";
    public const string BookAppointment = "book_appointment";
    public const string CancelAppointment = "cancel_appointment";
    public const string RescheduleAppointment = "reschedule_appointment";
    public const string ListAppointments = "list_appointments";

    /// <summary>Every tool, in the order the server lists them.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        GetAvailableSlots, FindNextAvailableSlots, GetCalendarStatus, GetCurrentTime,
        BookAppointment, CancelAppointment, RescheduleAppointment, ListAppointments,
    ];
}
