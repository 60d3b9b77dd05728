using System.Text.Json.Serialization;
using CalendarConnect.McpServer.Storage;
using Dapper;

namespace CalendarConnect.McpServer.OAuth;

/// <summary>A company's latest sign-in with another Google account than the one expected: which account, and when.</summary>
public sealed record AccountAttempt(
    [property: JsonPropertyName("account_email")] string AccountEmail,
    [property: JsonPropertyName("expected_email")] string ExpectedEmail,
    [property: JsonPropertyName("attempted_at")] DateTimeOffset AttemptedAt);

/// <summary>
/// Consents given with another Google account than the company's expected email (the one the admin typed). Such a
/// consent connects nothing and its tokens are dropped at the callback; only the attempt is kept here, one per company
/// (the latest), so the admin sees it in /clientes and may accept that account: then the company's live links and
/// pending authorizations expect it, and the company's next consent with it connects. Emails compare case-insensitively.
/// </summary>
public sealed class AccountAttempts(TokenDatabase database, TimeProvider time)
{
    /// <summary>Whether the consenting account is the expected one (Google may spell an address with other capitals).</summary>
    public static bool IsExpected(string accountEmail, string expectedEmail) =>
        string.Equals(accountEmail.Trim(), expectedEmail.Trim(), StringComparison.OrdinalIgnoreCase);

    public async Task RecordAsync(string customerId, string expectedEmail, string accountEmail, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO account_attempts (customer_id, expected_email, account_email, attempted_at)
            VALUES (@customerId, @expectedEmail, @accountEmail, @now)
            ON CONFLICT (customer_id) DO UPDATE SET
                expected_email = excluded.expected_email, account_email = excluded.account_email, attempted_at = excluded.attempted_at
            """,
            new { customerId, expectedEmail, accountEmail, now = IsoUtc.Format(time.GetUtcNow()) }, cancellationToken: cancellationToken));
    }

    /// <summary>The attempts of these companies (those that have one), in one query.</summary>
    public async Task<IReadOnlyDictionary<string, AccountAttempt>> OfCustomersAsync(IReadOnlyList<string> customerIds, CancellationToken cancellationToken)
    {
        if (customerIds.Count == 0) return new Dictionary<string, AccountAttempt>();
        var parameters = new DynamicParameters();
        var names = new List<string>();
        for (var i = 0; i < customerIds.Count; i++)
        {
            names.Add("@id" + i);
            parameters.Add("id" + i, customerIds[i]);
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AttemptRow>(new CommandDefinition(
            $"SELECT customer_id, expected_email, account_email, attempted_at FROM account_attempts WHERE customer_id IN ({string.Join(", ", names)})",
            parameters, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.customer_id,
            r => new AccountAttempt(r.account_email, r.expected_email, TokenVault.TokenStore.ParseTimestamp(r.attempted_at) ?? DateTimeOffset.MinValue), StringComparer.Ordinal);
    }

    /// <summary>Whether some company is connected with this Google account (the calendar's email, compared case-insensitively).</summary>
    public async Task<bool> IsConnectedForAnyCompanyAsync(string accountEmail, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var emails = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT calendar_email FROM oauth_tokens WHERE lower(calendar_email) = lower(@accountEmail)", new { accountEmail },
            cancellationToken: cancellationToken));
        return emails.Any(e => IsExpected(e, accountEmail));
    }

    /// <summary>Forgets the company's attempt: it connected with the expected account, or was disconnected.</summary>
    public async Task ClearAsync(string customerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM account_attempts WHERE customer_id = @customerId",
            new { customerId }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The admin accepts the attempt's account for the company: the attempt is gone, and the company's live shareable
    /// links and unused authorizations expect that account from now on, in one transaction. Null when the company has
    /// no attempt with <paramref name="accountEmail"/> (none, or a newer attempt with yet another account).
    /// </summary>
    /// <returns>The accepted account as Google spelled it.</returns>
    public async Task<string?> AcceptAsync(string customerId, string accountEmail, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var recorded = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT account_email FROM account_attempts WHERE customer_id = @customerId", new { customerId }, transaction,
            cancellationToken: cancellationToken));
        if (recorded is null || !IsExpected(recorded, accountEmail)) return null;
        // Deleted only if unchanged since read: a newer attempt with another account is not accepted in its place.
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM account_attempts WHERE customer_id = @customerId AND account_email = @recorded", new { customerId, recorded }, transaction,
            cancellationToken: cancellationToken));
        if (deleted == 0) return null;
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE connect_links SET customer_email = @recorded WHERE customer_id = @customerId AND revoked_at IS NULL",
            new { customerId, recorded }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE oauth_states SET customer_email = @recorded WHERE customer_id = @customerId AND used_at IS NULL",
            new { customerId, recorded }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return recorded;
    }

#pragma warning disable IDE1006 // Dapper maps columns by name
    private sealed record AttemptRow(string customer_id, string expected_email, string account_email, string attempted_at);
#pragma warning restore IDE1006
}
