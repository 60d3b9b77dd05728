using System.Collections.Concurrent;
using System.Net;
using System.Text;
using CalendarConnect.GoogleEmulator.Control;
using CalendarConnect.McpServer.GoogleCalendar;
using ModelContextProtocol.Protocol;

namespace CalendarConnect.McpServer.Tests.Resilience;

/// <summary>What the resilience tests need around the emulator: counts of its requests, and Google misbehaving in ways it cannot (yet).</summary>
internal static class GoogleDoubles
{
    public static async Task<int> RefreshRequestsAsync(McpServerHarness h) =>
        (await h.EmulatorRequestsAsync()).EnumerateArray().Count(r => r.TryGetProperty("grant_type", out var g) && g.GetString() == "refresh_token");

    public static async Task<int> CalendarRequestsAsync(McpServerHarness h) =>
        (await h.EmulatorRequestsAsync()).EnumerateArray().Count(r => r.GetProperty("path").GetString()!.StartsWith("/calendar/", StringComparison.Ordinal));

    public static void ClearFaults(McpServerHarness h) => h.Emulator.GetRequiredService<FaultStore>().Reset();

    public static string ErrorCode(CallToolResult result)
    {
        Assert.True(result.IsError, "expected an error, got " + McpServerHarness.TextOf(result));
        return result.Meta!["calendarconnect/error_code"]!.GetValue<string>();
    }

    /// <summary>Expected failures are one line each: no exception and no stack trace in any log line.</summary>
    public static void NoStackTraces(McpServerHarness h) => Assert.DoesNotContain(h.Logs.Lines, line => line.Contains("   at ", StringComparison.Ordinal));

    public static Dictionary<string, object?> Day() => new() { ["date_iso"] = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd") };

    /// <summary>Waits for a condition that other threads make true, up to a bound.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (bound.IsCancellationRequested) Assert.Fail("Timed out waiting until " + what);
            await Task.Delay(10);
        }
    }

    public static async Task<bool> IsRefreshAsync(HttpRequestMessage request) =>
        request.RequestUri!.AbsolutePath.EndsWith("/token", StringComparison.Ordinal) && request.Content is not null &&
        (await request.Content.ReadAsStringAsync()).Contains("grant_type=refresh_token", StringComparison.Ordinal);

    public static HttpResponseMessage GoogleError(HttpStatusCode status, string reason, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage(status)
        {
            Content = new StringContent(
                $$$"""{"error":{"code":{{{(int)status}}},"message":"{{{reason}}}","errors":[{"domain":"usageLimits","reason":"{{{reason}}}","message":"{{{reason}}}"}]}}""",
                Encoding.UTF8, "application/json"),
        };
        if (retryAfter is { } wait) response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
        return response;
    }

    /// <summary>The company a Calendar API request was made for, as the server marked it for its circuit breaker.</summary>
    public static string? CompanyOf(HttpRequestMessage request) => request.Options.TryGetValue(GoogleRequests.Company, out var company) ? company : null;
}

/// <summary>Token refreshes that reach the token endpoint and never get an answer until the client gives up.</summary>
internal sealed class HungRefreshes
{
    private int _count;
    public int Count => Volatile.Read(ref _count);

    public DelegatingHandler Handler() => new Hang(this);

    private sealed class Hang(HungRefreshes seen) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!await GoogleDoubles.IsRefreshAsync(request)) return await base.SendAsync(request, cancellationToken);
            Interlocked.Increment(ref seen._count);
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }
}

/// <summary>Token refreshes held (even past every timeout) until the test lets the ones waiting through to the emulator; later ones wait again.</summary>
internal sealed class HeldRefreshes
{
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;
    public int Count => Volatile.Read(ref _count);

    public void Release() => Interlocked.Exchange(ref _gate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public DelegatingHandler Handler() => new Hold(this);

    private sealed class Hold(HeldRefreshes held) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (!await GoogleDoubles.IsRefreshAsync(request)) return await base.SendAsync(request, cancellationToken);
            var gate = Volatile.Read(ref held._gate);
            Interlocked.Increment(ref held._count);
            await gate.Task;
            return await base.SendAsync(request, CancellationToken.None);
        }
    }
}

/// <summary>Calendar API requests, recorded (method, path, company, time on a clock) and answered by a rule or passed to the emulator.</summary>
internal sealed class CalendarRequests(Func<HttpRequestMessage, HttpResponseMessage?> answer, TimeProvider? clock = null)
{
    private readonly Func<HttpRequestMessage, HttpResponseMessage?> _answer = answer;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public ConcurrentQueue<(string Method, string Path, string? Company, DateTimeOffset At)> Seen { get; } = new();

    public int Count(string pathEnd, string? company = null) =>
        Seen.Count(r => r.Path.EndsWith(pathEnd, StringComparison.Ordinal) && (company is null || r.Company == company));

    public DelegatingHandler Handler() => new Answer(this);

    private sealed class Answer(CalendarRequests requests) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            requests.Seen.Enqueue((request.Method.Method, path, GoogleDoubles.CompanyOf(request), requests._clock.GetUtcNow()));
            return requests._answer(request) ?? await base.SendAsync(request, cancellationToken);
        }
    }
}
