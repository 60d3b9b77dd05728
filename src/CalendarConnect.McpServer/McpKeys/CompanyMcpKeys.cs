using System.Collections.Concurrent;
using System.Security.Cryptography;
using CalendarConnect.McpServer.OAuth;
using CalendarConnect.McpServer.Storage;
using CalendarConnect.McpServer.TokenVault;
using Dapper;

namespace CalendarConnect.McpServer.McpKeys;

public sealed record IssuedMcpKey(string KeyId, string CustomerId, string ApiKey, string? Label, DateTimeOffset CreatedAt);

public sealed record McpKeyInfo(string KeyId, string? Label, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>Who a company key belongs to.</summary>
public sealed record McpKeyOwner(string KeyId, string CustomerId);

/// <summary>
/// Per-company MCP keys: a company plugs its own MCP client into its own calendar, and only its own. Keys are
/// 256 random bits shown once at creation; only their SHA-256 is stored (a slow hash buys nothing for random keys).
/// Lookups are cached for a short time so a tool call does not pay a database read; a revocation here is
/// immediate, on other replicas within <see cref="CacheFor"/>.
/// </summary>
public sealed class CompanyMcpKeys(TokenDatabase database, TimeProvider time)
{
    public const string KeyPrefix = "ccmk_";
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (McpKeyOwner Owner, long CachedAt)> _byHash = new(StringComparer.Ordinal);
    private int _revocations;
    private readonly ConcurrentDictionary<string, long> _lastTouched = new(StringComparer.Ordinal);

    public static bool LooksLikeKey(string value) => value.StartsWith(KeyPrefix, StringComparison.Ordinal) && value.Length is > 20 and < 100;

    public async Task<IssuedMcpKey> IssueAsync(string customerId, string? label, CancellationToken cancellationToken)
    {
        var apiKey = KeyPrefix + OAuthRandom.NewState();
        var keyId = McpKeyIdRule.Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            "INSERT INTO mcp_keys (key_id, customer_id, key_hash, label, created_at) VALUES (@keyId, @customerId, @hash, @label, @now)",
            new { keyId, customerId, hash = AuthorizationStates.Hash(apiKey), label, now = IsoUtc.Format(now) });
        return new IssuedMcpKey(keyId, customerId, apiKey, label, now);
    }

    public async Task<IReadOnlyList<McpKeyInfo>> ListAsync(string customerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<KeyRow>(
            "SELECT key_id, label, created_at, last_used_at, revoked_at FROM mcp_keys WHERE customer_id = @customerId ORDER BY created_at, key_id",
            new { customerId });
        return rows.Select(r => new McpKeyInfo(r.key_id, r.label, TokenStore.ParseTimestamp(r.created_at) ?? DateTimeOffset.MinValue,
            TokenStore.ParseTimestamp(r.last_used_at), TokenStore.ParseTimestamp(r.revoked_at))).ToList();
    }

    /// <summary>False when the key does not exist for this customer (another company's key id included).</summary>
    public async Task<bool> RevokeAsync(string customerId, string keyId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var hash = await connection.QuerySingleOrDefaultAsync<string>(
            "SELECT key_hash FROM mcp_keys WHERE key_id = @keyId AND customer_id = @customerId", new { keyId, customerId });
        if (hash is null) return false;
        await connection.ExecuteAsync(
            "UPDATE mcp_keys SET revoked_at = COALESCE(revoked_at, @now) WHERE key_id = @keyId AND customer_id = @customerId",
            new { keyId, customerId, now = IsoUtc.Format(time.GetUtcNow()) });
        Interlocked.Increment(ref _revocations);
        _byHash.TryRemove(hash, out _);
        return true;
    }

    /// <summary>The owner of a live key, or null for an unknown or revoked one.</summary>
    public async Task<McpKeyOwner?> FindOwnerAsync(string apiKey, CancellationToken cancellationToken)
    {
        var hash = AuthorizationStates.Hash(apiKey);
        if (_byHash.TryGetValue(hash, out var cached) && time.GetElapsedTime(cached.CachedAt) < CacheFor)
        {
            await TouchAsync(cached.Owner, cancellationToken);
            return cached.Owner;
        }

        var generation = Volatile.Read(ref _revocations);
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<OwnerRow>(
            "SELECT key_id, customer_id FROM mcp_keys WHERE key_hash = @hash AND revoked_at IS NULL", new { hash });
        // Unknown keys are not cached: anyone can send random ones, and caching them would grow memory without bound.
        if (row is null) return null;
        var owner = new McpKeyOwner(row.key_id, row.customer_id);
        // A revocation that happened while we were reading must not be undone by caching what we read before it.
        if (generation == Volatile.Read(ref _revocations)) _byHash[hash] = (owner, time.GetTimestamp());
        await TouchAsync(owner, cancellationToken);
        return owner;
    }

    /// <summary>Records last use at most once a minute per key: a hint for the admin, not worth a write per call.</summary>
    private async Task TouchAsync(McpKeyOwner owner, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (_lastTouched.TryGetValue(owner.KeyId, out var last) && time.GetElapsedTime(last, now) < TouchEvery) return;
        _lastTouched[owner.KeyId] = now;
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE mcp_keys SET last_used_at = @now WHERE key_id = @keyId",
            new { keyId = owner.KeyId, now = IsoUtc.Format(time.GetUtcNow()) });
    }

#pragma warning disable IDE1006
    private sealed record KeyRow(string key_id, string? label, string created_at, string? last_used_at, string? revoked_at);

    private sealed record OwnerRow(string key_id, string customer_id);
#pragma warning restore IDE1006
}
