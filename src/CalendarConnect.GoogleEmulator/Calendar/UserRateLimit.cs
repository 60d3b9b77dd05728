using NodaTime;

namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>
/// Google's per-user quota on the Calendar API (PUT /emulator/quota): at most <see cref="PerUserPerMinute"/> requests
/// of one account in any sliding minute; beyond it Google answers 403 rateLimitExceeded. 0 turns it off. Only requests
/// that were let through count, so a client that backs off gets its quota back as the minute slides.
/// </summary>
public sealed class UserRateLimit(TimeProvider clock)
{
    private static readonly Duration Window = Duration.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<Instant>> _recent = new(StringComparer.OrdinalIgnoreCase);
    private int _perUserPerMinute;

    public int PerUserPerMinute
    {
        get => Volatile.Read(ref _perUserPerMinute);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (_gate)
            {
                _perUserPerMinute = value;
                _recent.Clear();
            }
        }
    }

    /// <summary>Counts one request of <paramref name="account"/>; false when it is over the quota.</summary>
    public bool TryAcquire(string account)
    {
        if (PerUserPerMinute == 0) return true;
        var now = clock.ToInstant();
        lock (_gate)
        {
            if (_perUserPerMinute == 0) return true;
            if (!_recent.TryGetValue(account, out var times)) _recent[account] = times = new Queue<Instant>();
            while (times.Count > 0 && times.Peek() <= now - Window) times.Dequeue();
            if (times.Count >= _perUserPerMinute) return false;
            times.Enqueue(now);
            return true;
        }
    }

    public void Reset() => PerUserPerMinute = 0;
}
