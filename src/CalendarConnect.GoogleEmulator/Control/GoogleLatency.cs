using System.Text.Json.Serialization;

namespace CalendarConnect.GoogleEmulator.Control;

/// <summary>PUT/GET /emulator/latency: every OAuth and Calendar API request waits ms ± jitter_ms (uniform) before it is answered.</summary>
public sealed record LatencySettings(
    [property: JsonPropertyName("ms")] int Ms,
    [property: JsonPropertyName("jitter_ms")] int JitterMs);

/// <summary>How slow Google is right now; off (0 ms) until a test or demo says otherwise.</summary>
public sealed class GoogleLatency
{
    /// <summary>Ten minutes: far past any client's timeout, so a "slow Google" is never confused with a broken test.</summary>
    public const int MaxMs = 600_000;

    private LatencySettings _settings = new(0, 0);

    public LatencySettings Current => Volatile.Read(ref _settings);

    public void Set(LatencySettings settings) => Volatile.Write(ref _settings, settings);

    public void Reset() => Set(new LatencySettings(0, 0));

    /// <summary>This request's wait, drawn uniformly from [ms − jitter, ms + jitter].</summary>
    public TimeSpan NextDelay()
    {
        var (ms, jitter) = Current;
        if (ms == 0 && jitter == 0) return TimeSpan.Zero;
        return TimeSpan.FromMilliseconds(Math.Max(0, ms + Random.Shared.Next(-jitter, jitter + 1)));
    }
}

/// <summary>
/// Holds a Google request for a while without holding a thread: thousands of requests each wait their own time in
/// parallel. Ends early, aborting the connection, when the client gives up or the emulator stops.
/// </summary>
public static class RequestHold
{
    /// <summary>False when the wait was cut short; the connection is then aborted and nothing more must be written.</summary>
    public static async Task<bool> WaitAsync(HttpContext context, TimeSpan delay, TimeProvider clock)
    {
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(delay, clock, cut.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            context.Abort();
            return false;
        }
    }
}

/// <summary>Applies <see cref="GoogleLatency"/> to OAuth and Calendar API requests (never to /emulator/ or the home page).</summary>
public sealed class LatencyMiddleware(RequestDelegate next, GoogleLatency latency, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (RequestLog.IsGoogle(context.Request.Path) && latency.NextDelay() is var delay && delay > TimeSpan.Zero
            && !await RequestHold.WaitAsync(context, delay, clock))
            return;
        await next(context);
    }
}
