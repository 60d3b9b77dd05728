namespace CalendarConnect.McpServer.GoogleCalendar;

/// <summary>
/// The clock every wait runs on: Google call timeouts and retry delays, the circuit breaker, the refresh budget and
/// the tool deadline. Real time in production. It is not the injected <see cref="TimeProvider"/>, the business clock
/// (token expiry, back-off, leases, "now" for slots), which tests freeze or move by hours; tests that must drive
/// waits (a hung Google, a Retry-After) replace this one with a fake of its own.
/// </summary>
public sealed class WaitClock(TimeProvider time)
{
    public static WaitClock Real { get; } = new(TimeProvider.System);

    public TimeProvider Time { get; } = time;

    /// <summary>A token cancelled after <paramref name="delay"/> on this clock.</summary>
    public CancellationTokenSource After(TimeSpan delay) => new(delay, Time);

    public Task Delay(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, Time, cancellationToken);
}
