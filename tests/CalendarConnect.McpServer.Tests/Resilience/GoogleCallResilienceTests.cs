using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CalendarConnect.McpServer.Tests.Resilience.GoogleDoubles;

namespace CalendarConnect.McpServer.Tests.Resilience;

/// <summary>
/// Calendar API and token endpoint calls through the resilience handlers: a circuit breaker per company, Google's
/// Retry-After, and retries only for requests that are safe to send twice.
/// </summary>
public class GoogleCallResilienceTests
{
    private const string Email = "contacto@empresa-abc.com";
    private const string Customer = "empresa-abc-123";

    [Fact]
    public async Task A_failing_calendar_opens_its_own_companys_circuit_and_leaves_the_others_alone()
    {
        var requests = new CalendarRequests(r =>
            r.RequestUri!.AbsolutePath.EndsWith("/freeBusy", StringComparison.Ordinal) && CompanyOf(r) == "company-a"
                ? GoogleError(HttpStatusCode.ServiceUnavailable, "backendError")
                : null);
        await using var h = await McpServerHarness.StartAsync(configureServices: services =>
            services.AddHttpClient<GoogleCalendarClient>().AddHttpMessageHandler(requests.Handler));
        await h.ConnectAsync("company-a", "a@example.com");
        await h.ConnectAsync("company-b", "b@example.com");

        var failing = await Task.WhenAll(Enumerable.Range(0, GoogleResilience.BreakerMinimumCalls)
            .Select(_ => h.CallAsync("company-a", "get_available_slots", Day())));
        Assert.All(failing, r => Assert.Equal("calendar_unavailable", ErrorCode(r)));
        var askedForA = requests.Count("/freeBusy", "company-a");
        Assert.True(askedForA >= GoogleResilience.BreakerMinimumCalls - 1, $"{askedForA} freeBusy requests for company-a");

        // Open: company A is answered at once, without a request to Google; company B is served as usual.
        Assert.Equal("calendar_unavailable", ErrorCode(await h.CallAsync("company-a", "get_available_slots", Day())));
        Assert.Equal(askedForA, requests.Count("/freeBusy", "company-a"));
        Assert.NotEqual(true, (await h.CallAsync("company-b", "get_available_slots", Day())).IsError);
        Assert.Equal(1, requests.Count("/freeBusy", "company-b"));

        Assert.Single(h.Logs.Lines, l => l.Contains("keeps failing for customer company-a", StringComparison.Ordinal));
        NoStackTraces(h);
    }

    [Fact]
    public async Task A_short_retry_after_is_waited_for_and_a_long_one_fails_the_call_at_once()
    {
        var waits = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var script = new ConcurrentQueue<HttpResponseMessage>();
        var requests = new CalendarRequests(r =>
            r.RequestUri!.AbsolutePath.EndsWith("/freeBusy", StringComparison.Ordinal) && script.TryDequeue(out var scripted) ? scripted : null, waits);
        await using var h = await McpServerHarness.StartAsync(configureServices: services =>
        {
            services.AddSingleton(new WaitClock(waits));
            services.AddHttpClient<GoogleCalendarClient>().AddHttpMessageHandler(requests.Handler);
        });
        await h.ConnectAsync(Customer, Email);

        // 429 with Retry-After: 2 → the retry comes 2 s later on the wait clock, not after the usual ~0.2 s.
        script.Enqueue(GoogleError(HttpStatusCode.TooManyRequests, "rateLimitExceeded", TimeSpan.FromSeconds(2)));
        var call = h.CallAsync(Customer, "get_available_slots", Day());
        await UntilAsync(() => requests.Count("/freeBusy") == 1, "the first freeBusy");
        for (var step = 0; requests.Count("/freeBusy") < 2; step++)
        {
            Assert.True(step < 40, "the retry never came");
            waits.Advance(TimeSpan.FromMilliseconds(250));
            await UntilOrNotAsync(() => requests.Count("/freeBusy") == 2);
        }

        Assert.NotEqual(true, (await call).IsError);
        var times = requests.Seen.Where(r => r.Path.EndsWith("/freeBusy", StringComparison.Ordinal)).Select(r => r.At).ToList();
        Assert.True(times[1] - times[0] >= TimeSpan.FromSeconds(2), $"retried after {(times[1] - times[0]).TotalSeconds} s");

        // Retry-After: 30 is more than a call may wait: no retry, an answer at once.
        script.Enqueue(GoogleError(HttpStatusCode.TooManyRequests, "rateLimitExceeded", TimeSpan.FromSeconds(30)));
        Assert.Equal("calendar_unavailable", ErrorCode(await h.CallAsync(Customer, "get_available_slots", Day())));
        Assert.Equal(3, requests.Count("/freeBusy"));
        NoStackTraces(h);
    }

    /// <summary>Gives the server a moment to act on an advanced clock: true once the condition holds, false after a short bound.</summary>
    private static async Task<bool> UntilOrNotAsync(Func<bool> condition)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        while (!condition())
        {
            if (bound.IsCancellationRequested) return false;
            await Task.Delay(5);
        }

