using System.Security.Cryptography;
using System.Text;
using CalendarConnect.McpServer.Configuration;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.McpServer.OAuth;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CalendarConnect.McpServer.Mirror;

/// <summary>
/// Google push channels (events.watch) for mirrored calendars, when GOOGLE_PUSH_URL is set: one open per calendar,
/// renewed before it expires (Google cannot list channels, so we keep them in <c>mirror_channels</c>), stopped when no
/// longer wanted. Each channel has its own random token, stored only as a hash; a notification is believed only with it.
/// Runs under the calendar's sync lease, so replicas never open two at once.
/// </summary>
public sealed class PushChannels(MirrorStore store, CompanyCalendar calendar, GoogleCalendarClient google, MirrorPolicy policy,
    IOptions<McpServerSettings> settings, TimeProvider time, ILogger<PushChannels> log)
{
    private readonly string? _address = settings.Value.GooglePushUrl;

    /// <summary>
    /// Opens or renews the calendar's channel when due and stops the ones it replaces. Tells whether a confirmed channel
    /// (one whose notifications proved to reach us) is open now, and by when this must run again (the renewal, or the
    /// next try after a refusal) whatever else the schedule says.
    /// </summary>
    public async Task<(bool Pushing, Instant? MaintainBy)> MaintainAsync(CalendarSyncState state, string holder, CancellationToken cancellationToken)
    {
        var now = Now;
        var channels = await store.ChannelsOfAsync(state.CustomerId, state.CalendarId, cancellationToken);
        if (_address is null)
        {
            // Push was turned off: the channels we had are not wanted any more.
            await StopAsync(channels, cancellationToken);
            return (false, null);
        }

        // Expired ones, and ones recorded but never answered by Google (the process stopped in between).
        var unanswered = now - Duration.FromTimeSpan(policy.SyncLease);
        foreach (var dead in channels.Where(c => c.ExpiresAt is { } at && at <= now || c.ExpiresAt is null && c.CreatedAt < unanswered))
            await store.DeleteChannelAsync(dead.ChannelId);
        var live = channels.Where(c => c.ExpiresAt is { } at && at > now).ToList();
        var renewAhead = Duration.FromTimeSpan(policy.RenewChannelBefore);
        var retryAt = state.WatchRetryAt;
        if (!live.Any(c => c.ExpiresAt > now + renewAhead) && !(retryAt > now))
        {
            if (await OpenAsync(state, holder, cancellationToken) is { } opened)
            {
                await StopAsync(live, cancellationToken);
                live = [opened];
            }
            else retryAt = now + Duration.FromTimeSpan(policy.WatchRetryAfter);
        }

        var pushing = live.Any(c => c.ConfirmedAt is not null && c.ExpiresAt > now);
        var renewAt = live.Count > 0 ? live.Max(c => c.ExpiresAt!.Value) - renewAhead : (Instant?)null;
        return (pushing, renewAt ?? retryAt);
    }

    private async Task<MirrorChannel?> OpenAsync(CalendarSyncState state, string holder, CancellationToken cancellationToken)
    {
        var channelId = Guid.NewGuid().ToString("N");
        var token = OAuthRandom.NewState();
        var pending = new MirrorChannel(channelId, state.CustomerId, state.CalendarId, HashToken(token), null, null, null, Now);
        // Recorded first: Google's "sync" message may arrive before its answer does. Not at all once the lease is lost.
        if (!await store.AddChannelAsync(pending, holder, cancellationToken)) return null;
        var (channel, refusal, problem) = await calendar.EventCallAsync(state.CustomerId,
            (accessToken, ct) => google.WatchEventsAsync(accessToken, state.CalendarId, channelId, _address!, token, policy.ChannelTimeToLive, ct),
            cancellationToken);
        if (channel is not null && long.TryParse(channel.Expiration, out var expirationMs))
        {
            var opened = pending with { ResourceId = channel.ResourceId, ExpiresAt = Instant.FromUnixTimeMilliseconds(expirationMs) };
            if (!await store.OpenedChannelAsync(opened, channel.ResourceId, opened.ExpiresAt.Value, cancellationToken))
            {
                // The company was forgotten (disconnected, connected again) while Google opened it: nobody wants it.
                await StopAsync([opened], cancellationToken);
                return null;
            }

            log.LogInformation("Push channel opened for calendar {CalendarId} of customer {CustomerId}, until {Expiration}", state.CalendarId,
                state.CustomerId, opened.ExpiresAt);
            return opened;
        }

        var retryAt = Now + Duration.FromTimeSpan(policy.WatchRetryAfter);
        await store.FailedChannelAsync(channelId, state.CustomerId, state.CalendarId, retryAt);
        log.LogWarning("Google did not open a push channel for calendar {CalendarId} of customer {CustomerId} ({Reason}); polling it, trying again at {RetryAt}",
            state.CalendarId, state.CustomerId, Reason(refusal, problem), retryAt);
        return null;
    }

    /// <summary>Stops channels at Google (best effort: one that cannot be stopped expires by itself) and forgets them.</summary>
    public async Task StopAsync(IEnumerable<MirrorChannel> channels, CancellationToken cancellationToken)
    {
        foreach (var channel in channels)
        {
            if (channel.ResourceId is { } resourceId && channel.ExpiresAt > Now)
            {
                var (_, refusal, problem) = await calendar.EventCallAsync(channel.CustomerId,
                    (accessToken, ct) => google.StopChannelAsync(accessToken, channel.ChannelId, resourceId, ct), cancellationToken);
                if (problem is not null || refusal is not null)
                    log.LogInformation("Push channel {ChannelId} of customer {CustomerId} could not be stopped ({Reason}); it expires at {Expiration}",
                        channel.ChannelId, channel.CustomerId, Reason(refusal, problem), channel.ExpiresAt);
            }

            await store.DeleteChannelAsync(channel.ChannelId);
        }
    }

    private static string Reason(GoogleApiException? refusal, Connections.CalendarProblem? problem) =>
        refusal is not null ? $"Google answered {(int)refusal.Status} {refusal.Reason}".TrimEnd() : problem?.Code ?? "an unreadable answer";

    /// <summary>SHA-256 of a channel token, hex: what is stored and compared (in constant time) when a notification comes.</summary>
    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool TokenMatches(string? presented, string storedHash) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashToken(presented)), Encoding.ASCII.GetBytes(storedHash));

    private Instant Now => Instant.FromDateTimeOffset(time.GetUtcNow());
}
