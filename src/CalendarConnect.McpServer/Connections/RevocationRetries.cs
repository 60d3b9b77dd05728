using CalendarConnect.McpServer.OAuth;
using CalendarConnect.McpServer.Storage;
using CalendarConnect.McpServer.TokenVault;
using Dapper;

namespace CalendarConnect.McpServer.Connections;

/// <summary>
/// Revocations Google did not confirm when a company was disconnected (issue 11, item 8): kept in pending_revocations
/// (the token Fernet-encrypted), so that a restart or another replica keeps trying, and retried by
/// <see cref="RevocationRetryWorker"/> after 1, 2, 4… minutes (at most an hour apart), <see cref="MaxAttempts"/> times in
/// all, then dropped with a warning. Dropped at once when Google confirms, when the token is already dead, or when its
/// Google account is connected again here (for this or another company): Google ends a user's whole grant to our client,
/// and revoking would cut that connection too.
/// </summary>
public sealed class RevocationRetries(TokenDatabase database, Fernet fernet, GoogleOAuthClient oauth, AccountAttempts accounts, TimeProvider time,
    ILogger<RevocationRetries> log)
{
    /// <summary>Attempts in all, the one made at disconnection included.</summary>
    public const int MaxAttempts = 8;

    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    /// <summary>How long a replica holds a revocation it is trying, so no other one tries it at the same time.</summary>
    private static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);

    private const int BatchSize = 20;

    /// <summary>The wait after the <paramref name="attempts"/>-th failed attempt: 1 minute, doubling, at most an hour.</summary>
    public static TimeSpan DelayAfter(int attempts) =>
        TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, FirstRetryDelay.Ticks << Math.Clamp(attempts - 1, 0, 20)));

    /// <summary>Records a revocation whose first attempt failed; the next one is due after <see cref="DelayAfter"/>(1).</summary>
    public async Task ScheduleAsync(string customerId, string token, string? accountEmail, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO pending_revocations (revocation_id, customer_id, account_email, token, attempts, next_attempt_at, created_at)
            VALUES (@id, @customerId, @accountEmail, @token, 1, @next, @now)
            """,
            new
            {
                id = Guid.NewGuid().ToString("N"), customerId, accountEmail, token = fernet.Encrypt(token),
                next = IsoUtc.Format(now.Add(DelayAfter(1))), now = IsoUtc.Format(now),
            }, cancellationToken: cancellationToken));
    }

    /// <summary>Tries every revocation that is due (a batch at a time); returns how many were tried.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<DueRow> due;
        await using (var connection = await database.OpenAsync(cancellationToken))
            due = (await connection.QueryAsync<DueRow>(new CommandDefinition(
                $"""
                SELECT revocation_id, customer_id, account_email, token, attempts, next_attempt_at
                FROM pending_revocations WHERE next_attempt_at <= @now ORDER BY next_attempt_at LIMIT {BatchSize}
                """,
                new { now = IsoUtc.Format(now) }, cancellationToken: cancellationToken))).ToList();

        var tried = 0;
        foreach (var row in due)
        {
            if (!await ClaimAsync(row, now, cancellationToken)) continue; // another replica is on it
            tried++;
            await TryAsync(row, cancellationToken);
        }

        return tried;
    }

    private async Task TryAsync(DueRow row, CancellationToken cancellationToken)
    {
        if (row.account_email is not null && await accounts.IsConnectedForAnyCompanyAsync(row.account_email, cancellationToken))
        {
            log.LogInformation("Revocation for customer {CustomerId} dropped: its Google account is connected again here", row.customer_id);
            await DeleteAsync(row, cancellationToken);
            return;
        }

        string token;
        try
        {
            token = fernet.DecryptToString(row.token);
        }
        catch (FernetException)
        {
            log.LogWarning("Revocation for customer {CustomerId} dropped: its token was encrypted with a key no longer configured", row.customer_id);
            await DeleteAsync(row, cancellationToken);
            return;
        }

        var outcome = await oauth.RevokeAsync(token, cancellationToken);
        var attempts = (int)row.attempts + 1;
        if (outcome != RevokeOutcome.Failed)
        {
            log.LogInformation("Google confirmed the revocation for customer {CustomerId} at attempt {Attempt}", row.customer_id, attempts);
            await DeleteAsync(row, cancellationToken);
        }
        else if (attempts >= MaxAttempts)
        {
            log.LogWarning("Google did not confirm the revocation for customer {CustomerId} after {Attempts} attempts: giving up; the grant may still be active at Google",
                row.customer_id, attempts);
            await DeleteAsync(row, cancellationToken);
        }
        else
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE pending_revocations SET attempts = @attempts, next_attempt_at = @next WHERE revocation_id = @id",
                new { id = row.revocation_id, attempts, next = IsoUtc.Format(time.GetUtcNow().Add(DelayAfter(attempts))) },
                cancellationToken: cancellationToken));
        }
    }

    /// <summary>Moves the row's due time past the lease, only if no one else did since it was read.</summary>
    private async Task<bool> ClaimAsync(DueRow row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE pending_revocations SET next_attempt_at = @lease WHERE revocation_id = @id AND next_attempt_at = @seen",
            new { id = row.revocation_id, seen = row.next_attempt_at, lease = IsoUtc.Format(now.Add(ClaimLease)) },
            cancellationToken: cancellationToken)) == 1;
    }

    private async Task DeleteAsync(DueRow row, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM pending_revocations WHERE revocation_id = @id",
            new { id = row.revocation_id }, cancellationToken: cancellationToken));
    }

    // Properties, not a constructor: Dapper then converts attempts whatever integer type the engine hands over (and SQLite
    // describes an empty result's computed columns as blobs, which no constructor matches).
#pragma warning disable IDE1006 // Dapper maps columns by name
    private sealed class DueRow
    {
        public string revocation_id { get; init; } = "";
        public string customer_id { get; init; } = "";
        public string? account_email { get; init; }
        public string token { get; init; } = "";
        public long attempts { get; init; }
        public string next_attempt_at { get; init; } = "";
    }
#pragma warning restore IDE1006
}

/// <summary>Runs <see cref="RevocationRetries"/> every 30 seconds (on the service's clock), from start-up on.</summary>
public sealed class RevocationRetryWorker(IServiceScopeFactory scopes, TimeProvider time, ILogger<RevocationRetryWorker> log) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<RevocationRetries>().RunDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database or Google unreachable: the next pass tries again. One line, no stack trace.
                log.LogWarning("Pending revocations could not be processed ({Error}); trying again in {Seconds} s", e.GetType().Name, (int)PollInterval.TotalSeconds);
            }

            try
            {
                await Task.Delay(PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
