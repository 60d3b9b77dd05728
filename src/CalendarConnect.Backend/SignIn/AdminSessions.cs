using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using CalendarConnect.Backend.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.SignIn;

/// <summary>How long an admin's sign-in lasts: ended by sign-out, a changed password, idleness or age.</summary>
public sealed class AdminSessionOptions
{
    public const string IdleVariable = "ADMIN_SESSION_IDLE_MINUTES";
    public const string LifetimeVariable = "ADMIN_SESSION_LIFETIME_HOURS";

    /// <summary>A session unused this long ends (a working day).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A session ends this long after sign-in however much it is used (a week).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// A session's last use is written at most this often (one write a minute per session, not one per request): the
    /// idle timeout is kept to within this much.
    /// </summary>
    public static readonly TimeSpan LastSeenPrecision = TimeSpan.FromMinutes(1);

    /// <summary>The problem with these settings together, one line naming the variables, or null (checked at start-up through BackendSettings).</summary>
    public string? Problem() => IdleTimeout > Lifetime
        ? $"{IdleVariable} ({IdleTimeout.TotalMinutes:0} minutes) is longer than {LifetimeVariable} ({Lifetime.TotalHours:0} hours): a session cannot stay idle longer than it lives."
        : null;
}

/// <summary>
/// Server-side admin sessions: the sign-in cookie carries a random session id, and every request signed in with the
/// cookie is checked against admin_sessions in CUSTOMER_DB (one primary-key read; no cache, so a sign-out on one
/// replica ends the session on all of them at once). A session ends on sign-out, when ADMIN_USER or ADMIN_PASSWORD
/// changed since it began, after <see cref="AdminSessionOptions.IdleTimeout"/> unused, or
/// <see cref="AdminSessionOptions.Lifetime"/> after sign-in.
/// </summary>
public sealed class AdminSessions(AdminSessionStore store, IOptions<AdminSessionOptions> options, IOptions<AdminOptions> admin,
    TimeProvider time, ILogger<AdminSessions> log)
{
    public const string SessionClaim = "cc_session";

    /// <summary>
    /// A keyed hash of the credentials, so the table alone tells nothing about the password: sessions begun under other
    /// credentials no longer match. Keyed by the database's own random stamp key (admin_session_stamp_key), not by a
    /// setting: replacing DATA_PROTECTION_KEY must not sign anyone out. Read once, on first use.
    /// </summary>
    private volatile string? _credentialStamp;

    private async Task<string> CredentialStampAsync(CancellationToken cancellationToken) =>
        _credentialStamp ??= CredentialStamp(admin.Value, await store.StampKeyAsync(cancellationToken));

    /// <summary>Records a new session and returns the claim the sign-in cookie carries.</summary>
    public async Task<Claim> BeginAsync(string userName, CancellationToken cancellationToken)
    {
        var id = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        // Sign-in is rare: a good moment to forget the sessions that ended without a sign-out.
        await store.DeleteExpiredAsync(now - options.Value.IdleTimeout, now - options.Value.Lifetime, cancellationToken);
        await store.CreateAsync(Hash(id), userName, await CredentialStampAsync(cancellationToken), now, cancellationToken);
        return new Claim(SessionClaim, id);
    }

    /// <summary>
    /// The cookie handler's OnValidatePrincipal: on every endpoint that needs the admin, a cookie whose session ended is
    /// refused and deleted.
    /// </summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        // Endpoints open to anyone (health probes, assets, the sign-in form, unknown paths) act on no session, so they
        // do not read it: /healthz must answer while the database is down, even to a browser that sends the cookie.
        // A stale cookie that reaches /ingresar is sent on to /clientes, which checks it and deletes it.
        if (context.HttpContext.GetEndpoint() is not { } endpoint || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null) return;
        var cancellationToken = context.HttpContext.RequestAborted;
        var id = context.Principal?.FindFirst(SessionClaim)?.Value;
        var hash = id is null ? null : Hash(id);
        var session = hash is null ? null : await store.FindAsync(hash, cancellationToken);
        var now = time.GetUtcNow();
        var stamp = session is null ? "" : await CredentialStampAsync(cancellationToken);
        // A session begun under other credentials is refused but its row is kept: during a rolling change of
        // ADMIN_PASSWORD a replica still on the old one must not delete the sessions begun on the new ones (and the
        // reverse). Such rows go with the expired ones.
        var credentialsChanged = session is not null
            && !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(session.PasswordStamp), Encoding.ASCII.GetBytes(stamp));
        var endedBecause = session switch
        {
            null => id is null ? "the cookie names no session" : "the session was ended (signed out or expired)",
            _ when credentialsChanged => "ADMIN_USER or ADMIN_PASSWORD changed since sign-in",
            _ when now - session.LastSeenAt >= options.Value.IdleTimeout => "unused for longer than the idle timeout",
            _ when now - session.CreatedAt >= options.Value.Lifetime => "older than the session lifetime",
            _ => null,
        };
        if (endedBecause is not null)
        {
            if (session is not null && !credentialsChanged) await store.DeleteAsync(hash!, cancellationToken);
            log.LogInformation("Admin session refused: {Reason}", endedBecause);
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AdminAuthentication.CookieScheme);
            return;
        }
        if (now - session!.LastSeenAt >= AdminSessionOptions.LastSeenPrecision) await store.TouchAsync(hash!, now, cancellationToken);
    }

    /// <summary>Sign-out: the session ends for every copy of the cookie, on every replica.</summary>
    public async Task EndAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.FindFirst(SessionClaim)?.Value is { } id) await store.DeleteAsync(Hash(id), cancellationToken);
    }

    private static string Hash(string sessionId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId)));

    private static string CredentialStamp(AdminOptions admin, byte[] stampKey)
    {
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, stampKey, 32, info: "CalendarConnect admin session credential stamp"u8.ToArray());
        return Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(admin.User + "\0" + admin.Password)));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
