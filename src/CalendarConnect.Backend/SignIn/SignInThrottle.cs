using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.SignIn;

/// <summary>One sign-in attempt (form or HTTP Basic): where it came from and the user name it gave.</summary>
public readonly record struct SignInAttempt(string ClientAddress, string UserName, string Method)
{
    public const string Form = "form";
    public const string Basic = "HTTP Basic";

    /// <summary>The client's address as the connection (or a trusted proxy, TRUSTED_PROXIES) gives it.</summary>
    public static SignInAttempt From(HttpContext context, string? userName, string method)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is { IsIPv4MappedToIPv6: true }) address = address.MapToIPv4();
        return new SignInAttempt(address?.ToString() ?? "unknown", userName ?? "", method);
    }

    /// <summary>The user name as a log may show it: at most 100 characters, no control characters (no forged log lines).</summary>
    public string UserNameForLog =>
        new(UserName.Take(100).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c).ToArray());
}

/// <summary>
/// Limits failed sign-in attempts (form and HTTP Basic), per client address and per account: after
/// <see cref="MaxFailuresPerAddress"/> failures from one address, or <see cref="MaxFailuresPerAccount"/> failures with
/// the admin's user name from any addresses, within <see cref="Window"/>, further attempts from that address (or with
/// that user name) are refused until the window ends, even with the right password. Every failure is logged at Warning
/// with the address and the user name (never the password). Counts are kept per replica.
/// </summary>
/// <remarks>
/// The account limit stops a guesser who spreads over many addresses; its price is that such a guesser can keep the
/// admin out of the form for the window (bearer keys, ADMIN_API_KEY, are not throttled). User names other than the
/// admin's share one count, so a lockout reveals nothing about which user name is right.
/// </remarks>
public sealed class SignInThrottle(TimeProvider time, IOptions<AdminOptions> admin, ILogger<SignInThrottle> log)
{
    public const int MaxFailuresPerAddress = 5;
    public const int MaxFailuresPerAccount = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    private const string OtherUserNames = "\0other user names";

    private readonly FailureCounts _addresses = new(time, MaxFailuresPerAddress);
    private readonly FailureCounts _accounts = new(time, MaxFailuresPerAccount);

    /// <summary>How long this client or account must still wait, or null when it may try.</summary>
    public TimeSpan? LockedOutFor(SignInAttempt attempt)
    {
        var wait = Longer(_addresses.LockedOutFor(attempt.ClientAddress), _accounts.LockedOutFor(AccountKey(attempt)));
        if (wait is not null)
            log.LogWarning("Admin sign-in ({Method}) from {ClientAddress} as {UserName} refused without checking the password: too many failures",
                attempt.Method, attempt.ClientAddress, attempt.UserNameForLog);
        return wait;
    }

    public void RecordFailure(SignInAttempt attempt)
    {
        _addresses.Record(attempt.ClientAddress);
        _accounts.Record(AccountKey(attempt));
        log.LogWarning("Failed admin sign-in ({Method}) from {ClientAddress} as {UserName}", attempt.Method, attempt.ClientAddress, attempt.UserNameForLog);
    }

    /// <summary>
    /// Clears the address's count only: the account's stays, so the admin signing in meanwhile does not hand a guesser
    /// on other addresses a fresh allowance.
    /// </summary>
    public void RecordSuccess(SignInAttempt attempt) => _addresses.Reset(attempt.ClientAddress);

    private string AccountKey(SignInAttempt attempt) =>
        string.Equals(attempt.UserName, admin.Value.User, StringComparison.Ordinal) ? attempt.UserName : OtherUserNames;

    private static TimeSpan? Longer(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;

    /// <summary>Failures per key in a fixed window that starts at the key's first failure.</summary>
    private sealed class FailureCounts(TimeProvider time, int maxFailures)
    {
        private const int MaxTrackedKeys = 10_000;
        private readonly ConcurrentDictionary<string, Entry> _entries = new();

        public TimeSpan? LockedOutFor(string key)
        {
            if (!_entries.TryGetValue(key, out var entry)) return null;
            lock (entry)
            {
                var left = entry.WindowStart + Window - time.GetUtcNow();
                if (left <= TimeSpan.Zero) { _entries.TryRemove(key, out _); return null; }
                return entry.Failures >= maxFailures ? left : null;
            }
        }

        public void Record(string key)
        {
            if (_entries.Count >= MaxTrackedKeys) Prune();
            var now = time.GetUtcNow();
            var entry = _entries.GetOrAdd(key, _ => new Entry { WindowStart = now });
            lock (entry)
            {
                if (now - entry.WindowStart >= Window) { entry.WindowStart = now; entry.Failures = 0; }
                entry.Failures++;
            }
        }

        public void Reset(string key) => _entries.TryRemove(key, out _);

        private void Prune()
        {
            var now = time.GetUtcNow();
            foreach (var (key, entry) in _entries)
                if (now - entry.WindowStart >= Window) _entries.TryRemove(key, out _);
        }

        private sealed class Entry
        {
            public DateTimeOffset WindowStart;
            public int Failures;
        }
    }
}
