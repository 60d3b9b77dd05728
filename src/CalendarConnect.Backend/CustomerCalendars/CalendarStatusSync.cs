using CalendarConnect.Backend.McpServer;
using CalendarConnect.Backend.Storage;

namespace CalendarConnect.Backend.CustomerCalendars;

/// <summary>
/// Keeps the statuses the list filters on (customer_memory.calendar_status) current with the MCP server's feed of
/// status changes: reads the changes after the shared cursor, page by page, and stores them. A status-filtered list
/// catches up first (one call, usually answering no change); <see cref="CustomerListMaintenance"/> also does every
/// half minute, so the statuses are recent even when the MCP server later cannot be reached.
/// </summary>
public sealed class CalendarStatusSync(McpServerClient mcp, KnownCalendarStatuses statuses, ILogger<CalendarStatusSync> log)
{
    public const int PageSize = 500;

    /// <summary>At most this many pages per catch-up (100,000 changes); the next catch-up goes on from there.</summary>
    private const int MaxPages = 200;

    private static readonly TimeSpan FeedTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _started;
    private long _lastFinished;
    private bool _lastCaughtUp = true;

    /// <summary>
    /// Applies every change the MCP server recorded before this call; false when it could not be asked (the stored
    /// statuses are then the last known ones). Concurrent callers share the work: a caller waits for a catch-up that
    /// started after it arrived (it saw every change the caller could expect) instead of starting another.
    /// </summary>
    public async Task<bool> CatchUpAsync(CancellationToken cancellationToken)
    {
        var arrivedAfter = Interlocked.Read(ref _started);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_lastFinished > arrivedAfter) return _lastCaughtUp;
            var run = Interlocked.Increment(ref _started);
            var caughtUp = await RunAsync(cancellationToken);
            if (caughtUp != _lastCaughtUp)
            {
                if (caughtUp) log.LogInformation("The MCP server's status feed answers again: the status filter is current.");
                else log.LogWarning("The MCP server's status feed cannot be read: the status filter uses the last known statuses.");
            }
            (_lastFinished, _lastCaughtUp) = (run, caughtUp);
            return caughtUp;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        for (var page = 0; page < MaxPages; page++)
        {
            var (feedId, after) = await statuses.ReadCursorAsync(cancellationToken);
            CalendarStatusChanges changes;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(FeedTimeout);
                try
                {
                    changes = await mcp.GetCalendarStatusChangesAsync(after, PageSize, timeout.Token);
                }
                catch (McpServerException ex)
                {
                    log.LogDebug("Status feed: {Message}", ex.Message);
                    return false;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    log.LogDebug("Status feed: the MCP server did not answer within {Seconds} s", FeedTimeout.TotalSeconds);
                    return false;
                }
            }
            // Nothing new in the same feed (the usual answer): nothing to write.
            if (changes.Changes.Length == 0 && !changes.HasMore && changes.FeedId == feedId && changes.LastSeq >= after) return true;
            var applied = await statuses.ApplyAsync(new KnownStatusPage(changes.FeedId,
                changes.Changes.Select(c => new KnownStatusChange(c.CustomerId, c.Status, c.Seq)).ToList(),
                after, changes.Cursor, changes.LastSeq), cancellationToken);
            if (applied == KnownStatusApply.Applied && !changes.HasMore) return true;
        }
        log.LogWarning("Status feed: more than {Pages} pages of changes at once; the next catch-up goes on", MaxPages);
        return true;
    }
}

/// <summary>
/// Every half minute: catches the list's statuses up with the MCP server's feed, and writes the search text of
/// companies that have none (written by an older backend during an upgrade). The first round runs at start-up.
/// </summary>
public sealed class CustomerListMaintenance(CalendarStatusSync sync, CustomerMemory memory, TimeProvider time,
    ILogger<CustomerListMaintenance> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await sync.CatchUpAsync(stoppingToken);
                var filled = await memory.FillSearchTextAsync(stoppingToken);
                if (filled > 0) log.LogInformation("Wrote the search text of {Count} companies that had none", filled);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A database that fails now and then must not stop the backend: the next round tries again.
                log.LogWarning("Customer list upkeep failed, tried again in {Seconds} s: {Error}: {Message}",
                    Interval.TotalSeconds, ex.GetType().Name, ex.Message.ReplaceLineEndings(" "));
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

public static class CustomerListServiceCollectionExtensions
{
    /// <summary>The status filter's statuses, learned from the MCP server's feed, and the list's upkeep.</summary>
    public static IServiceCollection AddCustomerList(this IServiceCollection services)
    {
        services.AddSingleton<KnownCalendarStatuses>();
        services.AddSingleton<CalendarStatusSync>();
        services.AddHostedService<CustomerListMaintenance>();
        return services;
    }
}
