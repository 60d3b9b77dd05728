namespace CalendarConnect.Assistant.McpCalendar;

/// <summary>The calendar as the assistant needs it: one session per company and message.</summary>
public interface ICalendarAdapter
{
    /// <summary>
    /// A session for <paramref name="customerId"/>'s calendar. It connects on its first call and reuses that
    /// connection for the next ones, so one customer message costs one MCP handshake however many tools it calls.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is not a valid id (see <see cref="CustomerIds"/>).</exception>
    ICalendarSession OpenSession(string customerId);
}

/// <summary>
/// The calendar of one company (the <c>X-Customer-Id</c> of every call; tools never receive it as an argument).
/// Meant for the calls of one message, made one after another; dispose it when the message is answered.
/// </summary>
/// <remarks>Failures are <see cref="CalendarUnavailableException"/> or <see cref="McpServerUnavailableException"/>.</remarks>
public interface ICalendarSession : IAsyncDisposable
{
    string CustomerId { get; }

    Task<CompanyTime> GetCurrentTimeAsync(CancellationToken cancellationToken = default);

    /// <param name="date">A calendar date in the company's time zone.</param>
    Task<DaySlots> GetAvailableSlotsAsync(NodaTime.LocalDate date, CancellationToken cancellationToken = default);
}