        return true;
    }

    /// <summary>
    /// Per call: reads, freeBusy, deletes, patches (absolute values) and inserts with our own event id are retried on a
    /// transient answer; an insert without an id, whose repeat would make a second event, is sent once. So are a 403
    /// that is not a rate limit and a 4xx.
    /// </summary>
    [Fact]
    public async Task Only_requests_that_are_safe_to_repeat_are_retried()
    {
        var requests = new CalendarRequests(r => r.RequestUri!.AbsolutePath switch
        {
            var p when p.Contains("/calendars/forbidden", StringComparison.Ordinal) => GoogleError(HttpStatusCode.Forbidden, "forbidden"),
            var p when p.Contains("/calendars/ratelimited", StringComparison.Ordinal) => GoogleError(HttpStatusCode.Forbidden, "userRateLimitExceeded"),
            var p when p.Contains("/calendars/gone", StringComparison.Ordinal) => GoogleError(HttpStatusCode.NotFound, "notFound"),
            _ => GoogleError(HttpStatusCode.ServiceUnavailable, "backendError"),
        });
        await using var h = await McpServerHarness.StartAsync(configureServices: services =>
            services.AddHttpClient<GoogleCalendarClient>().AddHttpMessageHandler(requests.Handler));
        using var scope = h.Mcp.App.Services.CreateScope();
        var google = scope.ServiceProvider.GetRequiredService<GoogleCalendarClient>();
        var when = DateTimeOffset.UtcNow.AddDays(2);
        var withId = new GoogleEvent("ourid00001", null, "Cita", null, new EventDateTime("2030-01-15T10:00:00-03:00"), new EventDateTime("2030-01-15T11:00:00-03:00"));

        // One company per call, so that no circuit breaker opens on another call's failures.
        var calls = new (string Company, Func<Task> Call)[]
        {
            ("c-get", () => google.GetEventAsync("token", "primary", "ourid00001", default)),
            ("c-list", () => google.ListEventsAsync("token", "primary", when, when.AddDays(1), false, default)),
            ("c-freebusy", () => google.QueryFreeBusyAsync("token", when, when.AddDays(1), ["primary"], null, default)),
            ("c-insert-id", () => google.InsertEventAsync("token", "primary", withId, default)),
            ("c-insert-noid", () => google.InsertEventAsync("token", "noid", withId with { Id = null }, default)),
            ("c-patch", () => google.PatchEventAsync("token", "primary", "ourid00001", withId with { Id = null }, default)),
            ("c-delete", () => google.DeleteEventAsync("token", "primary", "ourid00001", default)),
            ("c-forbidden", () => google.GetCalendarAsync("token", "forbidden", default)),
            ("c-ratelimited", () => google.GetCalendarAsync("token", "ratelimited", default)),
            ("c-notfound", () => google.GetCalendarAsync("token", "gone", default)),
        };
        await Task.WhenAll(calls.Select(async c =>
        {
            using var company = GoogleRequests.ForCompany(c.Company);
            await Assert.ThrowsAsync<GoogleApiException>(c.Call);
        }));

        var attempts = calls.ToDictionary(c => c.Company, c => requests.Seen.Count(r => r.Company == c.Company));
        var everyTime = 1 + GoogleResilience.CalendarRetries;
        Assert.Equal(new Dictionary<string, int>
        {
            ["c-get"] = everyTime, ["c-list"] = everyTime, ["c-freebusy"] = everyTime, ["c-insert-id"] = everyTime,
            ["c-insert-noid"] = 1, ["c-patch"] = everyTime, ["c-delete"] = everyTime,
            ["c-forbidden"] = 1, ["c-ratelimited"] = everyTime, ["c-notfound"] = 1,
        }, attempts);
        NoStackTraces(h);
    }

    /// <summary>
    /// A code can be redeemed only once: after a 503 it is sent once more (Google did not redeem it), never a third time.
    /// A revocation is answered once: it is not sent again within the call (a failed one is retried later, in the background).
    /// </summary>
    [Fact]
    public async Task A_code_exchange_is_sent_at_most_twice_and_a_revocation_once()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.CreateAccountAsync(Email);
        var authorization = await h.AuthorizeAsync(Customer, Email);
        var redirect = await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, Email, allow: true);
        using (var control = h.Emulator.CreateClient())
            (await control.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/token", status = 503, count = 5 })).EnsureSuccessStatusCode();
        using (var callback = await h.DeliverCallbackAsync(redirect))
            Assert.Equal(HttpStatusCode.BadGateway, callback.StatusCode); // the page that says Google failed; nothing stored
        Assert.Equal(2, (await h.EmulatorRequestsAsync()).EnumerateArray()
            .Count(r => r.TryGetProperty("grant_type", out var g) && g.GetString() == "authorization_code"));
        ClearFaults(h);

        await h.ConnectAsync(Customer, Email);
        using (var control = h.Emulator.CreateClient())
            (await control.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/revoke", status = 503, count = 5 })).EnsureSuccessStatusCode();
        using var service = h.ServiceClient();
        using var disconnect = await service.DeleteAsync($"/customers/{Customer}/calendar");
        var answer = await disconnect.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(answer.GetProperty("revoked_at_google").GetBoolean());
        Assert.Equal(1, (await h.EmulatorRequestsAsync()).EnumerateArray().Count(r => r.GetProperty("path").GetString() == "/revoke"));
        NoStackTraces(h);
    }
}
