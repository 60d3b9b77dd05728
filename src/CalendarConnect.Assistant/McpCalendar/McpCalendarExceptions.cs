namespace CalendarConnect.Assistant.McpCalendar;

/// <summary>The calendar could not be consulted.</summary>
public abstract class McpCalendarException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The MCP server answered, but the tool reported a failure (<c>isError: true</c>), e.g. the company's calendar is
/// not connected or needs re-authorisation.
/// </summary>
/// <remarks>
/// <see cref="Exception.Message"/> is the server's own text, written in English for the operator: log it, never
/// show it to a customer. What to tell the customer follows from <see cref="Code"/>.
/// </remarks>
public sealed class CalendarUnavailableException(string message, string? code) : McpCalendarException(message)
{
    /// <summary>The code the server sent, normally one of <see cref="CalendarErrorCodes"/>; null when it sent none.</summary>
    public string? Code { get; } = code;
}

/// <summary>
/// The stable codes the MCP Calendar Server puts in a failed tool result's <c>_meta</c> under
/// <see cref="MetaKey"/> (the server's <c>CalendarProblem</c> codes).
/// </summary>
public static class CalendarErrorCodes
{
    public const string MetaKey = "calendarconnect/error_code";

    public const string MissingCustomer = "missing_customer";
    public const string InvalidCustomer = "invalid_customer";
    public const string InvalidArgument = "invalid_argument";
    public const string NotConnected = "not_connected";
    public const string NeedsReauthorization = "needs_reauthorization";
    public const string CalendarUnavailable = "calendar_unavailable";
}

/// <summary>
/// The MCP server could not be reached, refused the call, timed out or answered something that is not the
/// expected tool result. The message is generic on purpose (no URLs or stack details);
/// the cause is in <see cref="Exception.InnerException"/> and in the logs.
/// </summary>
public sealed class McpServerUnavailableException(string message, Exception? inner = null)
    : McpCalendarException(message, inner);
