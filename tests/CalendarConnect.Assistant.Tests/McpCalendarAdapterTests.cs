using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Shared;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CalendarConnect.Assistant.Tests;

public sealed class McpCalendarAdapterTests : IAsyncLifetime
{
    private FakeCalendarServer server = null!;
    private ServiceProvider services = null!;

    private const string Company = "empresa-abc-123";

    private ICalendarAdapter Adapter => services.GetRequiredService<ICalendarAdapter>();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<CompanyTime> CurrentTime(string customerId = Company, ServiceProvider? host = null)
    {
        await using var session = (host ?? services).GetRequiredService<ICalendarAdapter>().OpenSession(customerId);
        return await session.GetCurrentTimeAsync(Cancel);
    }

    private async Task<DaySlots> Slots(string customerId = Company)
    {
        await using var session = Adapter.OpenSession(customerId);
        return await session.GetAvailableSlotsAsync(new LocalDate(2025, 1, 16), Cancel);
    }

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
        await CurrentTime();
        await Slots();

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

        await Task.WhenAll(customers.Select(c => Slots(c)));

        Assert.Equal(customers.Order(), server.Calendar.Calls.Select(c => c.CustomerId!).Order());
    }

    [Fact]
    public async Task Reads_the_current_time_and_the_company_time_zone()
    {
        var time = await CurrentTime();

        Assert.Equal(new LocalDate(2025, 1, 15), time.Date);
        Assert.Equal("America/Argentina/Buenos_Aires", time.Zone.Id);
        Assert.Equal(Instant.FromUtc(2025, 1, 15, 13, 0), time.Now.ToInstant());
    }

    [Fact]
    public async Task An_unknown_time_zone_falls_back_to_the_offset_the_server_gave()
    {
        server.Calendar.TimeZone = "Mars/Olympus_Mons";

        var time = await CurrentTime();

        Assert.Equal(Offset.FromHours(-3), time.Zone.GetUtcOffset(time.Now.ToInstant()));
    }

    [Fact]
    public async Task Reads_slots_from_structured_content()
    {
        server.Calendar.BusyHours["2025-01-16"] = [15];

        var day = await Slots();

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

        var day = await Slots();

        Assert.Equal(9, day.Slots.Count);
    }

    [Fact]
    public async Task A_tool_error_becomes_CalendarUnavailableException_with_the_code_and_the_servers_message()
    {
        var ex = await Assert.ThrowsAsync<CalendarUnavailableException>(() => Slots(FakeCalendarServer.NotConnectedCustomer));

        Assert.Equal((CalendarErrorCodes.NotConnected, FakeCalendarServer.NotConnectedMessage), (ex.Code, ex.Message));
    }

    [Theory]
    [InlineData("missing_customer")]
    [InlineData("invalid_customer")]
    [InlineData("invalid_argument")]
    [InlineData("not_connected")]
    [InlineData("needs_reauthorization")]
    [InlineData("calendar_unavailable")]
    [InlineData("some_future_code")]
    [InlineData(null)]
    public async Task The_error_code_in_meta_reaches_the_exception(string? code)
    {
        server.Calendar.FailingCustomers["empresa-rota"] = new ToolFailure(code, "Something for the operator.");

        var ex = await Assert.ThrowsAsync<CalendarUnavailableException>(() => CurrentTime("empresa-rota"));

        Assert.Equal(code, ex.Code);
    }

    public static TheoryData<string, string> MalformedAnswers => new()
    {
        // Not JSON, or JSON that is not an object.
        { "get_current_time", "this is not json" },
        { "get_current_time", "[1,2,3]" },
        { "get_current_time", "null" },
        // Missing, garbage and wrongly typed fields.
        { "get_current_time", "{}" },
        { "get_current_time", """{"now":"yesterday-ish","time_zone":"America/Argentina/Buenos_Aires"}""" },
        { "get_current_time", """{"now":"2025-01-15T10:00:00","time_zone":"America/Argentina/Buenos_Aires"}""" },
        { "get_current_time", """{"now":"2025-13-45T10:00:00-03:00"}""" },
        { "get_current_time", """{"now":12345}""" },
        { "get_current_time", """{"now":"2025-01-15T10:00:00-03:00","date":"15/01/2025"}""" },
        { "get_current_time", """{"now":"2025-01-15T10:00:00-03:00","date":"2025-01-14"}""" },
        { "get_current_time", """{"now":"2025-01-15T10:00:00-03:00","date":20250115}""" },
        { "get_available_slots", "not json either" },
        { "get_available_slots", """{"date":"2025-01-16","time_zone":"America/Argentina/Buenos_Aires"}""" },
        { "get_available_slots", """{"date":"2025-01-16","slots":"none"}""" },
        { "get_available_slots", """{"date":"2025-01-16","slots":[null]}""" },
        { "get_available_slots", """{"date":"2025-01-16","slots":[{"start":"2025-01-16T09:00:00-03:00"}]}""" },
        { "get_available_slots", """{"date":"2025-01-16","slots":[{"start":"9am","end":"10am"}]}""" },
        { "get_available_slots", """{"date":"2025-01-16","slots":[{"start":9,"end":10}]}""" },
        { "get_available_slots", """{"date":"2025-01-16","slots":[{"start":"2025-01-16T10:00:00-03:00","end":"2025-01-16T09:00:00-03:00"}]}""" },
        { "get_available_slots", """{"date":"2025-01-17","slots":[]}""" },
        { "get_available_slots", """{"date":"not-a-date","slots":[]}""" },
    };

    [Theory]
    [MemberData(nameof(MalformedAnswers))]
    public async Task A_malformed_answer_becomes_McpServerUnavailableException(string tool, string raw)
    {
        server.Calendar.RawAnswers[tool] = raw;

        var ex = await Assert.ThrowsAsync<McpServerUnavailableException>(() => tool == "get_current_time" ? CurrentTime() : Slots());

        Assert.NotNull(ex.InnerException);
    }

    [Fact]
    public async Task Times_written_without_seconds_or_with_Z_are_accepted()
    {
        server.Calendar.RawAnswers["get_available_slots"] =
            """{"date":"2025-01-16","slots":[{"start":"2025-01-16T12:00Z","end":"2025-01-16T13:00Z"},{"start":"2025-01-16T11:00-03:00","end":"2025-01-16T12:00-03:00"}]}""";

        var day = await Slots();

        Assert.Equal([Instant.FromUtc(2025, 1, 16, 12, 0), Instant.FromUtc(2025, 1, 16, 14, 0)], day.Slots.Select(s => s.Start.ToInstant()));
    }

    [Fact]
    public async Task One_session_makes_one_handshake_for_several_tool_calls()
    {
        await using (var session = Adapter.OpenSession(Company))
        {
            await session.GetCurrentTimeAsync(Cancel);
            await session.GetAvailableSlotsAsync(new LocalDate(2025, 1, 16), Cancel);
            await session.GetAvailableSlotsAsync(new LocalDate(2025, 1, 17), Cancel);
        }

        Assert.Equal(1, server.Calendar.Handshakes);
        Assert.Equal(3, server.Calendar.Requests.Count(r => r.JsonRpcMethod == "tools/call"));
        Assert.All(server.Calendar.Calls, c => Assert.Equal(Company, c.CustomerId));
    }

    [Fact]
    public async Task A_session_that_calls_no_tool_never_connects()
    {
        await using (Adapter.OpenSession(Company))
        {
        }

        Assert.Empty(server.Calendar.Requests);
    }

    /// <summary>Customer ids are case-insensitive: COMP-A is the company comp-a, and X-Customer-Id carries that form.</summary>
    [Fact]
    public async Task A_session_sends_the_canonical_lower_case_id()
    {
        await using (var session = Adapter.OpenSession("EMPRESA-ABC-123"))
        {
            Assert.Equal("empresa-abc-123", session.CustomerId);
            await session.GetCurrentTimeAsync(Cancel);
        }

        Assert.Equal(["empresa-abc-123"], server.Calendar.Calls.Select(c => c.CustomerId!));
        Assert.Equal("comp-a.1_x", CustomerIds.Validate("Comp-A.1_X"));
    }

    [Fact]
    public async Task Sessions_of_different_companies_keep_their_own_header()
    {
        await using var first = Adapter.OpenSession("empresa-1");
        await using var second = Adapter.OpenSession("empresa-2");

        await first.GetCurrentTimeAsync(Cancel);
        await second.GetCurrentTimeAsync(Cancel);
        await first.GetAvailableSlotsAsync(new LocalDate(2025, 1, 16), Cancel);

        Assert.Equal(["empresa-1", "empresa-2", "empresa-1"], server.Calendar.Calls.Select(c => c.CustomerId!));
    }

    [Fact]
    public async Task An_unreachable_server_becomes_McpServerUnavailableException()
    {
        await using var down = AssistantHost.Build(FakeCalendarServer.UnreachableUrl());

        var ex = await Assert.ThrowsAsync<McpServerUnavailableException>(() => CurrentTime(host: down));

        Assert.NotNull(ex.InnerException);
    }

    [Fact]
    public async Task A_wrong_path_becomes_McpServerUnavailableException()
    {
        await using var wrong = AssistantHost.Build(server.BaseUrl + "/not-mcp/");

        await Assert.ThrowsAsync<McpServerUnavailableException>(() => CurrentTime(host: wrong));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("empresa\r\nX-Evil: 1")]
    [InlineData("empresa con espacios")]
    [InlineData("empresa-ñ")]
    [InlineData("-empresa")]
    [InlineData("a0123456789012345678901234567890123456789012345678901234567890123")]
    public void Rejects_customer_ids_that_cannot_travel_as_a_header(string customerId)
    {
        Assert.Throws<ArgumentException>(() => Adapter.OpenSession(customerId));

        Assert.Empty(server.Calendar.Calls);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_reported_as_an_outage()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await using var session = Adapter.OpenSession(Company);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => session.GetCurrentTimeAsync(cancelled.Token));
    }
}
