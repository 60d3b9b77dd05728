using System.Collections.Concurrent;

namespace CalendarConnect.Backend.SignIn;

/// <summary>
/// Limits failed sign-in attempts (form and HTTP Basic) per client address: after <see cref="MaxFailures"/>
/// failures within <see cref="Window"/>, that address is refused until the window ends, even with the right password.
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private const int MaxTrackedClients = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new();

    public static string KeyFor(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>How long the client must still wait, or null when it may try.</summary>
    public TimeSpan? LockedOutFor(string key)
    {
        if (!_entries.TryGetValue(key, out var entry)) return null;
        lock (entry)
        {
            var left = entry.WindowStart + Window - time.GetUtcNow();
            if (left <= TimeSpan.Zero) { _entries.TryRemove(key, out _); return null; }
            return entry.Failures >= MaxFailures ? left : null;
        }
    }

    public void RecordFailure(string key)
    {
        if (_entries.Count >= MaxTrackedClients) Prune();
        var now = time.GetUtcNow();
        var entry = _entries.GetOrAdd(key, _ => new Entry { WindowStart = now });
        lock (entry)
        {
            if (now - entry.WindowStart >= Window) { entry.WindowStart = now; entry.Failures = 0; }
            entry.Failures++;
        }
    }

    public void Reset(string key) => _entries.TryRemove(key, out _);

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _entries)
            if (now - entry.WindowStart >= Window) _entries.TryRemove(key, out _);
    }

    private sealed class Entry
    {
        public DateTimeOffset WindowStart;
        public int Failures;
    }
}
