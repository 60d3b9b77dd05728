using System.Data.Common;
using CalendarConnect.McpServer.Configuration;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.McpServer.OAuth;
using CalendarConnect.McpServer.SystemStatus;
using CalendarConnect.McpServer.Telemetry;
using CalendarConnect.McpServer.TokenVault;
using Microsoft.Extensions.Options;

namespace CalendarConnect.McpServer.Connections;

/// <summary>
/// One refresh of a customer's access token, as shared by everyone who needs it (see <see cref="ConnectionCache.JoinRefresh"/>).
/// Across replicas the <see cref="RefreshLeases"/> lease lets one refresh at a time; the others wait for the lease to go
/// and read the outcome its holder left in the database: the new token, <c>needs_reauthorization</c>, or a back-off.
/// A failed refresh (Google unreachable, hung, 5xx, 429) starts a back-off of <see cref="FirstBackoff"/>, doubling with
/// each failure in a row up to <see cref="MaxBackoff"/> (longer if Google's Retry-After says so), reset by a success.
/// During it no token request is made for the customer on any replica.
/// </summary>
public sealed class TokenRefresher(
    TokenStore tokens,
    IServiceScopeFactory scopes,
    ConnectionCache cache,
    RefreshLeases leases,
    TimeProvider time,
    WaitClock clock,
    IOptions<McpServerSettings> options,
    GoogleFailures googleFailures,
    McpServerMetrics metrics,
    ILogger<TokenRefresher> log)
{
    /// <summary>
    /// The most a refresh takes, whoever waits for it: the token request with its one retry (<see cref="GoogleResilience.TokenCallTimeout"/>)
    /// and the saves, or the wait for another replica's lease. Below the lease, so no other replica starts meanwhile.
    /// </summary>
    public static readonly TimeSpan RefreshBudget = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    /// <summary>During a back-off, an access token this close to its expiry is not handed out any more.</summary>
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(30);

    private readonly TimeSpan _refreshAhead = options.Value.RefreshAhead;

    public bool IsFresh(StoredGrant grant) =>
        grant.Status == ConnectionStatus.Connected && grant.TokenExpiry - _refreshAhead > time.GetUtcNow();

    public bool InBackoff(StoredGrant grant) => grant.RefreshBackoffUntil is { } until && until > time.GetUtcNow();

    /// <summary>No token request during a back-off: the current token while Google still takes it, else <c>calendar_unavailable</c>.</summary>
    public AccessOutcome DuringBackoff(StoredGrant grant, string? rejectedAccessToken) =>
        grant.AccessToken != rejectedAccessToken && grant.TokenExpiry > time.GetUtcNow() + ExpiryMargin
            ? new(ToAccess(grant), null)
            : new(null, GoogleNotAnswering);

    /// <summary>The wait after <paramref name="failures"/> failed refreshes in a row: 2, 4, 8 … 60 s, or Google's Retry-After up to a minute.</summary>
    public static TimeSpan BackoffAfter(int failures, TimeSpan? retryAfter = null)
    {
        var doubling = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << Math.Min(failures - 1, 16)));
        return retryAfter is { } asked && asked > doubling ? (asked < MaxBackoff ? asked : MaxBackoff) : doubling;
    }

    public static CalendarAccess ToAccess(StoredGrant grant) => new(grant.CustomerId, grant.AccessToken, grant.CalendarEmail, grant.TimeZone);

    /// <summary>
    /// The stored grant, cached, or the problem that keeps it from being used at all (not connected, needs
    /// re-authorization, unreadable with the configured key).
    /// </summary>
    public async Task<(StoredGrant? Grant, CalendarProblem? Problem)> ReadAsync(string customerId, CancellationToken cancellationToken)
    {
        StoredGrant? grant;
        try
        {
            grant = await tokens.GetGrantAsync(customerId, cancellationToken);
        }
        catch (FernetException)
        {
            log.LogError("The stored tokens of customer {CustomerId} cannot be decrypted with TOKEN_ENCRYPTION_KEY", customerId);
            return (null, new CalendarProblem(CalendarErrorCodes.NeedsReauthorization,
                "The calendar credentials of this company cannot be read. The company must connect its Google Calendar again."));
        }

        if (grant is null)
        {
            cache.Forget(customerId);
            return (null, new CalendarProblem(CalendarErrorCodes.NotConnected,
                "This company has not connected its Google Calendar yet, so availability cannot be checked. Ask the administrator to send the company its connection link."));
        }

        cache.Set(grant);
        return grant.Status == ConnectionStatus.NeedsReauthorization ? (null, NeedsReauthorization) : (grant, null);
    }

    /// <summary>
    /// Runs one shared refresh to its end, within <see cref="RefreshBudget"/> on the wait clock, whoever is still waiting.
    /// Never throws: every failure is an outcome for the callers.
    /// </summary>
    public async Task<AccessOutcome> RunAsync(string customerId, string? rejectedAccessToken)
    {
        using var budget = clock.After(RefreshBudget);
        try
        {
            return await RunWithinBudgetAsync(customerId, rejectedAccessToken, budget.Token);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            log.LogWarning("Refreshing the access token of customer {CustomerId} took longer than {Seconds} s", customerId, (int)RefreshBudget.TotalSeconds);
            googleFailures.RefreshTimedOut(customerId);
            metrics.TokenRefresh(RefreshFailures.Timeout);
            return new(null, GoogleNotAnswering);
        }
        catch (Exception e) when (e is DbException or IOException or TimeoutException or InvalidOperationException)
        {
            // The token database failed under the refresh: an outage of ours, reported as such. Unreachable is expected
            // (one line, no stack trace); any other database failure is a defect and keeps its details.
            if (Mcp.ToolFailures.IsDatabaseOutage(e))
                log.LogWarning("Refreshing the access token of customer {CustomerId} failed: the token database (TOKEN_DB) is unreachable ({Error})",
                    customerId, e.GetType().Name);
            else
                log.LogError(e, "Refreshing the access token of customer {CustomerId} failed in the token database", customerId);
            metrics.TokenRefresh(RefreshFailures.Database);
            return new(null, ConnectionUnreadable);
        }
    }

    private async Task<AccessOutcome> RunWithinBudgetAsync(string customerId, string? rejectedAccessToken, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Whoever refreshed before (here or on another replica) has saved the new token, or a back-off: look first.
            var (grant, problem) = await ReadAsync(customerId, cancellationToken);
            if (grant is null) return new(null, problem);
            if (!NeedsRefresh(grant, rejectedAccessToken)) return new(ToAccess(grant), null);
            if (InBackoff(grant)) return DuringBackoff(grant, rejectedAccessToken);

            if (await leases.TryAcquireAsync(customerId, cancellationToken))
            {
                try
                {
                    // Again under the lease: the previous holder may have finished just now.
                    (grant, problem) = await ReadAsync(customerId, cancellationToken);
                    if (grant is null) return new(null, problem);
                    if (!NeedsRefresh(grant, rejectedAccessToken)) return new(ToAccess(grant), null);
                    if (InBackoff(grant)) return DuringBackoff(grant, rejectedAccessToken);
                    return await RefreshAsync(grant, rejectedAccessToken, cancellationToken);
                }
                finally
                {
                    await leases.ReleaseAsync(customerId);
                }
            }

            // Another replica is refreshing this customer's token: its outcome is in the database once its lease is gone.
            await leases.WaitForOthersAsync(customerId, clock, cancellationToken);
        }
    }

    private bool NeedsRefresh(StoredGrant grant, string? rejectedAccessToken) =>
        grant.AccessToken == rejectedAccessToken || !IsFresh(grant);

    private async Task<AccessOutcome> RefreshAsync(StoredGrant grant, string? rejectedAccessToken, CancellationToken cancellationToken)
    {
        var customerId = grant.CustomerId;
        if (grant.RefreshToken is null)
        {
            await tokens.MarkNeedsReauthorizationAsync(customerId, RefreshFailures.NoRefreshToken, CancellationToken.None);
            cache.Forget(customerId);
            metrics.TokenRefresh(RefreshFailures.NoRefreshToken);
            return new(null, NeedsReauthorization);
        }

        // A typed HttpClient per refresh: this service lives as long as the process, the client's handlers do not.
        using var scope = scopes.CreateScope();
        var oauth = scope.ServiceProvider.GetRequiredService<GoogleOAuthClient>();
        var (refreshed, failure) = await oauth.RefreshAsync(grant.RefreshToken, cancellationToken);

        // From here on, whatever Google said is saved even if the budget ends meanwhile: a rotated refresh token must never be lost.
        if (refreshed is not null)
        {
            var expiry = time.GetUtcNow().AddSeconds(refreshed.ExpiresIn);
            // Google normally sends no new refresh token on refresh: the old one stays valid and is kept.
            await tokens.SaveRefreshedAsync(customerId, refreshed.AccessToken, refreshed.RefreshToken, expiry, CancellationToken.None);
            var updated = grant with
            {
                AccessToken = refreshed.AccessToken,
                RefreshToken = refreshed.RefreshToken ?? grant.RefreshToken,
                TokenExpiry = expiry,
                Status = ConnectionStatus.Connected,
                LastError = null,
                RefreshFailures = 0,
                RefreshBackoffUntil = null,
            };
            cache.Set(updated);
            log.LogInformation("Access token refreshed for customer {CustomerId}", customerId);
            metrics.TokenRefresh(null);
            return new(ToAccess(updated), null);
        }

        googleFailures.RefreshFailed(customerId, failure!);
        metrics.TokenRefresh(RefreshFailures.Of(failure!));
        if (failure!.Kind == TokenFailureKind.InvalidGrant)
        {
            log.LogWarning("Refresh token of customer {CustomerId} is no longer valid (invalid_grant): re-authorization needed", customerId);
            await tokens.MarkNeedsReauthorizationAsync(customerId, "invalid_grant", CancellationToken.None);
            cache.Set(grant with { Status = ConnectionStatus.NeedsReauthorization, LastError = "invalid_grant" });
            return new(null, NeedsReauthorization);
        }

        var failures = grant.RefreshFailures + 1;
        var wait = BackoffAfter(failures, failure.RetryAfter);
        var until = time.GetUtcNow() + wait;
        await tokens.SaveRefreshFailureAsync(customerId, failures, until, CancellationToken.None);
        var failed = grant with { RefreshFailures = failures, RefreshBackoffUntil = until };
        cache.Set(failed);
        if (failure.Kind == TokenFailureKind.InvalidClient)
            log.LogError("Google refused our OAuth client ({Error}) refreshing the token of customer {CustomerId}: check GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET",
                failure.Error, customerId);
        else
            log.LogWarning("Could not refresh the access token of customer {CustomerId}: {Status} {Error}; no new attempt for {Seconds} s",
                customerId, failure.Status, failure.Error, (int)wait.TotalSeconds);
        return DuringBackoff(failed, rejectedAccessToken);
    }

    public static readonly CalendarProblem GoogleNotAnswering = new(CalendarErrorCodes.CalendarUnavailable,
        "Google Calendar is not answering right now, so availability cannot be checked. Please try again in a few minutes.");

    public static readonly CalendarProblem NeedsReauthorization = new(CalendarErrorCodes.NeedsReauthorization,
        "This company's Google Calendar connection has expired or was revoked. The company must authorize it again with a new connection link from the administrator.");

    private static readonly CalendarProblem ConnectionUnreadable = new(CalendarErrorCodes.CalendarUnavailable,
        "The company's calendar connection cannot be read right now. Please try again in a few minutes.");
}

/// <summary>
/// Why a refresh failed, as its metric tells it (<c>error.type</c>): Google's own answers (<c>invalid_grant</c>,
/// <c>invalid_client</c>, other refusals), no answer (<c>timeout</c>, <c>unreachable</c>) or a 5xx/429 (<c>transient</c>),
/// and ours (no refresh token stored, the token database failing, the whole refresh over its budget).
/// </summary>
public static class RefreshFailures
{
    public const string NoRefreshToken = "no_refresh_token";
    public const string InvalidGrant = "invalid_grant";
    public const string InvalidClient = "invalid_client";
    public const string Transient = "transient";
    public const string Rejected = "rejected";
    public const string Timeout = "timeout";
    public const string Unreachable = "unreachable";
    public const string Database = "database";

    public static string Of(TokenFailure failure) => failure.Kind switch
    {
        TokenFailureKind.InvalidGrant => InvalidGrant,
        TokenFailureKind.InvalidClient => InvalidClient,
        TokenFailureKind.Transient when failure.Status == 0 => failure.Error == GoogleOAuthClient.NoAnswerInTime ? Timeout : Unreachable,
        TokenFailureKind.Transient => Transient,
        _ => Rejected,
    };
}
