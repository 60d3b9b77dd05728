namespace CalendarConnect.McpServer.Mirror;

/// <summary>
/// How fresh the busy-time mirror must be for reads to trust it, and how it is kept so. One place for every interval:
/// the read rules (<see cref="CalendarMirrorState.IsFreshFor"/>) and the sync schedule (<see cref="CalendarSync"/>)
/// both read from here. Tests may register a shorter one.
/// </summary>
public sealed record MirrorPolicy
{
    public static MirrorPolicy Default { get; } = new();

    /// <summary>Without an open push channel, a calendar being read is synced this often...</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>...and reads trust a sync at most this old: a change at Google shows in answers within this bound (then live freeBusy answers).</summary>
    public TimeSpan MaxAgeWithoutPush { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// With an open channel, changes arrive as notifications; a calendar being read is still synced this often, which
    /// catches a lost notification and notices a revoked grant (reads from the mirror use no token themselves).
    /// </summary>
    public TimeSpan SafetySyncWithPush { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>With an open channel, reads trust a sync at most this old: past it (a safety sync failed), they ask Google.</summary>
    public TimeSpan MaxAgeWithPush { get; init; } = TimeSpan.FromMinutes(7);

    /// <summary>A notification not yet followed by a sync for longer than this makes reads go live: the mirror is behind.</summary>
    public TimeSpan NotificationGrace { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>A calendar nobody read for this long is synced only every <see cref="IdleSyncInterval"/> (its first read goes live and wakes it up).</summary>
    public TimeSpan RecentlyReadWithin { get; init; } = TimeSpan.FromHours(1);

    public TimeSpan IdleSyncInterval { get; init; } = TimeSpan.FromHours(6);

    /// <summary>A full sync covers from a day back to this far ahead (events.list timeMin; incremental pages bring changes anywhere).</summary>
    public TimeSpan WindowBehind { get; init; } = TimeSpan.FromDays(1);

    public TimeSpan WindowAhead { get; init; } = TimeSpan.FromDays(400);

    /// <summary>
    /// The farthest a read reaches: the longest booking horizon (365 days), alternatives a few days past it, and buffers.
    /// A full sync is made again before the window's end comes nearer than this.
    /// </summary>
    public TimeSpan MaxReadAhead { get; init; } = TimeSpan.FromDays(370);

    /// <summary>Push channels are asked to live this long and renewed this long before they expire.</summary>
    public TimeSpan ChannelTimeToLive { get; init; } = TimeSpan.FromDays(7);

    public TimeSpan RenewChannelBefore { get; init; } = TimeSpan.FromDays(1);

    /// <summary>After Google refused a channel (e.g. an address it will not deliver to), try again this much later; polling meanwhile.</summary>
    public TimeSpan WatchRetryAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>One sync (all its pages and the save) must end within this; the lease outlives it, so no two replicas sync one calendar.</summary>
    public TimeSpan SyncBudget { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan SyncLease { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>After failed syncs, wait this times 2^(failures - 1), at most <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the worker looks for due calendars when nothing wakes it, and reconciles the calendars to mirror.</summary>
    public TimeSpan WorkerTick { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconcileEvery { get; init; } = TimeSpan.FromMinutes(1);

    public int MaxParallelSyncs { get; init; } = 4;

    /// <summary>Each replica's in-memory copy asks the database whether anything changed this often; read-less copies are dropped after <see cref="EvictAfter"/>.</summary>
    public TimeSpan VersionCheckEvery { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan EvictAfter { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan BackoffAfter(int failures) =>
        TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks * (1L << Math.Clamp(failures - 1, 0, 20))));
}
