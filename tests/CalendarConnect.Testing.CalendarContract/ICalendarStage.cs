using CalendarConnect.Assistant.McpCalendar;
using NodaTime;

namespace CalendarConnect.Testing.CalendarContract;

/// <summary>
/// One calendar the contract suite runs against, set for one test: <see cref="ConnectedCompany"/>'s calendar in
/// <see cref="CalendarContractTests.Zone"/>, open on weekdays from 09:00 to 18:00 in 60-minute slots (the MCP server's
/// default booking settings), with nothing booked and nothing else in it; and the means to change it as Google would.
/// </summary>
public interface ICalendarStage : IAsyncDisposable
{
    /// <summary>The calendar as the assistant reaches it.</summary>
    ICalendarAdapter Adapter { get; }

    /// <summary>A company whose Google Calendar is connected.</summary>
    string ConnectedCompany { get; }

    /// <summary>A valid company id that never connected a calendar.</summary>
    string NeverConnectedCompany { get; }

    /// <summary>An event of the company's own (not booked through the assistant) from <paramref name="start"/> to <paramref name="end"/>, local times in the company's zone.</summary>
    Task AddEventAsync(LocalDateTime start, LocalDateTime end);

    /// <summary>From now on Google fails every read of <see cref="ConnectedCompany"/>'s calendar.</summary>
    Task BreakGoogleAsync();
}
