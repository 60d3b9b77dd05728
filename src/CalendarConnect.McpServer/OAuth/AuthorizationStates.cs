using System.Security.Cryptography;
using System.Text;
using CalendarConnect.McpServer.Storage;
using CalendarConnect.McpServer.TokenVault;
using Dapper;

namespace CalendarConnect.McpServer.OAuth;

/// <summary>A pending authorization, found again by its state when Google sends the browser back.</summary>
/// <param name="LinkHash">The shareable link it was started from, if any.</param>
public sealed record PendingAuthorization(string CustomerId, string? CustomerEmail, string CodeVerifier, DateTimeOffset ExpiresAt,
    string? LinkHash = null);

/// <summary>
/// The <c>state → customer_id</c> map of the spec, kept in the database (not in memory) so any replica and
/// any restart can finish a flow. The state itself is never stored, only its SHA-256; the PKCE verifier is
/// Fernet-encrypted. A state is consumed atomically, so it works once, even with two callbacks at the same time.
/// </summary>
public sealed class AuthorizationStates(TokenDatabase database, Fernet fernet, TimeProvider time)
{
    public async Task SaveAsync(string state, string customerId, string? customerEmail, string codeVerifier, DateTimeOffset expiresAt,
        string? linkHash, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        // Expired states are swept here, on the (rare) write path, rather than by a timer.
        await connection.ExecuteAsync("DELETE FROM oauth_states WHERE expires_at < @cutoff",
            new { cutoff = TokenStore.Format(now.AddDays(-1)) });
        await connection.ExecuteAsync(
            """
            INSERT INTO oauth_states (state_hash, customer_id, customer_email, code_verifier, created_at, expires_at, link_hash)
            VALUES (@hash, @customerId, @customerEmail, @verifier, @now, @expiresAt, @linkHash)
            """,
            new
            {
                hash = Hash(state),
                customerId,
                customerEmail,
                verifier = fernet.Encrypt(codeVerifier),
                now = TokenStore.Format(now),
                expiresAt = TokenStore.Format(expiresAt),
                linkHash,
            });
    }

    /// <summary>Marks the state used and returns it; null when unknown, already used or expired.</summary>
    public async Task<PendingAuthorization?> ConsumeAsync(string state, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(state) || state.Length > 512) return null;
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<StateRow>(
            """
            UPDATE oauth_states SET used_at = @now
            WHERE state_hash = @hash AND used_at IS NULL
            RETURNING customer_id, customer_email, code_verifier, expires_at, link_hash
            """,
            new { hash = Hash(state), now = TokenStore.Format(now) });
        if (row is null) return null;
        var expiresAt = TokenStore.ParseTimestamp(row.expires_at) ?? DateTimeOffset.MinValue;
        if (expiresAt <= now) return null;
        try
        {
            return new PendingAuthorization(row.customer_id, row.customer_email, fernet.DecryptToString(row.code_verifier), expiresAt, row.link_hash);
        }
        catch (FernetException)
        {
            // Written under a key that is no longer configured: the flow cannot be finished; a new link can.
            return null;
        }
    }

    /// <summary>Forgets the pending authorizations of a customer (on disconnection): their callbacks will find nothing.</summary>
    public async Task DeleteForCustomerAsync(string customerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM oauth_states WHERE customer_id = @customerId", new { customerId });
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

#pragma warning disable IDE1006
    private sealed record StateRow(string customer_id, string? customer_email, string code_verifier, string expires_at, string? link_hash);
#pragma warning restore IDE1006
}

/// <summary>Random values for the flow: state and PKCE (RFC 7636, S256), url-safe base64 without padding.</summary>
public static class OAuthRandom
{
    /// <summary>256 random bits; far above the 128 the design asks.</summary>
    public static string NewState() => Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>43 characters from 32 random bytes, the RFC's recommended verifier.</summary>
    public static string NewCodeVerifier() => Encode(RandomNumberGenerator.GetBytes(32));

    public static string CodeChallenge(string verifier) => Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
