namespace CalendarConnect.Assistant.McpCalendar;

/// <summary>
/// The calendar as the assistant needs it. Every call names the company (<paramref name="customerId"/>
/// in each method); tools never receive it as an argument, it travels as the <c>X-Customer-Id</c> header.
/// </summary>
/// <remarks>Failures are <see cref="CalendarUnavailableException"/> or <see cref="McpServerUnavailableException"/>.</remarks>
public interface ICalendarAdapter
{
    Task<CompanyTime> GetCurrentTimeAsync(string customerId, CancellationToken cancellationToken = default);

    /// <param name="dateIso">A calendar date, <c>yyyy-MM-dd</c>, in the company's time zone.</param>
    Task<DaySlots> GetAvailableSlotsAsync(string customerId, string dateIso, CancellationToken cancellationToken = default);
}
