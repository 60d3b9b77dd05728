using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Testing.CalendarContract;
using NodaTime;

namespace CalendarConnect.Backend.Tests.Channels;

/// <summary>
/// The calendar contract against the channel tests' in-memory <see cref="FakeCalendar"/>: what the backend's channels
/// are tested on is what the real MCP server answers (McpServer.Tests runs the same suite on it).
/// </summary>
public sealed class FakeCalendarContractTests : CalendarContractTests
{
    /// <summary>Only the harness's company is connected, as a test that names the connected companies sets it.</summary>
    protected override Task<ICalendarStage> StartStageAsync() =>
        Task.FromResult<ICalendarStage>(new FakeCalendarStage(new FakeCalendar { IsConnected = id => id == ChannelHarness.CustomerId }));

    private sealed class FakeCalendarStage(FakeCalendar calendar) : ICalendarStage
    {
        public ICalendarAdapter Adapter => calendar;

        public string ConnectedCompany => ChannelHarness.CustomerId;

        public string NeverConnectedCompany => "empresa-sin-calendario";

        public Task AddEventAsync(LocalDateTime start, LocalDateTime end)
        {
            calendar.AddEvent(start, end);
            return Task.CompletedTask;
        }

        public Task BreakGoogleAsync()
        {
            calendar.BreakGoogle(ConnectedCompany);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
