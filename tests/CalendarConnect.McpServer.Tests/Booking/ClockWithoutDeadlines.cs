namespace CalendarConnect.McpServer.Tests.Booking;

/// <summary>
/// A wait clock (<see cref="CalendarConnect.McpServer.GoogleCalendar.WaitClock"/>) on which pauses pass in real time but no
/// deadline ever comes: a timer that would cancel a <see cref="CancellationTokenSource"/> (the lease wait, the tool
/// deadline, Google call timeouts) never fires, while <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/>
/// (a waiter's poll, a retry's back-off) does. For tests of what concurrent work ends in, which a loaded machine must not
/// turn into "busy, try again" by making the line longer than a deadline in real time.
/// </summary>
public sealed class ClockWithoutDeadlines : TimeProvider
{
    private int _deadlinesHeld;

    /// <summary>How many deadlines were asked for (and held back): proves the code under test used this clock.</summary>
    public int DeadlinesHeld => Volatile.Read(ref _deadlinesHeld);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (state is not CancellationTokenSource) return System.CreateTimer(callback, state, dueTime, period);
        Interlocked.Increment(ref _deadlinesHeld);
        return new NeverFiring();
    }

    private sealed class NeverFiring : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
