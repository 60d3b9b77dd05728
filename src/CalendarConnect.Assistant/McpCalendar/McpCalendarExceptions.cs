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
/// A booking tool refused the request for a reason the customer can act on (the time was taken meanwhile, is
/// outside the company's hours, too soon, too far ahead, or the appointment no longer exists). Not an outage: the
/// assistant answers it like any other "no", offering <see cref="Alternatives"/>.
/// </summary>
/// <remarks><see cref="Exception.Message"/> is the server's English text for the operator; never show it to a customer.</remarks>
public sealed class BookingRefusedException(string message, string code, IReadOnlyList<NodaTime.OffsetDateTime> alternatives)
    : McpCalendarException(message)
{
    /// <summary>One of <see cref="CalendarErrorCodes.BookingRefusals"/>.</summary>
    public string Code { get; } = code;

    /// <summary>The nearest free starts the server offered (<see cref="ToolResultMeta.Alternatives"/>), in its order.</summary>
    public IReadOnlyList<NodaTime.OffsetDateTime> Alternatives { get; } = alternatives;
}

/// <summary>
/// A write (book, reschedule, cancel) was sent <see cref="McpCalendarOptions.WriteAttempts"/> times with the same
/// arguments and idempotency key, and no attempt told whether it was made: the customer must be told exactly that,
/// and a repeat (same key) later finds out. The cause of the last attempt is in <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class WriteUnconfirmedException(string message, Exception? inner = null) : McpCalendarException(message, inner);

/// <summary>
/// The MCP server could not be reached, refused the call, timed out or answered something that is not the
/// expected tool result. The message is generic on purpose (no URLs or stack details);
/// the cause is in <see cref="Exception.InnerException"/> and in the logs.
/// </summary>
public sealed class McpServerUnavailableException(string message, Exception? inner = null)
    : McpCalendarException(message, inner);
