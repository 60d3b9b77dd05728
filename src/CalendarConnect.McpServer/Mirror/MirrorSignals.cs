using System.Collections.Concurrent;

namespace CalendarConnect.McpServer.Mirror;

/// <summary>
/// Wakes this replica's <see cref="MirrorWorker"/> before its next tick: a notification made a calendar due, a company
/// connected or changed its calendars, or a read found the mirror stale. Requests are coalesced, never queued up.
/// </summary>
public sealed class MirrorSignals
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly ConcurrentDictionary<string, byte> _reconcile = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _due = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<MirrorChannel> _toStop = new();

    /// <summary>Calendars were made due in the database: look now.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake or about to be: once is enough.
        }
    }

    /// <summary>The company's set of mirrored calendars may have changed (connected, disconnected, settings saved).</summary>
    public void Reconcile(string customerId)
    {
        _reconcile[customerId] = 0;
        Wake();
    }

    /// <summary>A read found the company's mirror stale or missing: its calendars should be synced now.</summary>
    public void SyncSoon(string customerId)
    {
        if (_due.TryAdd(customerId, 0)) Wake();
    }

    /// <summary>Channels nobody wants any more (their company connected again): stopped at Google in the background.</summary>
    public void StopLater(IEnumerable<MirrorChannel> channels)
    {
        foreach (var channel in channels) _toStop.Enqueue(channel);
        Wake();
    }

    public IReadOnlyList<MirrorChannel> TakeChannelsToStop()
    {
        var taken = new List<MirrorChannel>();
        while (_toStop.TryDequeue(out var channel)) taken.Add(channel);
        return taken;
    }

    public IReadOnlyList<string> TakeReconcileRequests() => Take(_reconcile);

    public IReadOnlyList<string> TakeSyncRequests() => Take(_due);

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _wake.WaitAsync(timeout, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the caller's loop sees it.
        }
    }

    private static IReadOnlyList<string> Take(ConcurrentDictionary<string, byte> requests)
    {
        var taken = new List<string>();
        foreach (var id in requests.Keys)
            if (requests.TryRemove(id, out _)) taken.Add(id);
        return taken;
    }
}
