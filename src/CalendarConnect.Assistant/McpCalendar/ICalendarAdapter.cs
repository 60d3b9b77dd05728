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

    /// <summary>
    /// The next free slots from <paramref name="from"/> (a local date and time in the company's zone), searching day by
    /// day up to the company's horizon (tool <c>find_next_available_slots</c>). Empty: nothing free before the horizon.
    /// </summary>
    /// <param name="partOfDay">Only slots starting in this part of the day, or any when null.</param>
    Task<IReadOnlyList<FreeSlot>> FindNextAvailableSlotsAsync(NodaTime.LocalDateTime from, int count,
        Understanding.PartOfDay? partOfDay = null, CancellationToken cancellationToken = default);

    /// <summary>Books <paramref name="start"/> for <paramref name="personName"/> (tool <c>book_appointment</c>).</summary>
    /// <param name="idempotencyKey">The same key again returns the same appointment instead of booking a second one.</param>
    /// <exception cref="BookingRefusedException">The time cannot be booked (e.g. it was taken meanwhile), with alternatives.</exception>
    Task<BookedAppointment> BookAppointmentAsync(NodaTime.OffsetDateTime start, int? durationMinutes, string personName,
        string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Moves an appointment this system booked to <paramref name="newStart"/> (tool <c>reschedule_appointment</c>).</summary>
    /// <exception cref="BookingRefusedException">The new time cannot be booked (with alternatives), or <c>not_found</c>.</exception>
    Task<BookedAppointment> RescheduleAppointmentAsync(string eventId, NodaTime.OffsetDateTime newStart,
        CancellationToken cancellationToken = default);

    /// <summary>Cancels an appointment this system booked (tool <c>cancel_appointment</c>).</summary>
    /// <exception cref="BookingRefusedException">Code <c>not_found</c>: there is no such appointment (any more).</exception>
    Task CancelAppointmentAsync(string eventId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The company's MCP tools, as the server lists them, each an <c>AIFunction</c> bound to this session, so a language
    /// model calling them always acts on <see cref="CustomerId"/> (the header, never an argument it could choose).
    /// </summary>
    Task<IReadOnlyList<ModelContextProtocol.Client.McpClientTool>> ListToolsAsync(CancellationToken cancellationToken = default);
}
