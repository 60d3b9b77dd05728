using System.Data.Common;
using CalendarConnect.Backend.WhatsApp;

namespace CalendarConnect.Backend.Assistant;

/// <summary>
/// Deletes what the channels no longer need: conversations idle for longer than the retention, and WhatsApp
/// message ids older than Meta's redelivery window. At start and then every few hours; a failure is logged and
/// tried again next time.
/// </summary>
public sealed class ChannelHousekeeping(
    DatabaseConversationStore conversations,
    WhatsAppReceivedMessages received,
    TimeProvider time,
    ILogger<ChannelHousekeeping> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(6);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            await RunOnceAsync(stoppingToken);
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var conversationsDeleted = await conversations.PruneAsync(cancellationToken);
            var idsDeleted = await received.PruneAsync(cancellationToken);
            if (conversationsDeleted + idsDeleted > 0)
                logger.LogInformation("Deleted {Conversations} idle conversation(s) and {MessageIds} old WhatsApp message id(s).", conversationsDeleted, idsDeleted);
        }
        catch (Exception ex) when (ex is DbException or TimeoutException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Deleting idle conversations failed ({Error}); trying again in {Hours} hours.", ex.GetType().Name, Interval.TotalHours);
        }
    }
}
