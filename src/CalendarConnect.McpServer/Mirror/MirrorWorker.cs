using CalendarConnect.Infrastructure.Leases;
using CalendarConnect.McpServer.Storage;
using System.Data.Common;
using System.Diagnostics;
using CalendarConnect.McpServer.Configuration;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CalendarConnect.McpServer.Mirror;

/// <summary>
/// Keeps the busy-time mirror, on every replica (the database leases make sure one calendar is synced by one replica at a
/// time): reconciles which calendars are mirrored, syncs the due ones a few at a time, and keeps this replica's in-memory
/// copy (<see cref="CalendarMirror"/>) in step with the database once a second. Off with BUSY_MIRROR=off.
/// </summary>
public sealed class MirrorWorker(IServiceScopeFactory scopes, MirrorStore store, CalendarMirror mirror, MirrorSignals signals, MirrorPolicy policy,
    IOptions<McpServerSettings> settings, TimeProvider time, ILogger<MirrorWorker> log) : BackgroundService
{
    private readonly string _holder = LeaseHolder.NewIdentity();

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        settings.Value.BusyMirror ? Task.WhenAll(SyncLoopAsync(stoppingToken), CopyLoopAsync(stoppingToken)) : Task.CompletedTask;

    private async Task SyncLoopAsync(CancellationToken stopping)
    {
        await Task.Yield();
        var running = new Dictionary<(string, string), Task>();
        var lastReconcile = long.MinValue;
        var failing = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (lastReconcile == long.MinValue || Stopwatch.GetElapsedTime(lastReconcile) > policy.ReconcileEvery)
                {
                    await ReconcileAsync(null, stopping);
                    lastReconcile = Stopwatch.GetTimestamp();
                }

                foreach (var customerId in signals.TakeReconcileRequests()) await ReconcileAsync(customerId, stopping);
                if (signals.TakeChannelsToStop() is { Count: > 0 } unwanted) await StopChannelsAsync(unwanted, stopping);
                foreach (var customerId in signals.TakeSyncRequests()) await store.MarkDueAsync(customerId, Now, stopping);

                foreach (var done in running.Where(r => r.Value.IsCompleted).Select(r => r.Key).ToList()) running.Remove(done);
                var free = policy.MaxParallelSyncs - running.Count;
                if (free > 0)
                {
                    foreach (var due in await store.DueAsync(Now, free + running.Count, stopping))
                    {
                        if (running.Count >= policy.MaxParallelSyncs) break;
                        if (!running.ContainsKey(due)) running[due] = SyncAsync(due.CustomerId, due.CalendarId, stopping);
                    }
                }

                if (failing) log.LogInformation("The busy-time mirror reaches its database again");
                failing = false;
            }
            catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException && !stopping.IsCancellationRequested)
            {
                // Reads go live while the mirror cannot be kept; said once, not every second.
                if (!failing) log.LogWarning("The busy-time mirror cannot reach its database ({Error}); availability is read live from Google meanwhile", e.GetType().Name);
                failing = true;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }

            await signals.WaitAsync(policy.WorkerTick, stopping);
        }

        await Task.WhenAll(running.Values);
    }

    private async Task SyncAsync(string customerId, string calendarId, CancellationToken stopping)
    {
        await Task.Yield();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<CalendarSync>().RunAsync(customerId, calendarId, _holder, stopping);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Expected failures are handled inside; this is a defect, and the calendar is tried again when its lease ends.
            log.LogError("Sync of calendar {CalendarId} of customer {CustomerId} failed unexpectedly ({Error})", calendarId, customerId, e.GetType().Name);
        }
    }

    private async Task ReconcileAsync(string? customerId, CancellationToken stopping)
    {
        var removed = await store.ReconcileAsync(customerId, Now, stopping);
        if (removed.Count > 0) await StopChannelsAsync(removed, stopping);
    }

    private async Task StopChannelsAsync(IReadOnlyList<MirrorChannel> channels, CancellationToken stopping)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PushChannels>().StopAsync(channels, stopping);
    }

    private async Task CopyLoopAsync(CancellationToken stopping)
    {
        await Task.Yield();
        var failing = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await mirror.RefreshCopiesAsync(stopping);
                failing = false;
            }
            catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException && !stopping.IsCancellationRequested)
            {
                if (!failing) log.LogWarning("The busy-time mirror's copy cannot be checked against its database ({Error})", e.GetType().Name);
                failing = true;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await Task.Delay(policy.VersionCheckEvery, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private Instant Now => Instant.FromDateTimeOffset(time.GetUtcNow());
}
