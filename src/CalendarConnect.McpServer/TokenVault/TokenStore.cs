using System.Globalization;
using CalendarConnect.McpServer.Storage;
using Dapper;

namespace CalendarConnect.McpServer.TokenVault;

/// <summary>Connection health as stored with the tokens; also the <c>status</c> field of the status endpoints.</summary>
/// <summary>
/// A customer's decrypted grant. Lives only in memory of this process; never logged or returned.
/// <see cref="RefreshFailures"/> and <see cref="RefreshBackoffUntil"/> are the refresh back-off: failed refreshes in a
/// row, and the time before which no new token request is made for this customer.
/// </summary>
public sealed record StoredGrant(
    string CustomerId,
    string AccessToken,
    string? RefreshToken,
    DateTimeOffset TokenExpiry,
    string? CalendarEmail,
    string? TimeZone,
    string Status,
    string? LastError,
    int RefreshFailures = 0,
    DateTimeOffset? RefreshBackoffUntil = null);

/// <summary>What may be shown about a connection: no token material.</summary>
public sealed record ConnectionSummary(string CustomerId, string Status, string? CalendarEmail, string? CustomerEmail, string? LastError,
    DateTimeOffset? UpdatedAt)
{
    /// <summary>Another Google account than the one the admin entered consented (worth showing: it may be a mistake).</summary>
    public bool AccountMismatch => CalendarEmail is not null && CustomerEmail is not null &&
        !string.Equals(CalendarEmail, CustomerEmail, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The <c>oauth_tokens</c> table (spec box <c>token_store.py</c>): both tokens are Fernet tokens (gAAAAA…)
/// readable by Python's cryptography with the same key, timestamps are ISO 8601 UTC.
/// </summary>
public sealed class TokenStore(TokenDatabase database, Fernet fernet, TimeProvider time)
{
    /// <summary>
    /// Saves a new grant from a code exchange, replacing any earlier one whole: its refresh token belongs to the
    /// old consent (maybe another Google account) and must never be paired with the new access token.
    /// </summary>
    public async Task SaveGrantAsync(string customerId, string accessToken, string? refreshToken, DateTimeOffset expiry,
        string? calendarEmail, string? customerEmail, string? timeZone, CancellationToken cancellationToken)
    {
        var now = Format(time.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO oauth_tokens (customer_id, access_token, refresh_token, token_expiry, calendar_email, created_at, updated_at, status, last_error, time_zone, customer_email)
            VALUES (@customerId, @access, @refresh, @expiry, @calendarEmail, @now, @now, 'connected', NULL, @timeZone, @customerEmail)
            ON CONFLICT (customer_id) DO UPDATE SET
                access_token = excluded.access_token,
                refresh_token = excluded.refresh_token,
                token_expiry = excluded.token_expiry,
                calendar_email = excluded.calendar_email,
                updated_at = excluded.updated_at,
                status = 'connected',
                last_error = NULL,
                time_zone = excluded.time_zone,
                customer_email = excluded.customer_email,
                refresh_failures = 0,
                refresh_backoff_until = NULL
            """,
            new
            {
                customerId,
                access = fernet.Encrypt(accessToken),
                refresh = refreshToken is null ? null : fernet.Encrypt(refreshToken),
                expiry = Format(expiry),
                calendarEmail,
                customerEmail,
                now,
                timeZone,
            });
    }

    public async Task<StoredGrant?> GetGrantAsync(string customerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TokenRow>(
            """
            SELECT customer_id, access_token, refresh_token, token_expiry, calendar_email, time_zone, status, last_error,
                CAST(refresh_failures AS BIGINT) AS refresh_failures, refresh_backoff_until
            FROM oauth_tokens WHERE customer_id = @customerId
            """,
            new { customerId });
        if (row is null) return null;
        return new StoredGrant(
            row.customer_id,
            fernet.DecryptToString(row.access_token),
            string.IsNullOrEmpty(row.refresh_token) ? null : fernet.DecryptToString(row.refresh_token),
            ParseTimestamp(row.token_expiry) ?? DateTimeOffset.MinValue,
            row.calendar_email,
            row.time_zone,
            row.status ?? ConnectionStatus.Connected,
            row.last_error,
            (int)row.refresh_failures,
            ParseTimestamp(row.refresh_backoff_until));
    }

    public async Task SaveRefreshedAsync(string customerId, string accessToken, string? newRefreshToken, DateTimeOffset expiry, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            UPDATE oauth_tokens SET access_token = @access, refresh_token = COALESCE(@refresh, refresh_token),
                token_expiry = @expiry, updated_at = @now, status = 'connected', last_error = NULL,
                refresh_failures = 0, refresh_backoff_until = NULL
            WHERE customer_id = @customerId
            """,
            new
            {
                customerId,
                access = fernet.Encrypt(accessToken),
                refresh = newRefreshToken is null ? null : fernet.Encrypt(newRefreshToken),
                expiry = Format(expiry),
                now = Format(time.GetUtcNow()),
            });
    }

    /// <summary>The calendar's zone as stored at connection, whatever the connection's status (no token is read or decrypted).</summary>
    public async Task<string?> GetStoredTimeZoneAsync(string customerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string?>("SELECT time_zone FROM oauth_tokens WHERE customer_id = @customerId", new { customerId });
    }

    public async Task SaveTimeZoneAsync(string customerId, string timeZone, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE oauth_tokens SET time_zone = @timeZone WHERE customer_id = @customerId", new { customerId, timeZone });
    }

    /// <summary>A refresh failed for a reason that may pass (Google unreachable, 5xx, 429): no token request before <paramref name="backoffUntil"/>.</summary>
    public async Task SaveRefreshFailureAsync(string customerId, int failures, DateTimeOffset backoffUntil, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE oauth_tokens SET refresh_failures = @failures, refresh_backoff_until = @until WHERE customer_id = @customerId",
            new { customerId, failures, until = Format(backoffUntil) });
    }

    public async Task MarkNeedsReauthorizationAsync(string customerId, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE oauth_tokens SET status = @status, last_error = @reason, updated_at = @now WHERE customer_id = @customerId",
            new { customerId, status = ConnectionStatus.NeedsReauthorization, reason, now = Format(time.GetUtcNow()) });
    }

    public async Task<ConnectionSummary> GetSummaryAsync(string customerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SummaryRow>(
            "SELECT customer_id, status, calendar_email, customer_email, last_error, updated_at FROM oauth_tokens WHERE customer_id = @customerId",
            new { customerId });
        return row is null
            ? new ConnectionSummary(customerId, ConnectionStatus.NotConnected, null, null, null, null)
            : new ConnectionSummary(row.customer_id, row.status ?? ConnectionStatus.Connected, row.calendar_email, row.customer_email, row.last_error,
                ParseTimestamp(row.updated_at));
    }

    /// <summary>Summaries of many customers in one query, in the order asked; unknown ones are not connected.</summary>
    public async Task<IReadOnlyList<ConnectionSummary>> GetSummariesAsync(IReadOnlyList<string> customerIds, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // One parameter per id: portable across SQLite and PostgreSQL, and bounded by the caller (100 at most).
        var parameters = new DynamicParameters();
        var names = new List<string>();
        for (var i = 0; i < customerIds.Count; i++)
        {
            names.Add("@id" + i);
            parameters.Add("id" + i, customerIds[i]);
        }

        var rows = (await connection.QueryAsync<SummaryRow>(
                $"SELECT customer_id, status, calendar_email, customer_email, last_error, updated_at FROM oauth_tokens WHERE customer_id IN ({string.Join(", ", names)})",
                parameters))
            .ToDictionary(r => r.customer_id, StringComparer.Ordinal);
        return customerIds.Select(id => rows.TryGetValue(id, out var row)
                ? new ConnectionSummary(row.customer_id, row.status ?? ConnectionStatus.Connected, row.calendar_email, row.customer_email, row.last_error,
                    ParseTimestamp(row.updated_at))
                : new ConnectionSummary(id, ConnectionStatus.NotConnected, null, null, null, null))
            .ToList();
    }

    /// <summary>How many companies have each connection status (a row without one is connected, as in <see cref="GetSummaryAsync"/>); for telemetry.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string status, long companies)>(
            "SELECT COALESCE(status, @connected) AS status, COUNT(*) AS companies FROM oauth_tokens GROUP BY COALESCE(status, @connected)",
            new { connected = ConnectionStatus.Connected });
        return rows.ToDictionary(r => r.status, r => r.companies, StringComparer.Ordinal);
    }

    /// <summary>ISO 8601 UTC with a Z, the spec's format ('2025-01-20T12:00:00Z').</summary>
    public static string Format(DateTimeOffset value) => IsoUtc.Format(value);

    /// <summary>Lenient: rows from the Python system may carry microseconds, a space separator or no zone (UTC).</summary>
    public static DateTimeOffset? ParseTimestamp(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;

    // Dapper maps columns by name; snake_case members keep the SQL honest. Integers are read as BIGINT, which both engines
    // hand over as long (a constructor parameter must match the column's type exactly).
#pragma warning disable IDE1006
    private sealed record TokenRow(string customer_id, string access_token, string? refresh_token, string? token_expiry,
        string? calendar_email, string? time_zone, string? status, string? last_error, long refresh_failures, string? refresh_backoff_until);

    private sealed record SummaryRow(string customer_id, string? status, string? calendar_email, string? customer_email, string? last_error, string? updated_at);
#pragma warning restore IDE1006
}
