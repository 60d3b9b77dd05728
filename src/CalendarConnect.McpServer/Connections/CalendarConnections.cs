using System.Collections.Concurrent;
using CalendarConnect.McpServer.Configuration;
using CalendarConnect.McpServer.OAuth;
using CalendarConnect.McpServer.TokenVault;
using Microsoft.Extensions.Options;

namespace CalendarConnect.McpServer.Connections;

/// <summary>A usable Google access token for a customer, with what we know of its calendar.</summary>
public sealed record CalendarAccess(string CustomerId, string AccessToken, string? CalendarEmail, string? TimeZone);

/// <summary>
/// Why a tool cannot answer: a stable <see cref="Code"/> for programs (an assistant translates it into its
/// customer's language) and an English <see cref="Message"/> an assistant can relay as it is.
/// </summary>
public sealed record CalendarProblem(string Code, string Message)
{
    public const string MissingCustomer = "missing_customer";
    public const string InvalidCustomer = "invalid_customer";
    public const string InvalidArgument = "invalid_argument";
    public const string NotConnected = "not_connected";
    public const string NeedsReauthorization = "needs_reauthorization";
    public const string CalendarUnavailable = "calendar_unavailable";

    // Booking: the requested time cannot be booked (each comes with the nearest alternatives) or the event is not ours.
    public const string SlotTaken = "slot_taken";
    public const string OutsideBusinessHours = "outside_business_hours";
    public const string TooSoon = "too_soon";
    public const string BeyondHorizon = "beyond_horizon";
    public const string NotFound = "not_found";
}

/// <summary>
/// Decrypted grants kept in memory while their access token is valid, so the hot path (a read-only tool call)
/// does no database read and no decryption. Entries are replaced on refresh and dropped on reconnection here;
/// a change made by another replica (reconnection, disconnection) is seen within <see cref="MaxAge"/>.
/// </summary>
public sealed class ConnectionCache(TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, (StoredGrant Grant, long CachedAt)> _grants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _refreshLocks = new(StringComparer.Ordinal);

    public bool TryGet(string customerId, out StoredGrant grant)
    {
        grant = null!;
        if (!_grants.TryGetValue(customerId, out var entry) || time.GetElapsedTime(entry.CachedAt) > MaxAge) return false;
        grant = entry.Grant;
        return true;
    }

    public void Set(StoredGrant grant) => _grants[grant.CustomerId] = (grant, time.GetTimestamp());

    public void Forget(string customerId) => _grants.TryRemove(customerId, out _);

    /// <summary>One lock per customer: at most one refresh in flight per customer in this process.</summary>
    public SemaphoreSlim RefreshLockFor(string customerId) => _refreshLocks.GetOrAdd(customerId, _ => new SemaphoreSlim(1, 1));
}

