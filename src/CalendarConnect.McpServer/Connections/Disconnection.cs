using CalendarConnect.McpServer.ConnectLinks;
using CalendarConnect.McpServer.Mirror;
using CalendarConnect.McpServer.OAuth;
using CalendarConnect.McpServer.Storage;
using CalendarConnect.McpServer.TokenVault;
using Dapper;

namespace CalendarConnect.McpServer.Connections;

/// <summary>
/// Disconnects a company: stops its push channels and deletes its busy-time mirror, revokes the grant at Google (so the
/// refresh token is dead there too; when Google does not answer, <see cref="RevocationRetries"/> keeps trying), deletes the
/// tokens, kills its shareable links and pending authorizations. Safe to repeat.
/// </summary>
public sealed class Disconnection(TokenDatabase database, TokenStore tokens, GoogleOAuthClient oauth, PushChannels channels, CalendarMirror mirror,
    MirrorStore mirrorStore, ShareableLinks links, AuthorizationStates states, ConnectionCache cache, RevocationRetries revocations,
    ILogger<Disconnection> log)
{
    /// <returns>
    /// Whether Google confirmed the revocation (false when there was nothing to revoke or Google did not answer), and
    /// whether it is being retried in the background because Google did not answer (the grant may still be active there).
    /// </returns>
    public async Task<(bool RevokedAtGoogle, bool RevocationRetrying)> DisconnectAsync(string customerId, CancellationToken cancellationToken)
    {
        StoredGrant? grant = null;
        try
        {
            grant = await tokens.GetGrantAsync(customerId, cancellationToken);
        }
        catch (FernetException)
        {
            log.LogWarning("Disconnecting customer {CustomerId} whose tokens cannot be decrypted: nothing to revoke at Google", customerId);
        }

        // Channels are stopped while the grant still works (refreshed if need be); one that cannot be stopped dies at its expiration.
        if (grant is not null) await channels.StopAsync(await mirrorStore.ChannelsOfCompanyAsync(customerId, cancellationToken), cancellationToken);

        var revoked = false;
        var retrying = false;
        if (grant is not null)
        {
            // Revoking the refresh token ends the whole grant; the access token is the fallback.
            var token = grant.RefreshToken ?? grant.AccessToken;
            var outcome = await oauth.RevokeAsync(token, cancellationToken);
            revoked = outcome == RevokeOutcome.Revoked;
            if (outcome == RevokeOutcome.Failed)
            {
                // Kept (encrypted) before the tokens are deleted, so a crash in between loses nothing.
                await revocations.ScheduleAsync(customerId, token, grant.CalendarEmail, cancellationToken);
                retrying = true;
                log.LogWarning("Google did not confirm the revocation for customer {CustomerId}; the tokens are deleted and the revocation is retried in the background",
                    customerId);
            }
        }

        await using (var connection = await database.OpenAsync(cancellationToken))
            await connection.ExecuteAsync("DELETE FROM oauth_tokens WHERE customer_id = @customerId", new { customerId });
        await mirror.ForgetCompanyAsync(customerId, cancellationToken);
        await links.RevokeAllAsync(customerId, cancellationToken);
        await states.DeleteForCustomerAsync(customerId, cancellationToken);
        cache.Forget(customerId);
        log.LogInformation("Calendar disconnected for customer {CustomerId}", customerId);
        return (revoked, retrying);
    }
}
