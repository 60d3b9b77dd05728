using System.Globalization;
using System.Text.Json.Nodes;
using CalendarConnect.GoogleEmulator.Accounts;
using CalendarConnect.GoogleEmulator.Calendar;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.Push;

/// <summary>events.watch and channels.stop, validated like Google's.</summary>
public static class WatchEndpoints
{
    /// <summary>Google's limits for a channel id and token ("Maximum length: 64 characters", "256 characters").</summary>
    public const int MaxIdLength = 64;
    public const int MaxTokenLength = 256;

    /// <summary>POST /calendar/v3/calendars/{calendarId}/events/watch → api#channel; the first message (sync) follows the answer.</summary>
    public static async Task<IResult> Watch(string calendarId, HttpContext context, AccountStore accounts, PushChannels channels, TimeProvider clock)
    {
        var caller = ApiCaller.From(context);
        if (!caller.CanReadEvents) return ApiError.InsufficientPermissions("calendar.v3.Events.Watch");
        if (!caller.Owns(calendarId) || accounts.Snapshot(caller.Email) is not { } calendar) return ApiError.NotFound;
        // events.watch takes events.list's parameters and refuses the same ones (recorded: a stale syncToken is 410 here too).
        if (EventsQuery.Parse(context.Request.Query, out var invalidQuery) is not { } query) return invalidQuery!;
        if (query.Sync is { } sync && (sync.Epoch != calendar.SyncEpoch || sync.ChangeCount > calendar.ChangeCount)) return ApiError.FullSyncRequired;

        var (body, parseError) = await JsonBody.ReadObjectAsync(context.Request);
        if (body is null) return parseError!;
        if (Text(body, "id") is not { } id) return ApiError.Required("Required");
        if (id.Length > MaxIdLength) return ApiError.Invalid();
        if (Text(body, "type") is not { } type) return ApiError.Required("Required");
        if (type is not ("web_hook" or "webhook")) return ApiError.Invalid();
        if (Text(body, "address") is not { } address) return ApiError.Required("Required");
        if (!IsAllowedAddress(address, out var uri))
            return new ApiError(400, "push.webhookUrlNotHttps", $"WebHook callback must be HTTPS: {address}");
        var token = Text(body, "token");
        if (token?.Length > MaxTokenLength) return ApiError.Invalid();
        if (Expiration(body, clock.ToInstant()) is not { } expiration) return ApiError.Invalid();

        var resourceUri = $"{context.Request.Scheme}://{context.Request.Host}/calendar/v3/calendars/{Uri.EscapeDataString(calendarId)}/events?alt=json";
        var channel = channels.Open(new ChannelRequest(id, calendar.Email, caller.ClientId, calendarId, resourceUri, token, uri, expiration));
        if (channel is null) return new ApiError(400, "channelIdNotUnique", $"Channel id {id} not unique");
        context.Response.OnCompleted(() =>
        {
            channel.Opened.TrySetResult();
            return Task.CompletedTask;
        });

        var answer = new JsonObject
        {
            ["kind"] = "api#channel",
            ["id"] = channel.Id,
            ["resourceId"] = channel.ResourceId,
            ["resourceUri"] = channel.ResourceUri,
        };
        if (channel.Token is not null) answer["token"] = channel.Token;
        answer["expiration"] = channel.Expiration.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return GoogleJson.Api(answer);
    }

    /// <summary>POST /calendar/v3/channels/stop {"id","resourceId"} → 204; a channel this user and client do not have → Google's 404.</summary>
    public static async Task<IResult> Stop(HttpContext context, PushChannels channels)
    {
        var caller = ApiCaller.From(context);
        var (body, parseError) = await JsonBody.ReadObjectAsync(context.Request);
        if (body is null) return parseError!;
        if (Text(body, "id") is not { } id || Text(body, "resourceId") is not { } resourceId) return ApiError.Required("Required");
        if (!channels.Stop(id, resourceId, caller.Email, caller.ClientId))
            return new ApiError(404, "notFound", $"Channel '{id}' not found for project '{ProjectOf(caller.ClientId)}'");
        return TypedResults.NoContent();
    }

    /// <summary>HTTPS, as Google requires; plain HTTP only to this machine, so tests and the demo need no certificate.</summary>
    private static bool IsAllowedAddress(string address, out Uri uri)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out uri!)) return false;
        return uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);
    }

    /// <summary>
    /// params.ttl seconds (default a week, at most 30 days), or the body's own expiration (ms since the epoch) when it
    /// comes sooner: "the more restrictive value is used". Null when either is not a number or lies in the past.
    /// </summary>
    private static Instant? Expiration(JsonObject body, Instant now)
    {
        long ttl = PushChannels.DefaultTtlSeconds;
        if (body["params"]?["ttl"] is { } ttlNode && (!TryNumber(ttlNode, out ttl) || ttl < 1)) return null;
        var expiration = now + Duration.FromSeconds(Math.Min(ttl, PushChannels.MaxTtlSeconds));
        if (body["expiration"] is { } asked)
        {
            if (!TryNumber(asked, out var ms) || Instant.FromUnixTimeMilliseconds(ms) <= now) return null;
            expiration = Instant.Min(expiration, Instant.FromUnixTimeMilliseconds(ms));
        }
        // Google states expirations in whole milliseconds.
        return Instant.FromUnixTimeMilliseconds(expiration.ToUnixTimeMilliseconds());
    }

    /// <summary>An int64 the way Google's JSON takes one: a string of digits, or a plain number.</summary>
    private static bool TryNumber(JsonNode node, out long value)
    {
        value = 0;
        if (node is not JsonValue json) return false;
        if (json.TryGetValue<string>(out var text)) return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        return json.TryGetValue(out value);
    }

    /// <summary>Google names the OAuth client's project by the number that starts its client id.</summary>
    private static string ProjectOf(string clientId) => clientId.Split('-', '.')[0];

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
