using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using CalendarConnect.GoogleEmulator.Persistence;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.Accounts;

/// <summary>All accounts and their primary calendars, in memory, behind one lock.</summary>
public sealed class AccountStore(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Account> _accounts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Raised after every change, outside the lock (EMULATOR_STATE_FILE saves on it).</summary>
    public event Action? Changed;

    /// <summary>Creates the account, or changes the time zone of an existing one. True when it was created.</summary>
    public bool Upsert(string email, DateTimeZone zone)
    {
        bool created;
        lock (_gate)
        {
            created = !_accounts.TryGetValue(email, out var existing);
            if (existing is not null) existing.Zone = zone;
            else _accounts[email] = new Account(email, zone, clock.ToInstant());
        }
        Changed?.Invoke();
        return created;
    }

    public bool Exists(string email)
    {
        lock (_gate) return _accounts.ContainsKey(email);
    }

    /// <summary>The stored spelling of the email (accounts are found case-insensitively).</summary>
    public string? CanonicalEmail(string email)
    {
        lock (_gate) return _accounts.TryGetValue(email, out var account) ? account.Email : null;
    }

    public IReadOnlyList<(string Email, string TimeZone)> List()
    {
        lock (_gate) return _accounts.Values.Select(a => (a.Email, a.Zone.Id)).ToList();
    }

    /// <summary>Like <see cref="TryWithAccount"/>, for actions that may change the account: raises <see cref="Changed"/>.</summary>
    public bool TryChangeAccount<T>(string email, Func<Account, T> action, [MaybeNullWhen(false)] out T result)
    {
        var found = TryWithAccount(email, action, out result);
        if (found) Changed?.Invoke();
        return found;
    }

    /// <summary>Runs <paramref name="action"/> on the account under the lock; changes go through <see cref="TryChangeAccount"/>.</summary>
    public bool TryWithAccount<T>(string email, Func<Account, T> action, [MaybeNullWhen(false)] out T result)
    {
        lock (_gate)
        {
            if (!_accounts.TryGetValue(email, out var account))
            {
                result = default;
                return false;
            }
            result = action(account);
            return true;
        }
    }

    public AccountSnapshot? Snapshot(string email)
    {
        lock (_gate)
        {
            if (!_accounts.TryGetValue(email, out var a)) return null;
            var events = a.Events.Values
                .Select(e => new StoredEventSnapshot(e.Resource.DeepClone().AsObject(), e.ChangeNumber)
                {
                    PriorVersions = e.PriorVersions.Select(p => p with { Resource = p.Resource.DeepClone().AsObject() }).ToList(),
                    PriorVersionsTrimmedThrough = e.PriorVersionsTrimmedThrough,
                })
                .ToList();
            return new AccountSnapshot(a.Email, a.Zone, a.Updated, a.ChangeCount, a.SyncEpoch, events);
        }
    }

    public DateTimeZone? ZoneOf(string email)
    {
        lock (_gate) return _accounts.TryGetValue(email, out var account) ? account.Zone : null;
    }

    /// <summary>Every sync token handed out for the account's calendar answers 410 from now on, as Google's expire.</summary>
    public bool ExpireSyncTokens(string email) =>
        TryChangeAccount(email, a => a.SyncEpoch = Account.NewSyncEpoch(), out _);

    public void Reset()
    {
        lock (_gate) _accounts.Clear();
        Changed?.Invoke();
    }

    public IReadOnlyList<AccountState> ExportState()
    {
        lock (_gate)
        {
            return _accounts.Values.Select(a => new AccountState(
                a.Email, a.Zone.Id, a.Created.ToDateTimeOffset(), a.Updated.ToDateTimeOffset(), a.ChangeCount, a.SyncEpoch,
                a.Events.Values.Select(e => new EventState(e.ChangeNumber, e.Resource.DeepClone().AsObject(),
                    e.PriorVersions.Select(p => new PriorVersionState(p.ReplacedBy, p.Resource.DeepClone().AsObject())).ToList(),
                    e.PriorVersionsTrimmedThrough)).ToList())).ToList();
        }
    }

    /// <summary>Replaces every account with <paramref name="state"/>; throws <see cref="InvalidDataException"/> on nonsense.</summary>
    public void RestoreState(IReadOnlyList<AccountState> state)
    {
        var restored = new Dictionary<string, Account>(StringComparer.OrdinalIgnoreCase);
        foreach (var saved in state)
        {
            if (!GoogleTime.TryFindZone(saved.TimeZone, out var zone)) throw new InvalidDataException($"account {saved.Email} has an unknown time zone \"{saved.TimeZone}\"");
            var account = new Account(saved.Email, zone, Instant.FromDateTimeOffset(saved.Created), saved.SyncEpoch)
            {
                Updated = Instant.FromDateTimeOffset(saved.Updated),
                ChangeCount = saved.ChangeCount,
            };
            foreach (var e in saved.Events)
            {
                if (e.Resource["id"] is not JsonValue id || !id.TryGetValue<string>(out var eventId))
                    throw new InvalidDataException($"an event of {saved.Email} has no string id");
                account.Events[eventId] = new StoredEvent(e.Resource.DeepClone().AsObject(), e.ChangeNumber)
                {
                    PriorVersions = (e.PriorVersions ?? []).Select(p => new PriorVersion(p.ReplacedBy, p.Resource.DeepClone().AsObject())).ToList(),
                    PriorVersionsTrimmedThrough = e.PriorVersionsTrimmedThrough,
                };
            }
            if (!restored.TryAdd(saved.Email, account)) throw new InvalidDataException($"account {saved.Email} appears twice");
        }
        lock (_gate)
        {
            _accounts.Clear();
            foreach (var (email, account) in restored) _accounts[email] = account;
        }
    }
}
