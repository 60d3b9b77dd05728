namespace CalendarConnect.Shared;

/// <summary>The keys of a calendar tool result's <c>_meta</c>: what programs read besides the text.</summary>
public static class ToolResultMeta
{
    /// <summary>The failure's code, one of <see cref="CalendarErrorCodes"/>.</summary>
    public const string ErrorCode = "calendarconnect/error_code";

    /// <summary>The nearest bookable starts (ISO 8601 with offset) when a requested time cannot be booked, nearest first.</summary>
    public const string Alternatives = "calendarconnect/alternatives";
}
