using CalendarConnect.McpServer.Http;
using NodaTime;

namespace CalendarConnect.McpServer.Mirror;

/// <summary>
/// <c>POST /google/notifications</c>: Google's push messages for the channels we opened (GOOGLE_PUSH_URL is its public
/// address). A message carries no data, only "something changed" in its headers; it is believed only with the channel's
/// own token, and answered at once — the sync it asks for runs in the background, on whichever replica takes the
/// calendar's lease. Public (Google does not authenticate), so it says nothing about what it knows to a stranger.
/// </summary>
public static class GoogleNotificationEndpoints
{
    public const string Path = "/google/notifications";

    /// <summary>Our channel ids are 32 hex characters and tokens 43; anything much longer is not ours.</summary>
    private const int MaxHeaderLength = 256;

    public static IEndpointRouteBuilder MapGoogleNotifications(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(Path, ReceiveAsync);
        return routes;
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, MirrorStore store, MirrorSignals signals, TimeProvider time,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var headers = request.Headers;
        string? channelId = headers["X-Goog-Channel-ID"], token = headers["X-Goog-Channel-Token"], resourceId = headers["X-Goog-Resource-ID"],
            state = headers["X-Goog-Resource-State"];
        if (string.IsNullOrEmpty(channelId) || string.IsNullOrEmpty(state) || channelId.Length > MaxHeaderLength || token?.Length > MaxHeaderLength)
            return Problems.BadRequest("Not a Google push notification: X-Goog-Channel-ID and X-Goog-Resource-State are required.");

        var log = loggers.CreateLogger("CalendarConnect.McpServer.Mirror.GoogleNotifications");
        var channel = await store.GetChannelAsync(channelId, cancellationToken);
        // An unknown channel, a wrong token or another resource: the same answer, so a guesser learns nothing.
        if (channel is null || !PushChannels.TokenMatches(token, channel.TokenHash) || channel.ResourceId is not null && channel.ResourceId != resourceId)
        {
            log.LogDebug("Ignored a push notification for a channel that is not open here (or with the wrong token)");
            return TypedResults.NotFound();
        }

        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        // Google's messages reach us: reads may lean on this channel.
        if (channel.ConfirmedAt is null) await store.SetChannelConfirmedAsync(channel, now, cancellationToken);
        switch (state)
        {
            case "sync":
                // Sent once when the channel opens; nothing changed.
                return TypedResults.Ok();
            case "exists" or "not_exists":
                await store.MarkDirtyAsync(channel.CustomerId, channel.CalendarId, now, cancellationToken);
                signals.Wake();
                return TypedResults.Ok();
            default:
                return Problems.BadRequest("X-Goog-Resource-State must be sync, exists or not_exists.");
        }
    }
}
