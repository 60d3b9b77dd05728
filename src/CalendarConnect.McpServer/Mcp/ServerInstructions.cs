namespace CalendarConnect.McpServer.Mcp;

/// <summary>
/// What the server tells a client in <c>initialize</c> (<c>instructions</c>), for the model's system prompt: the order in
/// which the tools make a booking. Short, because it is read in every conversation; the tools' descriptions say the rest.
/// </summary>
public static class ServerInstructions
{
    public const string Text =
        "Books appointments in one company's Google Calendar, in the company's time zone. To book: " +
        $"1) {ToolNames.GetCurrentTime}, to know today's date; " +
        $"2) {ToolNames.GetAvailableSlots} for a day, or {ToolNames.FindNextAvailableSlots}; " +
        "3) confirm the exact start and the person's name with the person; " +
        $"4) {ToolNames.BookAppointment} with an {ToolArgumentNames.IdempotencyKey}, and if its answer is lost, call it again with the same key. " +
        $"Failed calls carry a code in _meta[\"{ToolResultMeta.ErrorCode}\"].";
}
