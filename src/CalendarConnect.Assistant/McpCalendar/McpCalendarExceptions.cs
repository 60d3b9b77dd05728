namespace CalendarConnect.Assistant.McpCalendar;

/// <summary>The calendar could not be consulted. <see cref="Exception.Message"/> is safe to show to a person.</summary>
public abstract class McpCalendarException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The MCP server answered, but the tool reported a failure (<c>isError: true</c>), e.g. the company's calendar is
/// not connected or needs re-authorisation. The message is the server's own text, written for a person.
/// </summary>
public sealed class CalendarUnavailableException(string message) : McpCalendarException(message);

/// <summary>
/// The MCP server could not be reached, refused the call, timed out or answered something that is not the
/// expected tool result. The message is generic on purpose (no URLs or stack details reach a customer);
/// the cause is in <see cref="Exception.InnerException"/> and in the logs.
/// </summary>
public sealed class McpServerUnavailableException(string message, Exception? inner = null)
    : McpCalendarException(message, inner);
