using System.Net;
using System.Net.Http.Json;
using CalendarConnect.McpServer.Tests.Booking;
using CalendarConnect.McpServer.Connections;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.McpServer.Mcp;
using CalendarConnect.McpServer.OAuth;
using CalendarConnect.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CalendarConnect.McpServer.Tests.Resilience.GoogleDoubles;

namespace CalendarConnect.McpServer.Tests.Resilience;

/// <summary>
/// Issue 10, "failures shared and bounded", at the token endpoint: one refresh per company whose outcome, success or
/// failure, every waiting call gets; a growing back-off after a failure; nothing waits behind a hung endpoint; the
/// calls that need no Google never wait on it.
/// </summary>
public class RefreshFailureTests
{
    private const string Email = "contacto@empresa-abc.com";
    private const string Customer = "empresa-abc-123";

    /// <summary>Only so that a call that waits when it must not fails the test instead of hanging it; no duration is asserted.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>Measured on main: 30 calls made 90 token requests and waited up to 33 s.</summary>
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_503_storm_costs_two_token_requests_then_a_growing_back_off_until_a_success(string engine)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await McpServerHarness.StartAsync(clock, engine: engine);
        await h.ConnectAsync(Customer, Email);
        using (var control = h.Emulator.CreateClient())
            (await control.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/token", status = 503, count = 1000 })).EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromHours(1)); // every access token has expired

        var storm = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => h.CallAsync(Customer, "get_available_slots", Day())));
        Assert.All(storm, r => Assert.Equal("calendar_unavailable", ErrorCode(r)));
        Assert.Contains("not answering", McpServerHarness.TextOf(storm[0]));
        Assert.Equal(2, await RefreshRequestsAsync(h)); // one refresh: the request and its one retry
        Assert.Equal(1, await CalendarRequestsAsync(h)); // the connection's calendars/primary only: without a token, no Calendar call

        // The back-off (2 s): calls answer at once, with no token request.
        foreach (var _ in Enumerable.Range(0, 5)) Assert.Equal("calendar_unavailable", ErrorCode(await h.CallAsync(Customer, "get_available_slots", Day())));
        Assert.Equal(2, await RefreshRequestsAsync(h));

        // After it, one refresh again; it fails too, and the next back-off is longer (4 s).
        clock.Advance(TimeSpan.FromSeconds(2.1));
        Assert.Equal("calendar_unavailable", ErrorCode(await h.CallAsync(Customer, "get_available_slots", Day())));
        Assert.Equal(4, await RefreshRequestsAsync(h));
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal("calendar_unavailable", ErrorCode(await h.CallAsync(Customer, "get_available_slots", Day())));
        Assert.Equal(4, await RefreshRequestsAsync(h));

        // Google is back: after the back-off the next call refreshes, succeeds, and the back-off is forgotten.
        ClearFaults(h);
        clock.Advance(TimeSpan.FromSeconds(1.1));
        Assert.NotEqual(true, (await h.CallAsync(Customer, "get_available_slots", Day())).IsError);
        Assert.NotEqual(true, (await h.CallAsync(Customer, "get_available_slots", Day())).IsError);
        Assert.Equal(5, await RefreshRequestsAsync(h));
        await using (var connection = await h.Database.OpenAsync())
        {
            var row = await connection.QuerySingleAsync<(long Failures, string? Until, string Status)>(
                "SELECT CAST(refresh_failures AS BIGINT), refresh_backoff_until, status FROM oauth_tokens");
            Assert.Equal((0L, null, "connected"), row);
        }

        // Each failed refresh is one warning line, and no failure left a stack trace.
        Assert.Equal(2, h.Logs.Lines.Count(l => l.Contains("Could not refresh the access token", StringComparison.Ordinal)));
        NoStackTraces(h);
    }

    /// <summary>Measured on main: 4 calls answered after 25, 50, 75 and 100 s, each behind the previous one's refresh.</summary>
    [Fact]
    public async Task A_hung_token_endpoint_costs_one_request_and_every_call_answers_while_time_and_status_never_wait()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var waits = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var hung = new HungRefreshes();
        await using var h = await McpServerHarness.StartAsync(clock, configureServices: services =>
        {
            services.AddSingleton(new WaitClock(waits));
            services.AddHttpClient<GoogleOAuthClient>().AddHttpMessageHandler(hung.Handler);
        });
        await h.ConnectAsync(Customer, Email);
        clock.Advance(TimeSpan.FromHours(1));
        var calendarBefore = await CalendarRequestsAsync(h);

        var calls = Enumerable.Range(0, 4).Select(_ => h.CallAsync(Customer, "get_available_slots", Day())).ToList();
        await UntilAsync(() => hung.Count == 1, "the refresh reached the token endpoint");

        // While the refresh hangs (and every token is expired), the calls that need no Google answer at once.
        var now = await h.CallAsync(Customer, "get_current_time").WaitAsync(Bound);
        Assert.Equal(McpServerHarness.TimeZone, BookingToolsTests.Ok(now).GetProperty("time_zone").GetString());
        var status = BookingToolsTests.Ok(await h.CallAsync(Customer, "get_calendar_status").WaitAsync(Bound));
        Assert.Equal("connected", status.GetProperty("status").GetString());
        Assert.Equal(McpServerHarness.TimeZone, status.GetProperty("time_zone").GetString());
        using (var service = h.ServiceClient())
            Assert.True((await service.GetAsync($"/customers/{Customer}/booking-settings").WaitAsync(Bound)).IsSuccessStatusCode);
        Assert.All(calls, c => Assert.False(c.IsCompleted));

        // The token request's own timeout ends the refresh; it is not sent again, and every waiting call gets the failure.
        waits.Advance(GoogleResilience.TokenAttemptTimeout);
        foreach (var result in await Task.WhenAll(calls).WaitAsync(Bound)) Assert.Equal("calendar_unavailable", ErrorCode(result));
        Assert.Equal(1, hung.Count);
        Assert.Equal(calendarBefore, await CalendarRequestsAsync(h)); // no Calendar request at all
        Assert.Equal(0, await RefreshRequestsAsync(h)); // none reached Google
        NoStackTraces(h);
    }

    /// <summary>
    /// A caller gives up at its deadline; the refresh it started does not: it runs to its end and saves what Google said,
    /// so a rotated refresh token is never lost and the next call needs no refresh. A write cut by the deadline says that
    /// it may or may not have happened and that repeating it is safe.
    /// </summary>
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_refresh_outlives_a_caller_cut_by_the_deadline_and_saves_its_token(string engine)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var waits = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var held = new HeldRefreshes();
        await using var h = await McpServerHarness.StartAsync(clock, engine: engine, configureServices: services =>
        {
            services.AddSingleton(new WaitClock(waits));
            services.AddHttpClient<GoogleOAuthClient>().AddHttpMessageHandler(held.Handler);
        });
        await h.ConnectAsync(Customer, Email);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");

        // A read waits on a refresh that Google does not answer in time.
        clock.Advance(TimeSpan.FromHours(1));
        var read = h.CallAsync(Customer, "get_available_slots", Day());
        await UntilAsync(() => held.Count == 1, "the refresh reached the token endpoint");
        waits.Advance(ToolDeadline.Limit);
        var readResult = await read.WaitAsync(Bound);
        Assert.Equal("calendar_unavailable", ErrorCode(readResult));
        Assert.Equal(ToolDeadline.ReadTooSlow.Message, McpServerHarness.TextOf(readResult));

        // Google answers after the caller left: the refresh saves the new token, and the next call uses it.
        var expiryBefore = await ExpiryAsync(h);
        held.Release();
        await UntilAsync(() => Refreshed(h) == 1, "the refresh saved its token");
        Assert.NotEqual(expiryBefore, await ExpiryAsync(h));
        Assert.NotEqual(true, (await h.CallAsync(Customer, "get_available_slots", Day())).IsError);
        Assert.Equal(1, await RefreshRequestsAsync(h));

        // The same for a booking: cut at its deadline while its refresh hangs, it booked nothing and says a retry is safe.
        clock.Advance(TimeSpan.FromHours(1));
        var write = h.CallAsync(Customer, "book_appointment", BookingToolsTests.BookArgs($"{d}T10:00:00-03:00", key: "k-deadline"));
        await UntilAsync(() => held.Count == 2, "the booking's refresh reached the token endpoint");
        waits.Advance(ToolDeadline.Limit);
        var writeResult = await write.WaitAsync(Bound);
        Assert.Equal("calendar_unavailable", ErrorCode(writeResult));
        Assert.Equal(ToolDeadline.WriteUnconfirmed.Message, McpServerHarness.TextOf(writeResult));
        held.Release();
        await UntilAsync(() => Refreshed(h) == 2, "the refresh saved its token");
        BookingToolsTests.Ok(await h.CallAsync(Customer, "book_appointment", BookingToolsTests.BookArgs($"{d}T10:00:00-03:00", key: "k-deadline")));
        Assert.Equal(2, await RefreshRequestsAsync(h));
        Assert.Single(h.EmulatorEvents(Email));
        Assert.Equal(2, h.Logs.Lines.Count(l => l.Contains("deadline", StringComparison.Ordinal)));
        NoStackTraces(h);
    }

    private static int Refreshed(McpServerHarness h) => h.Logs.Lines.Count(l => l.Contains("Access token refreshed for customer", StringComparison.Ordinal));

    private static async Task<string> ExpiryAsync(McpServerHarness h)
    {
        await using var connection = await h.Database.OpenAsync();
        return await connection.QuerySingleAsync<string>("SELECT token_expiry FROM oauth_tokens");
    }

    /// <summary>invalid_grant is no outage: no back-off, the connection needs re-authorization at once, for every waiting call.</summary>
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_revoked_grant_makes_every_waiting_call_needs_reauthorization_with_one_token_request(string engine)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await McpServerHarness.StartAsync(clock, engine: engine);
        await h.ConnectAsync(Customer, Email);
        using (var control = h.Emulator.CreateClient())
            (await control.PostAsync($"/emulator/accounts/{Uri.EscapeDataString(Email)}/revoke", null)).EnsureSuccessStatusCode();
        clock.Advance(TimeSpan.FromHours(1));

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => h.CallAsync(Customer, "get_available_slots", Day())));
        Assert.All(results, r => Assert.Equal("needs_reauthorization", ErrorCode(r)));
        Assert.Equal(1, await RefreshRequestsAsync(h));
        // The clock needs no grant: it still answers in the zone stored at connection (issue 11, item 15).
        Assert.Equal(McpServerHarness.TimeZone, BookingToolsTests.Ok(await h.CallAsync(Customer, "get_current_time")).GetProperty("time_zone").GetString());
        var status = BookingToolsTests.Ok(await h.CallAsync(Customer, "get_calendar_status"));
        Assert.Equal("needs_reauthorization", status.GetProperty("status").GetString());
        Assert.Equal(1, await RefreshRequestsAsync(h));
        await using var connection = await h.Database.OpenAsync();
        Assert.Null(await connection.QuerySingleAsync<string?>("SELECT refresh_backoff_until FROM oauth_tokens"));
    }

    /// <summary>
    /// Google could not tell the zone when a company without an expected email connected: it still connects, and the zone
    /// is learned once, on first use. (With an expected email the account cannot be checked either, so nothing connects:
    /// AccountMismatchTests.)
    /// </summary>
    [Fact]
    public async Task A_zone_unknown_at_connection_is_learned_once_on_first_use()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.CreateAccountAsync(Email);
        var authorization = await h.AuthorizeAsync(Customer, email: null);
        var consent = await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, Email, allow: true);
        using (var control = h.Emulator.CreateClient())
            (await control.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/calendar/v3/calendars/primary", status = 503, count = 4 })).EnsureSuccessStatusCode();
        using (var callback = await h.DeliverCallbackAsync(consent)) Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        await using (var connection = await h.Database.OpenAsync())
            Assert.Null(await connection.QuerySingleAsync<string?>("SELECT time_zone FROM oauth_tokens"));

        var first = BookingToolsTests.Ok(await h.CallAsync(Customer, "get_current_time"));
        Assert.Equal(McpServerHarness.TimeZone, first.GetProperty("time_zone").GetString());
        var calendarRequests = await CalendarRequestsAsync(h);
        Assert.Equal(McpServerHarness.TimeZone, BookingToolsTests.Ok(await h.CallAsync(Customer, "get_current_time")).GetProperty("time_zone").GetString());
        Assert.Equal(calendarRequests, await CalendarRequestsAsync(h));
        await using (var connection = await h.Database.OpenAsync())
            Assert.Equal(McpServerHarness.TimeZone, await connection.QuerySingleAsync<string?>("SELECT time_zone FROM oauth_tokens"));
    }

    /// <summary>The back-off schedule: 2 s doubling to a minute; a longer Retry-After from Google is honoured up to that minute.</summary>
    [Fact]
    public void The_back_off_doubles_from_2_seconds_to_a_minute_and_honours_retry_after()
    {
        Assert.Equal([2, 4, 8, 16, 32, 60, 60], Enumerable.Range(1, 7).Select(n => TokenRefresher.BackoffAfter(n).TotalSeconds));
        Assert.Equal(60, TokenRefresher.BackoffAfter(200).TotalSeconds);
        Assert.Equal(20, TokenRefresher.BackoffAfter(1, TimeSpan.FromSeconds(20)).TotalSeconds);
        Assert.Equal(60, TokenRefresher.BackoffAfter(1, TimeSpan.FromMinutes(10)).TotalSeconds);
        Assert.Equal(8, TokenRefresher.BackoffAfter(3, TimeSpan.FromSeconds(1)).TotalSeconds);
    }
}
