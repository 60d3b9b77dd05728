using System.Collections.Concurrent;
using CalendarConnect.McpServer.TokenVault;

namespace CalendarConnect.McpServer.Connections;

/// <summary>A usable Google access token for a customer, with what we know of its calendar.</summary>
public sealed record CalendarAccess(string CustomerId, string AccessToken, string? CalendarEmail, string? TimeZone);

/// <summary>What is known here of a connected calendar, without any access token: enough for the tools that need no Google.</summary>
public sealed record CalendarConnection(string CustomerId, string? CalendarEmail, string? TimeZone);

/// <summary>What one shared refresh ended with, for everyone who waited on it: a usable access, or why there is none.</summary>
public sealed record AccessOutcome(CalendarAccess? Access, CalendarProblem? Problem)
{
    public (CalendarAccess? Access, CalendarProblem? Problem) AsTuple() => (Access, Problem);
}

/// <summary>
/// Why a tool cannot answer: a stable <see cref="Code"/> (one of <see cref="CalendarErrorCodes"/>) for programs (an assistant translates it into its
/// customer's language) and an English <see cref="Message"/> an assistant can relay as it is.
/// </summary>
public sealed record CalendarProblem(string Code, string Message);

/// <summary>
/// Decrypted grants kept in memory while their access token is valid, so the hot path (a read-only tool call)
/// does no database read and no decryption. Entries are replaced on refresh and dropped on reconnection here;
/// a change made by another replica (reconnection, disconnection) is seen within <see cref="MaxAge"/>.
/// Also the refreshes in flight in this process: one per customer, shared by every caller that needs it.
/// </summary>
public sealed class ConnectionCache(TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, (StoredGrant Grant, long CachedAt)> _grants = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<AccessOutcome>> _refreshes = new(StringComparer.Ordinal);

    public bool TryGet(string customerId, out StoredGrant grant)
    {
        grant = null!;
        if (!_grants.TryGetValue(customerId, out var entry) || time.GetElapsedTime(entry.CachedAt) > MaxAge) return false;
        grant = entry.Grant;
        return true;
    }

    public void Set(StoredGrant grant) => _grants[grant.CustomerId] = (grant, time.GetTimestamp());

    public void Forget(string customerId) => _grants.TryRemove(customerId, out _);

    /// <summary>
    /// The refresh in flight for this customer in this process, or a new one run by <paramref name="refresh"/>. Its
    /// outcome, success or failure, goes to every caller that joined it. It does not belong to any caller: it runs to
    /// its end when they all give up (a rotated refresh token must be saved), and <paramref name="refresh"/> never throws.
    /// </summary>
    public Task<AccessOutcome> JoinRefresh(string customerId, Func<Task<AccessOutcome>> refresh)
    {
        while (true)
        {
            if (_refreshes.TryGetValue(customerId, out var running)) return running;
            var outcome = new TaskCompletionSource<AccessOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_refreshes.TryAdd(customerId, outcome.Task)) continue;
            // Not the first caller's work: none of its request context (HttpContext, its cancellation) comes along.
            using (ExecutionContext.SuppressFlow())
                _ = Task.Run(async () =>
                {
                    var result = new AccessOutcome(null, TokenRefresher.GoogleNotAnswering);
                    try
                    {
                        result = await refresh();
                    }
                    finally
                    {
                        // Gone before the outcome is out: a caller that was handed a token Google had just refused can start
                        // another. Done even if refresh broke its promise and threw: no caller may wait on a refresh forever.
                        _refreshes.TryRemove(new KeyValuePair<string, Task<AccessOutcome>>(customerId, outcome.Task));
                        outcome.SetResult(result);
                    }
                });
            return outcome.Task;
        }
    }
}

