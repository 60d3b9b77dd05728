namespace CalendarConnect.Assistant.Tests;

/// <summary>A clock stopped at one instant, so "mañana" always means the same day.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
}
