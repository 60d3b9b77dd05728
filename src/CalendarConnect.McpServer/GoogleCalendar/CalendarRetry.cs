namespace CalendarConnect.McpServer.GoogleCalendar;

/// <summary>
/// How transient Calendar API failures (5xx, 429, 403 rate/quota, no answer) are retried: a few attempts with
/// exponential backoff and full jitter (so many callers hitting a hiccup do not retry in lockstep), within a total
/// budget after which the tool fails closed. Waits are real time, not the injected <see cref="TimeProvider"/>:
/// that one is the business clock, and tests freeze it.
/// </summary>
public sealed record CalendarRetry(int MaxAttempts, TimeSpan BaseDelay, TimeSpan MaxDelay, TimeSpan TotalBudget)
{
    /// <summary>Up to 4 attempts, waiting about 0.2, 0.4 and 0.8 s: an answer (or a clear failure) within a few seconds, as a caller in a chat expects.</summary>
    public static CalendarRetry Default { get; } = new(4, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8));

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1 (1-based): half to all of base × 2^(attempt-1), capped.</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var exponential = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(exponential * (0.5 + Random.Shared.NextDouble() * 0.5));
    }
}