/// <summary>
/// Spec "Renovación Automática": hands out a valid access token per customer, refreshing it shortly before it
/// expires. One refresh per customer is in flight (in this process a shared task, across replicas a database lease,
/// see <see cref="TokenRefresher"/>), and everyone waiting gets its outcome. After a failed refresh no token request
/// is made for the customer during a short back-off, recorded in the database: callers get the current token while
/// it is still valid, else <c>calendar_unavailable</c> at once. <c>invalid_grant</c> marks the connection
/// <c>needs_reauthorization</c>. Each caller waits only as long as its own cancellation allows.
/// </summary>
public sealed class CalendarConnections(ConnectionCache cache, TokenRefresher refresher, TokenStore tokens)
{
    public async Task<(CalendarAccess? Access, CalendarProblem? Problem)> GetAccessAsync(string customerId, CancellationToken cancellationToken)
    {
        if (cache.TryGet(customerId, out var cached) && cached.Status == ConnectionStatus.Connected)
        {
            if (refresher.IsFresh(cached)) return (TokenRefresher.ToAccess(cached), null);
            // A refresh failed a moment ago, here or on a replica whose record we read: no token request until the back-off ends.
            if (refresher.InBackoff(cached)) return refresher.DuringBackoff(cached, rejectedAccessToken: null).AsTuple();
        }

        return await RefreshSharedAsync(customerId, rejectedAccessToken: null, cancellationToken);
    }

    /// <summary>Google rejected <paramref name="rejectedAccessToken"/> (401): refresh once, unless someone already did.</summary>
    public async Task<(CalendarAccess? Access, CalendarProblem? Problem)> RenewAfterRejectionAsync(string customerId, string rejectedAccessToken,
        CancellationToken cancellationToken)
    {
        if (cache.TryGet(customerId, out var cached) && cached.Status == ConnectionStatus.Connected)
        {
            if (cached.AccessToken != rejectedAccessToken && refresher.IsFresh(cached)) return (TokenRefresher.ToAccess(cached), null);
            if (refresher.InBackoff(cached)) return refresher.DuringBackoff(cached, rejectedAccessToken).AsTuple();
        }

        return await RefreshSharedAsync(customerId, rejectedAccessToken, cancellationToken);
    }

    /// <summary>
    /// The connected calendar as stored here (email, time zone), from the cache or the database: no access token, no
    /// refresh, no Google. Not connected, needs re-authorization or unreadable tokens come back as the problem.
    /// </summary>
    public async Task<(CalendarConnection? Connection, CalendarProblem? Problem)> GetConnectionAsync(string customerId, CancellationToken cancellationToken)
    {
        if (!cache.TryGet(customerId, out var grant) || grant.Status != ConnectionStatus.Connected)
        {
            var (stored, problem) = await refresher.ReadAsync(customerId, cancellationToken);
            if (stored is null) return (null, problem);
            grant = stored;
        }

        return (new CalendarConnection(grant.CustomerId, grant.CalendarEmail, grant.TimeZone), null);
    }

    public async Task RememberTimeZoneAsync(string customerId, string timeZone, CancellationToken cancellationToken)
    {
        await tokens.SaveTimeZoneAsync(customerId, timeZone, cancellationToken);
        if (cache.TryGet(customerId, out var cached)) cache.Set(cached with { TimeZone = timeZone });
    }

    private async Task<(CalendarAccess?, CalendarProblem?)> RefreshSharedAsync(string customerId, string? rejectedAccessToken,
        CancellationToken cancellationToken)
    {
        var outcome = await cache.JoinRefresh(customerId, () => refresher.RunAsync(customerId, rejectedAccessToken)).WaitAsync(cancellationToken);
        // The refresh we joined began before Google refused this token, and found it still good: one more, which knows.
        if (rejectedAccessToken is not null && outcome.Access?.AccessToken == rejectedAccessToken)
            outcome = await cache.JoinRefresh(customerId, () => refresher.RunAsync(customerId, rejectedAccessToken)).WaitAsync(cancellationToken);
        return outcome.AsTuple();
    }
}
