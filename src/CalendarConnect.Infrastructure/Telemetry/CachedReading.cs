using Microsoft.Extensions.Logging;

namespace CalendarConnect.Infrastructure.Telemetry;

/// <summary>
/// A value an observable instrument reports (a count in the database), read at most once per <paramref name="maxAge"/>
/// and only while someone collects it: each collection gets the last value read at once, and starts a new read in the
/// background when that value is older. An exporter that collects every second, or several, costs one query per
/// <paramref name="maxAge"/>; with telemetry off, nothing is ever read. Before the first read ends there is no value.
/// A failed read keeps the last value and is tried again after <paramref name="maxAge"/>; it is logged once per failure
/// as a warning without its stack trace (the database being away is told by the code that needs it).
/// </summary>
public sealed class CachedReading<T>(Func<CancellationToken, Task<T>> read, TimeSpan maxAge, TimeProvider time, ILogger log, string what)
{
    /// <summary>The last value read, swapped whole (a reference), so a reader never sees half of one.</summary>
    private sealed record Reading(T Value);

    private Reading? _last;
    private long _readAtTicks; // UTC ticks of the last read's end; 0: never read
    private int _reading;

    /// <summary>The last value read (false before the first read ended), starting a new read when it is older than maxAge.</summary>
    public bool TryGetLatest(out T value)
    {
        if (time.GetUtcNow().UtcTicks - Volatile.Read(ref _readAtTicks) >= maxAge.Ticks && Interlocked.CompareExchange(ref _reading, 1, 0) == 0)
            _ = Task.Run(RefreshAsync); // never the query's work on the collecting thread
        var last = Volatile.Read(ref _last);
        value = last is null ? default! : last.Value;
        return last is not null;
    }

    private async Task RefreshAsync()
    {
        try
        {
            using var bound = new CancellationTokenSource(maxAge);
            Volatile.Write(ref _last, new Reading(await read(bound.Token)));
        }
        catch (Exception e)
        {
            log.LogWarning("Reading {What} for telemetry failed ({Error})", what, e.GetType().Name);
        }
        finally
        {
            Volatile.Write(ref _readAtTicks, time.GetUtcNow().UtcTicks);
            Volatile.Write(ref _reading, 0);
        }
    }
}
