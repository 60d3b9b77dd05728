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

    /// <summary>Changes with every reset, so sync tokens from before a reset answer 410 like expired ones.</summary>
    public string SyncEpoch { get; } = syncEpoch ?? Guid.NewGuid().ToString("N")[..8];

    /// <summary>Event id → stored event, in insertion order for stable listings.</summary>
    public Dictionary<string, StoredEvent> Events { get; } = new(StringComparer.Ordinal);
}

/// <summary>An event as Google holds it: its resource JSON and the change number that last touched it.</summary>
public sealed class StoredEvent(JsonObject resource, long changeNumber)
{
    public JsonObject Resource { get; set; } = resource;
    public long ChangeNumber { get; set; } = changeNumber;
}

/// <summary>A consistent copy of one account taken under the lock, for queries computed outside it.</summary>
public sealed record AccountSnapshot(
    string Email, DateTimeZone Zone, Instant Updated, long ChangeCount, string SyncEpoch,
    IReadOnlyList<StoredEventSnapshot> Events);

public sealed record StoredEventSnapshot(JsonObject Resource, long ChangeNumber)
{
    public string Id => Resource["id"]?.GetValue<string>() ?? "";
}
