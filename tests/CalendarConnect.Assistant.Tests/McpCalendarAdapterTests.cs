using CalendarConnect.Assistant.McpCalendar;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CalendarConnect.Assistant.Tests;

public sealed class McpCalendarAdapterTests : IAsyncLifetime
{
    private FakeCalendarServer server = null!;
    private ServiceProvider services = null!;

    private ICalendarAdapter Adapter => services.GetRequiredService<ICalendarAdapter>();

    public async ValueTask InitializeAsync()
    {
        server = await FakeCalendarServer.StartAsync();
        services = AssistantHost.Build(server.BaseUrl);
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Sends_the_customer_id_and_service_key_as_headers_on_every_tool_call()
    {
        await Adapter.GetCurrentTimeAsync("empresa-abc-123", TestContext.Current.CancellationToken);
        await Adapter.GetAvailableSlotsAsync("empresa-abc-123", "2025-01-16", TestContext.Current.CancellationToken);

        Assert.Equal(
            [
                new ReceivedCall("get_current_time", "empresa-abc-123", "Bearer " + AssistantHost.ApiKey, null),
                new ReceivedCall("get_available_slots", "empresa-abc-123", "Bearer " + AssistantHost.ApiKey, "2025-01-16"),
            ],
            server.Calendar.Calls.ToArray());
    }

    [Fact]
    public async Task Each_company_gets_its_own_header_even_when_calls_overlap()
    {
        var customers = Enumerable.Range(1, 8).Select(i => $"empresa-{i}").ToList();

        await Task.WhenAll(customers.Select(c => Adapter.GetAvailableSlotsAsync(c, "2025-01-16", TestContext.Current.CancellationToken)));

        Assert.Equal(customers.Order(), server.Calendar.Calls.Select(c => c.CustomerId!).Order());
    }

    [Fact]
    public async Task Reads_the_current_time_and_the_company_time_zone()
    {
        var time = await Adapter.GetCurrentTimeAsync("empresa-abc-123", TestContext.Current.CancellationToken);

        Assert.Equal(new LocalDate(2025, 1, 15), time.Date);
        Assert.Equal("America/Argentina/Buenos_Aires", time.Zone.Id);
        Assert.Equal(Instant.FromUtc(2025, 1, 15, 13, 0), time.Now.ToInstant());
    }

    [Fact]
    public async Task An_unknown_time_zone_falls_back_to_the_offset_the_server_gave()
    {
        server.Calendar.TimeZone = "Mars/Olympus_Mons";

        var time = await Adapter.GetCurrentTimeAsync("empresa-abc-123", TestContext.Current.CancellationToken);

        Assert.Equal(Offset.FromHours(-3), time.Zone.GetUtcOffset(time.Now.ToInstant()));
    }

    [Fact]
    public async Task Reads_slots_from_structured_content()
    {
        server.Calendar.BusyHours["2025-01-16"] = [15];

        var day = await Adapter.GetAvailableSlotsAsync("empresa-abc-123", "2025-01-16", TestContext.Current.CancellationToken);

        Assert.Equal(new LocalDate(2025, 1, 16), day.Date);
        Assert.Equal(8, day.Slots.Count);
        Assert.DoesNotContain(day.Slots, s => s.Start.Hour == 15);
        Assert.Equal(new FreeSlot(
                new LocalDateTime(2025, 1, 16, 9, 0).WithOffset(Offset.FromHours(-3)),
                new LocalDateTime(2025, 1, 16, 10, 0).WithOffset(Offset.FromHours(-3))),
            day.Slots[0]);
    }

    [Fact]
    public async Task Falls_back_to_json_text_when_there_is_no_structured_content()
    {
        server.Calendar.UseStructuredContent = false;

        var day = await Adapter.GetAvailableSlotsAsync("empresa-abc-123", "2025-01-16", TestContext.Current.CancellationToken);

        Assert.Equal(9, day.Slots.Count);
    }

    [Fact]
    public async Task A_tool_error_becomes_CalendarUnavailableException_with_the_servers_message()
    {
        var ex = await Assert.ThrowsAsync<CalendarUnavailableException>(() =>
            Adapter.GetAvailableSlotsAsync(FakeCalendarServer.NotConnectedCustomer, "2025-01-16", TestContext.Current.CancellationToken));

        Assert.Equal(FakeCalendarServer.NotConnectedMessage, ex.Message);
    }

    [Fact]
    public async Task An_unreachable_server_becomes_McpServerUnavailableException()
    {
        await using var down = AssistantHost.Build(FakeCalendarServer.UnreachableUrl());

        var ex = await Assert.ThrowsAsync<McpServerUnavailableException>(() =>
            down.GetRequiredService<ICalendarAdapter>().GetCurrentTimeAsync("empresa-abc-123", TestContext.Current.CancellationToken));

        Assert.NotNull(ex.InnerException);
    }

    [Fact]
    public async Task A_wrong_path_becomes_McpServerUnavailableException()
    {
        await using var wrong = AssistantHost.Build(server.BaseUrl + "/not-mcp/");

        await Assert.ThrowsAsync<McpServerUnavailableException>(() =>
            wrong.GetRequiredService<ICalendarAdapter>().GetCurrentTimeAsync("empresa-abc-123", TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("empresa\r\nX-Evil: 1")]
    [InlineData("empresa con espacios")]
    [InlineData("empresa-ñ")]
    [InlineData("-empresa")]
    [InlineData("a0123456789012345678901234567890123456789012345678901234567890123")]
    public async Task Rejects_customer_ids_that_cannot_travel_as_a_header(string customerId)
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            Adapter.GetCurrentTimeAsync(customerId, TestContext.Current.CancellationToken));

        Assert.Empty(server.Calendar.Calls);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_an_outage()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Adapter.GetCurrentTimeAsync("empresa-abc-123", cancelled.Token));
    }
}
