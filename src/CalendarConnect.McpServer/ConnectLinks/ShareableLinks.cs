using CalendarConnect.McpServer.Configuration;
using CalendarConnect.McpServer.OAuth;
using CalendarConnect.McpServer.Storage;
using CalendarConnect.McpServer.TokenVault;
using Dapper;
using Microsoft.Extensions.Options;

namespace CalendarConnect.McpServer.ConnectLinks;

public sealed record ShareableLink(string Url, DateTimeOffset ExpiresAt);

/// <summary>A live shareable link's company, found by the link's token.</summary>
public sealed record ShareableLinkTarget(string CustomerId, string? CustomerEmail, string LinkHash);

/// <summary>
/// Spec step 3, option B ("Copiar link"): a link the admin can send by email or WhatsApp. Unlike Google's
/// authorization URL (30 minutes, one use), it lives for days, works any number of times — each visit mints a
/// fresh state and PKCE — and dies when the company connects or the admin revokes it. Only its SHA-256 is stored.
/// </summary>
public sealed class ShareableLinks(TokenDatabase database, IOptions<McpServerSettings> options, TimeProvider time)
{
    private readonly McpServerSettings _settings = options.Value;

    public async Task<ShareableLink> CreateAsync(string customerId, string? customerEmail, CancellationToken cancellationToken)
    {
        var token = OAuthRandom.NewState();
        var now = time.GetUtcNow();
        var expiresAt = now.Add(_settings.ShareableLinkLifetime);
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            """
            INSERT INTO connect_links (link_hash, customer_id, customer_email, created_at, expires_at)
            VALUES (@hash, @customerId, @customerEmail, @now, @expiresAt)
            """,
            new { hash = AuthorizationStates.Hash(token), customerId, customerEmail, now = IsoUtc.Format(now), expiresAt = IsoUtc.Format(expiresAt) });
        return new ShareableLink(new Uri(_settings.PublicBaseUri, "connect/" + token).ToString(), expiresAt);
    }

    /// <summary>The link's company while the link is alive (known, not expired, not revoked); null otherwise.</summary>
    public async Task<ShareableLinkTarget?> FindLiveAsync(string token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128) return null;
        var hash = AuthorizationStates.Hash(token);
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<LinkRow>(
            "SELECT customer_id, customer_email, expires_at, revoked_at FROM connect_links WHERE link_hash = @hash", new { hash });
        if (row is null || row.revoked_at is not null) return null;
        if ((TokenStore.ParseTimestamp(row.expires_at) ?? DateTimeOffset.MinValue) <= time.GetUtcNow()) return null;
        return new ShareableLinkTarget(row.customer_id, row.customer_email, hash);
    }

    /// <summary>Kills every live link of a customer: on connection ("dies once the calendar is connected") and on demand.</summary>
    public async Task<int> RevokeAllAsync(string customerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE connect_links SET revoked_at = @now WHERE customer_id = @customerId AND revoked_at IS NULL",
            new { customerId, now = IsoUtc.Format(time.GetUtcNow()) });
    }

#pragma warning disable IDE1006
    private sealed record LinkRow(string customer_id, string? customer_email, string expires_at, string? revoked_at);
#pragma warning restore IDE1006
}
