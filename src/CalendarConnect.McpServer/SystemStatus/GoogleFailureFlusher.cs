using System.Data.Common;
using CalendarConnect.McpServer.GoogleCalendar;

namespace CalendarConnect.McpServer.SystemStatus;

/// <summary>
/// Writes the failures <see cref="GoogleFailures"/> counted to the database every <see cref="FlushInterval"/> (and once more
/// at shutdown), and deletes those older than <see cref="Retention"/> every <see cref="PruneInterval"/>. A write that fails
/// keeps its counts for the next one; the log says so once per failed write, without the counts' details.
/// </summary>
public sealed class GoogleFailureFlusher(GoogleFailures failures, GoogleFailureStore store, TimeProvider time, WaitClock clock,
    ILogger<GoogleFailureFlusher> log) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, clock.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
                await PruneIfDueAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken); // what this replica counted since the last write is not lost at a graceful stop
    }

    /// <summary>Writes what was counted since the last write (tests call it to skip the wait).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var (buckets, dropped) = failures.Drain();
        if (dropped > 0)
            log.LogWarning("{Dropped} Google failures were not recorded for the status view: more than {Max} companies and minutes waited to be written",
                dropped, GoogleFailures.MaxPendingBuckets);
        if (buckets.Count == 0) return;
        try
        {
            await store.AddAsync(buckets, cancellationToken);
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            failures.Return(buckets);
            log.LogWarning("The Google failures of the last seconds could not be written for the status view ({Error}); trying again with the next write",
                e.GetType().Name);
        }
    }

    private async Task PruneIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextPrune) return;
        _nextPrune = now + PruneInterval;
        try
        {
            await store.PruneAsync(now - Retention, cancellationToken);
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
        {
            log.LogWarning("Old Google failures could not be deleted ({Error}); trying again in {Minutes} minutes", e.GetType().Name, (int)PruneInterval.TotalMinutes);
        }
    }
}
