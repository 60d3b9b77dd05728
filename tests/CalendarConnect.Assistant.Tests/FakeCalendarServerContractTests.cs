using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Shared;
using CalendarConnect.Testing.CalendarContract;
using NodaTime;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// The calendar contract against <see cref="FakeCalendarServer"/>, through the real adapter: every answer the
/// assistant's tests get from the fake is one the real MCP server gives too (McpServer.Tests runs the same suite on it).
/// </summary>
public sealed class FakeCalendarServerContractTests : McpCalendarContractTests
{
    protected override async Task<ICalendarStage> StartStageAsync()
    {
        var server = await FakeCalendarServer.StartAsync();
        return new FakeServerStage(server, McpCalendarClient.Create(server.BaseUrl, AssistantHost.ApiKey));
    }

    private sealed class FakeServerStage(FakeCalendarServer server, McpCalendarClient client) : ICalendarStage
    {
        public ICalendarAdapter Adapter => client.Adapter;

        public string ConnectedCompany => "empresa-abc-123";

        public string NeverConnectedCompany => FakeCalendarServer.NotConnectedCustomer;

        /// <summary>The fake keeps busy time as whole hours: every hour the event touches.</summary>
        public Task AddEventAsync(LocalDateTime start, LocalDateTime end)
        {
            var hours = Enumerable.Range(start.Hour, 24 - start.Hour).Where(h => start.Date.At(new LocalTime(h, 0)) < end);
            server.Calendar.BusyHours.AddOrUpdate(start.Date.ToString("yyyy-MM-dd", null), [.. hours], (_, before) => [.. before.Union(hours)]);
            return Task.CompletedTask;
        }

        public Task BreakGoogleAsync()
        {
            server.Calendar.FailingCustomers[ConnectedCompany] = new ToolFailure(CalendarErrorCodes.CalendarUnavailable,
                "Google Calendar is not answering right now, so availability cannot be checked. Please try again in a few minutes.");
            return Task.CompletedTask;
        }

        public async ValueTask DisposeAsync()
        {
            await client.DisposeAsync();
            await server.DisposeAsync();
        }
    }
}
