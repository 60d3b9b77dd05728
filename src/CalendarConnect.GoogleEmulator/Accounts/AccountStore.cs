using System.Diagnostics.CodeAnalysis;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.Accounts;

/// <summary>All accounts and their primary calendars, in memory, behind one lock.</summary>
public sealed class AccountStore(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Account> _accounts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the account, or changes the time zone of an existing one. True when it was created.</summary>
    public bool Upsert(string email, DateTimeZone zone)
    {
        lock (_gate)
        {
            if (_accounts.TryGetValue(email, out var existing))
            {
                existing.Zone = zone;
                return false;
            }
            _accounts[email] = new Account(email, zone, clock.ToInstant());
            return true;
        }
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

    /// <summary>Runs <paramref name="action"/> on the account under the lock (reads and writes alike).</summary>
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
                .Select(e => new StoredEventSnapshot(e.Resource.DeepClone().AsObject(), e.ChangeNumber))
                .ToList();
            return new AccountSnapshot(a.Email, a.Zone, a.Updated, a.ChangeCount, a.SyncEpoch, events);
        }
    }

    public void Reset()
    {
        lock (_gate) _accounts.Clear();
    }
}
