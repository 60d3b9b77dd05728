using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
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

    /// <summary>
    /// What the per-address count is kept by: the address itself for IPv4, its /64 network for IPv6 (one subscriber
    /// usually holds a whole /64, so counting single IPv6 addresses would give a guesser billions of allowances).
    /// </summary>
    public string AddressGroup => ClientAddressGroup(ClientAddress);

    public static string ClientAddressGroup(string address)
    {
        if (!IPAddress.TryParse(address, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6 || ip.IsIPv4MappedToIPv6)
            return address;
        var bytes = ip.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>The user name as a log may show it: at most 100 characters, no control characters (no forged log lines).</summary>
    public string UserNameForLog =>
        new(UserName.Take(100).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c).ToArray());
}

/// <summary>
/// Limits failed sign-in attempts (form and HTTP Basic), per client address and per account: after
/// <see cref="MaxFailuresPerAddress"/> failures from one address (an IPv6 /64), or <see cref="MaxFailuresPerAccount"/>
/// failures from any addresses, within <see cref="Window"/>, further attempts are refused until the window ends, even
/// with the right password. Every failure is logged at Warning with the address and the user name (never the
/// password); a refusal is logged once per window per address or account, not once per request. Counts are kept per
/// replica.
/// </summary>
/// <remarks>
/// There is one admin account, so every failure counts against it whatever user name was typed: a lockout then says
/// nothing about which user name is right. The account limit stops a guesser spread over many addresses; so that the
/// same guesser cannot also keep the admin out, an address the admin signed in from successfully within the session
/// lifetime (<see cref="AdminSessionOptions.Lifetime"/>, remembered by this replica) is exempt from the account limit
/// (its own per-address limit still applies).
/// </remarks>
public sealed class SignInThrottle(TimeProvider time, IOptions<AdminSessionOptions> sessions, ILogger<SignInThrottle> log)
{
    public const int MaxFailuresPerAddress = 5;
    public const int MaxFailuresPerAccount = 20;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);
    /// <summary>The one admin account's key in the account count (whatever user name an attempt gave).</summary>
    private const string AdminAccount = "admin account";
    private const int MaxKnownAddresses = 10_000;

    private readonly FailureCounts _addresses = new(time, MaxFailuresPerAddress);
    private readonly FailureCounts _accounts = new(time, MaxFailuresPerAccount);
    /// <summary>Address groups the admin signed in from, and when last.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _knownAddresses = new();

    /// <summary>How long this client must still wait, or null when it may try.</summary>
    public TimeSpan? LockedOutFor(SignInAttempt attempt)
    {
        var byAddress = _addresses.LockedOutFor(attempt.AddressGroup, out var firstForAddress);
        TimeSpan? byAccount = null;
        var firstForAccount = false;
        if (!IsKnownAddress(attempt.AddressGroup)) byAccount = _accounts.LockedOutFor(AdminAccount, out firstForAccount);
        var wait = Longer(byAddress, byAccount);
        if (wait is not null && (firstForAddress || firstForAccount))
            log.LogWarning("Admin sign-in ({Method}) from {ClientAddress} as {UserName} refused without checking the password: too many failures {Limit}; " +
                           "further refusals in this window are not logged",
                attempt.Method, attempt.ClientAddress, attempt.UserNameForLog, firstForAddress ? "from this address" : "for the admin account");
        return wait;
    }

    public void RecordFailure(SignInAttempt attempt)
    {
        _addresses.Record(attempt.AddressGroup);
        _accounts.Record(AdminAccount);
        log.LogWarning("Failed admin sign-in ({Method}) from {ClientAddress} as {UserName}", attempt.Method, attempt.ClientAddress, attempt.UserNameForLog);
    }

    /// <summary>
    /// Clears the address's count and remembers the address as the admin's, exempt from the account limit for the
    /// session lifetime. The account's count stays, so the admin signing in meanwhile does not hand a guesser on other
    /// addresses a fresh allowance.
    /// </summary>
    public void RecordSuccess(SignInAttempt attempt)
    {
        _addresses.Reset(attempt.AddressGroup);
        var now = time.GetUtcNow();
        if (_knownAddresses.Count >= MaxKnownAddresses)
            foreach (var (key, at) in _knownAddresses)
                if (now - at >= sessions.Value.Lifetime) _knownAddresses.TryRemove(key, out _);
        // Still full of recent ones: remembering one more is not worth unbounded memory; that address is simply not exempt.
        if (_knownAddresses.Count < MaxKnownAddresses) _knownAddresses[attempt.AddressGroup] = now;
    }

    private bool IsKnownAddress(string addressGroup) =>
        _knownAddresses.TryGetValue(addressGroup, out var at) && time.GetUtcNow() - at < sessions.Value.Lifetime;

    private static TimeSpan? Longer(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;

    /// <summary>Failures per key in a fixed window that starts at the key's first failure.</summary>
    private sealed class FailureCounts(TimeProvider time, int maxFailures)
    {
        private const int MaxTrackedKeys = 10_000;
        private readonly ConcurrentDictionary<string, Entry> _entries = new();

        /// <param name="firstRefusal">True only for the first refusal of the key's window (the one worth a log line).</param>
        public TimeSpan? LockedOutFor(string key, out bool firstRefusal)
        {
            firstRefusal = false;
            if (!_entries.TryGetValue(key, out var entry)) return null;
            lock (entry)
            {
                var left = entry.WindowStart + Window - time.GetUtcNow();
                if (left <= TimeSpan.Zero) { _entries.TryRemove(key, out _); return null; }
                if (entry.Failures < maxFailures) return null;
                firstRefusal = !entry.RefusalLogged;
                entry.RefusalLogged = true;
                return left;
            }
        }

        public void Record(string key)
        {
            if (_entries.Count >= MaxTrackedKeys) Prune();
            var now = time.GetUtcNow();
            var entry = _entries.GetOrAdd(key, _ => new Entry { WindowStart = now });
            lock (entry)
            {
                if (now - entry.WindowStart >= Window) { entry.WindowStart = now; entry.Failures = 0; entry.RefusalLogged = false; }
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
            public bool RefusalLogged;
        }
    }
}