/// <summary>
/// Spec "Renovación Automática": hands out a valid access token per customer, refreshing it shortly before it
/// expires. A refresh failure with <c>invalid_grant</c> marks the connection <c>needs_reauthorization</c>;
/// transient failures are retried and never disconnect.
/// </summary>
public sealed class CalendarConnections(
    TokenStore tokens,
    GoogleOAuthClient oauth,
    ConnectionCache cache,
    RefreshLeases leases,
    TimeProvider time,
    IOptions<McpServerSettings> options,
    ILogger<CalendarConnections> log)
{
    private static readonly TimeSpan[] RetryDelays = [TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(800)];

    /// <summary>
    /// A refresh, its retries and the save of its result run to the end even when the caller gives up (a rotated
    /// token must not be lost), within this budget, which stays below the lease so no other replica starts meanwhile.
    /// </summary>
    public static readonly TimeSpan RefreshBudget = TimeSpan.FromSeconds(25);

    private readonly TimeSpan _refreshAhead = options.Value.RefreshAhead;

    public async Task<(CalendarAccess? Access, CalendarProblem? Problem)> GetAccessAsync(string customerId, CancellationToken cancellationToken)
    {
        if (cache.TryGet(customerId, out var cached) && IsFresh(cached)) return (ToAccess(cached), null);
        return await RefreshIfNeededAsync(customerId, staleAccessToken: null, cancellationToken);
    }

    /// <summary>Google rejected <paramref name="rejectedAccessToken"/> (401): refresh once, unless someone already did.</summary>
    public Task<(CalendarAccess? Access, CalendarProblem? Problem)> RenewAfterRejectionAsync(string customerId, string rejectedAccessToken,
        CancellationToken cancellationToken) =>
        RefreshIfNeededAsync(customerId, rejectedAccessToken, cancellationToken);

    public async Task RememberTimeZoneAsync(string customerId, string timeZone, CancellationToken cancellationToken)
    {
        await tokens.SaveTimeZoneAsync(customerId, timeZone, cancellationToken);
        if (cache.TryGet(customerId, out var cached)) cache.Set(cached with { TimeZone = timeZone });
    }

    private async Task<(CalendarAccess?, CalendarProblem?)> RefreshIfNeededAsync(string customerId, string? staleAccessToken,
        CancellationToken cancellationToken)
    {
        // In this process, one caller per customer at a time; across replicas, a database lease (below).
        var gate = cache.RefreshLockFor(customerId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var waitedSince = time.GetTimestamp();
            while (true)
            {
                // Whoever refreshed before us (here or on another replica) has saved the new token: look first.
                var (grant, needsRefresh, problem) = await ReadGrantAsync(customerId, staleAccessToken, cancellationToken);
                if (grant is null) return (null, problem);
                if (!needsRefresh) return (ToAccess(grant), null);

                if (await leases.TryAcquireAsync(customerId, cancellationToken))
                {
                    try
                    {
                        // Re-read under the lease: the previous holder may have finished just now.
                        (grant, needsRefresh, problem) = await ReadGrantAsync(customerId, staleAccessToken, cancellationToken);
                        if (grant is null) return (null, problem);
                        if (!needsRefresh) return (ToAccess(grant), null);
                        return await RefreshAsync(grant);
                    }
                    finally
                    {
                        await leases.ReleaseAsync(customerId);
                    }
                }

                if (time.GetElapsedTime(waitedSince) > RefreshLeases.Duration) return (null, GoogleNotAnswering());
                // Another replica is refreshing this customer's token right now; it takes a few hundred milliseconds.
                await Task.Delay(TimeSpan.FromMilliseconds(50 + Random.Shared.Next(50)), cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The stored grant and whether its access token must be refreshed first; no grant and a problem when it cannot
    /// be used at all (not connected, needs re-authorization, unreadable).
    /// </summary>
    private async Task<(StoredGrant? Grant, bool NeedsRefresh, CalendarProblem? Problem)> ReadGrantAsync(string customerId, string? staleAccessToken,
        CancellationToken cancellationToken)
    {
        StoredGrant? grant;
        try
        {
            grant = await tokens.GetGrantAsync(customerId, cancellationToken);
        }
        catch (FernetException)
        {
            log.LogError("The stored tokens of customer {CustomerId} cannot be decrypted with TOKEN_ENCRYPTION_KEY", customerId);
            return (null, false, new CalendarProblem(CalendarProblem.NeedsReauthorization,
                "The calendar credentials of this company cannot be read. The company must connect its Google Calendar again."));
        }

        if (grant is null)
        {
            cache.Forget(customerId);
            return (null, false, new CalendarProblem(CalendarProblem.NotConnected,
                "This company has not connected its Google Calendar yet, so availability cannot be checked. Ask the administrator to send the company its connection link."));
        }

        if (grant.Status == ConnectionStatus.NeedsReauthorization)
        {
            cache.Set(grant);
            return (null, false, NeedsReauthorization());
        }

        var rejected = staleAccessToken is not null && grant.AccessToken == staleAccessToken;
        if (rejected || !IsFresh(grant)) return (grant, true, null);
        cache.Set(grant);
        return (grant, false, null);
    }

    private async Task<(CalendarAccess?, CalendarProblem?)> RefreshAsync(StoredGrant grant)
    {
        using var budget = new CancellationTokenSource(RefreshBudget);
        try
        {
            return await RefreshWithinBudgetAsync(grant, budget.Token);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            log.LogWarning("Refreshing the access token of customer {CustomerId} took longer than {Budget}", grant.CustomerId, RefreshBudget);
            return grant.TokenExpiry > time.GetUtcNow().AddSeconds(30) ? (ToAccess(grant), null) : (null, GoogleNotAnswering());
        }
    }

    private async Task<(CalendarAccess?, CalendarProblem?)> RefreshWithinBudgetAsync(StoredGrant grant, CancellationToken cancellationToken)
    {
        if (grant.RefreshToken is null)
        {
            await tokens.MarkNeedsReauthorizationAsync(grant.CustomerId, "no_refresh_token", cancellationToken);
            cache.Forget(grant.CustomerId);
            return (null, NeedsReauthorization());
        }

        for (var attempt = 0; ; attempt++)
        {
            var (refreshed, failure) = await oauth.RefreshAsync(grant.RefreshToken, cancellationToken);
            if (refreshed is not null)
            {
                var expiry = time.GetUtcNow().AddSeconds(refreshed.ExpiresIn);
                // Google normally sends no new refresh token on refresh: the old one stays valid and is kept.
                await tokens.SaveRefreshedAsync(grant.CustomerId, refreshed.AccessToken, refreshed.RefreshToken, expiry, cancellationToken);
                var updated = grant with
                {
                    AccessToken = refreshed.AccessToken,
                    RefreshToken = refreshed.RefreshToken ?? grant.RefreshToken,
                    TokenExpiry = expiry,
                    Status = ConnectionStatus.Connected,
                    LastError = null,
                };
                cache.Set(updated);
                log.LogInformation("Access token refreshed for customer {CustomerId}", grant.CustomerId);
                return (ToAccess(updated), null);
            }

            if (failure!.Kind == TokenFailureKind.InvalidGrant)
            {
                log.LogWarning("Refresh token of customer {CustomerId} is no longer valid (invalid_grant): re-authorization needed", grant.CustomerId);
                await tokens.MarkNeedsReauthorizationAsync(grant.CustomerId, "invalid_grant", cancellationToken);
                cache.Set(grant with { Status = ConnectionStatus.NeedsReauthorization, LastError = "invalid_grant" });
                return (null, NeedsReauthorization());
            }

            if (failure.Kind == TokenFailureKind.Transient && attempt < RetryDelays.Length)
            {
                var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100));
                await Task.Delay(RetryDelays[attempt] + jitter, time, cancellationToken);
                continue;
            }

            log.LogWarning("Could not refresh the access token of customer {CustomerId}: {Error}", grant.CustomerId, failure.Error);
            // Still inside its lifetime? Then the old token serves this call; the next call tries again.
            if (grant.TokenExpiry > time.GetUtcNow().AddSeconds(30)) return (ToAccess(grant), null);
            return (null, GoogleNotAnswering());
        }
    }

    private bool IsFresh(StoredGrant grant) =>
        grant.Status == ConnectionStatus.Connected && grant.TokenExpiry - _refreshAhead > time.GetUtcNow();

    private static CalendarAccess ToAccess(StoredGrant grant) => new(grant.CustomerId, grant.AccessToken, grant.CalendarEmail, grant.TimeZone);

    private static CalendarProblem GoogleNotAnswering() => new(CalendarProblem.CalendarUnavailable,
        "Google Calendar is not answering right now, so availability cannot be checked. Please try again in a few minutes.");

    private static CalendarProblem NeedsReauthorization() => new(CalendarProblem.NeedsReauthorization,
        "This company's Google Calendar connection has expired or was revoked. The company must authorize it again with a new connection link from the administrator.");
}
