using System.Text.Json.Nodes;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.Accounts;

/// <summary>
/// A Google account with its primary calendar. Only touched inside <see cref="AccountStore"/>'s lock;
/// anything handed out of the store is a copy.
/// </summary>
/// <param name="syncEpoch">Kept when the account is restored from EMULATOR_STATE_FILE, so sync tokens survive a restart.</param>
public sealed class Account(string email, DateTimeZone zone, Instant created, string? syncEpoch = null)
{
    public string Email { get; } = email;
    public DateTimeZone Zone { get; set; } = zone;
    public Instant Created { get; } = created;

    /// <summary>When the calendar or one of its events last changed (Events.updated).</summary>
    public Instant Updated { get; set; } = created;

    /// <summary>Changes on this calendar, counted; sync tokens carry it.</summary>
    public long ChangeCount { get; set; }

    /// <summary>Changes with every reset (and when a test expires the account's sync tokens), so older sync tokens answer 410.</summary>
    public string SyncEpoch { get; set; } = syncEpoch ?? NewSyncEpoch();

    /// <summary>Event id → stored event, in insertion order for stable listings.</summary>
    public Dictionary<string, StoredEvent> Events { get; } = new(StringComparer.Ordinal);

    public static string NewSyncEpoch() => Guid.NewGuid().ToString("N")[..8];
}

/// <summary>An earlier schedule of a recurring master and the change that replaced it.</summary>
public sealed record PriorVersion(long ReplacedBy, JsonObject Resource);

/// <summary>An event as Google holds it: its resource JSON and the change number that last touched it.</summary>
public sealed class StoredEvent(JsonObject resource, long changeNumber)
{
    /// <summary>Enough for any client that syncs now and then; an older sync token answers 410 (a full sync is required).</summary>
    public const int MaxPriorVersions = 32;

    private static readonly string[] ScheduleFields = ["start", "end", "recurrence", "status"];

    public JsonObject Resource { get; private set; } = resource;
    public long ChangeNumber { get; private set; } = changeNumber;

    /// <summary>
    /// Earlier schedules of a recurring master, oldest first. Incremental sync with singleEvents=true reads them to
    /// answer the instances a change took away (a shortened or moved series) as cancelled.
    /// </summary>
    public List<PriorVersion> PriorVersions { get; init; } = [];

    /// <summary>The newest change whose prior version was dropped: sync tokens older than this cannot be answered exactly.</summary>
    public long PriorVersionsTrimmedThrough { get; set; }

    /// <summary>The event's new state after change <paramref name="change"/>; a recurring master's old schedule is kept.</summary>
    public void Replace(JsonObject resource, long change)
    {
        var before = Resource;
        if (before["recurrence"] is not null && ScheduleFields.Any(f => !JsonNode.DeepEquals(before[f], resource[f])))
        {
            PriorVersions.Add(new PriorVersion(change, before));
            if (PriorVersions.Count > MaxPriorVersions)
            {
                PriorVersionsTrimmedThrough = PriorVersions[0].ReplacedBy;
                PriorVersions.RemoveAt(0);
            }
        }
        Resource = resource;
        ChangeNumber = change;
    }
}

/// <summary>A consistent copy of one account taken under the lock, for queries computed outside it.</summary>
public sealed record AccountSnapshot(
    string Email, DateTimeZone Zone, Instant Updated, long ChangeCount, string SyncEpoch,
    IReadOnlyList<StoredEventSnapshot> Events);

public sealed record StoredEventSnapshot(JsonObject Resource, long ChangeNumber)
{
    public string Id => Resource["id"]?.GetValue<string>() ?? "";

    /// <inheritdoc cref="StoredEvent.PriorVersions"/>
    public IReadOnlyList<PriorVersion> PriorVersions { get; init; } = [];

    /// <inheritdoc cref="StoredEvent.PriorVersionsTrimmedThrough"/>
    public long PriorVersionsTrimmedThrough { get; init; }
}
