using System.Net.Mail;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CalendarConnect.GoogleEmulator.Accounts;
using CalendarConnect.GoogleEmulator.Calendar;
using CalendarConnect.GoogleEmulator.OAuth;
using CalendarConnect.GoogleEmulator.Push;
using CalendarConnect.Infrastructure.Http;

namespace CalendarConnect.GoogleEmulator.Control;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AccountRequest(
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("time_zone")] string? TimeZone);

public sealed record AccountResponse(
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("time_zone")] string TimeZone);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record FaultRequest(
    [property: JsonPropertyName("path_prefix")] string? PathPrefix,
    [property: JsonPropertyName("status")] int? Status,
    [property: JsonPropertyName("delay_ms")] int? DelayMs,
    [property: JsonPropertyName("hang")] bool? Hang,
    [property: JsonPropertyName("count")] int? Count);

public sealed record FaultResponse(
    [property: JsonPropertyName("path_prefix")] string PathPrefix,
    [property: JsonPropertyName("status"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Status,
    [property: JsonPropertyName("delay_ms"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? DelayMs,
    [property: JsonPropertyName("hang")] bool Hang,
    [property: JsonPropertyName("count")] int Count)
{
    public static FaultResponse Of(Fault fault) => new(fault.PathPrefix, fault.Status, fault.DelayMs, fault.Hang, fault.Remaining);
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record LatencyRequest(
    [property: JsonPropertyName("ms")] int? Ms,
    [property: JsonPropertyName("jitter_ms")] int? JitterMs);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record QuotaSettings([property: JsonPropertyName("per_user_per_minute")] int? PerUserPerMinute);

/// <summary>An open push channel as GET /emulator/channels shows it (never its token).</summary>
public sealed record ChannelInfo(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("resource_id")] string ResourceId,
    [property: JsonPropertyName("calendar_id")] string CalendarId,
    [property: JsonPropertyName("account")] string Account,
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("expiration")] string Expiration,
    [property: JsonPropertyName("has_token")] bool HasToken,
    [property: JsonPropertyName("last_message_number")] long LastMessageNumber,
    [property: JsonPropertyName("messages_sent")] long MessagesSent,
    [property: JsonPropertyName("messages_failed")] long MessagesFailed);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record DropRequest([property: JsonPropertyName("id")] string? Id);

public sealed record DroppedCount([property: JsonPropertyName("dropped_channels")] int Dropped);

public sealed record ControlError([property: JsonPropertyName("error")] string Error);

public sealed record RevokedCount([property: JsonPropertyName("revoked_grants")] int Revoked);

public sealed record ExpiredCount([property: JsonPropertyName("expired_access_tokens")] int Expired);

/// <summary>The control API under /emulator/ for demos and tests: seed accounts and events, break things, look inside.</summary>
public static class ControlApi
{
    public const string Prefix = "/emulator";

    public static IEndpointRouteBuilder MapControlApi(this IEndpointRouteBuilder routes)
    {
        // Request bodies are records bound by the framework (strict JSON, WithJsonBody's size limit); what it cannot read
        // is answered by ControlApiErrors. A record left out (null) is answered by its handler.
        var control = routes.MapGroup(Prefix).DisableAntiforgery();
        control.MapPost("/accounts", UpsertAccount)
            .WithJsonBody<AccountRequest>(() => "the body must be {\"email\": \"ana@example.com\", \"time_zone\": \"Europe/Madrid\"}",
                _ => "unknown field: an account has email and time_zone");
        control.MapGet("/accounts", ListAccounts);
        control.MapPost("/accounts/{email}/events", InsertEvent);
        control.MapPost("/accounts/{email}/revoke", RevokeAccount);
        control.MapPost("/expire-access-tokens", ExpireAccessTokens);
        control.MapPost("/accounts/{email}/expire-sync-tokens", ExpireSyncTokens);
        control.MapPost("/faults", AddFault)
            .WithJsonBody<FaultRequest>(() => "the body must be a fault such as {\"path_prefix\": \"/token\", \"status\": 503, \"count\": 1}",
                _ => "unknown field: a fault has path_prefix, status, delay_ms, hang and count");
        control.MapGet("/faults", (FaultStore faults) => TypedResults.Ok(faults.Pending().Select(FaultResponse.Of)));
        control.MapPut("/latency", SetLatency)
            .WithJsonBody<LatencyRequest>(() => "the body must be {\"ms\": 40, \"jitter_ms\": 20}", _ => "unknown field: latency has ms and jitter_ms");
        control.MapGet("/latency", (GoogleLatency latency) => TypedResults.Ok(latency.Current));
        control.MapPut("/quota", SetQuota)
            .WithJsonBody<QuotaSettings>(() => "the body must be {\"per_user_per_minute\": 60}", _ => "unknown field: the quota has per_user_per_minute");
        control.MapGet("/quota", (UserRateLimit quota) => TypedResults.Ok(new QuotaSettings(quota.PerUserPerMinute)));
        control.MapGet("/channels", ListChannels);
        control.MapPost("/channels/drop", DropChannels)
            .WithJsonBody<DropRequest>(() => DropBodyShape, _ => DropBodyShape);
        control.MapGet("/requests", (RequestLog log) => TypedResults.Ok(log.Entries()));
        control.MapGet("/requests/count", (RequestLog log) => TypedResults.Ok(log.Counts()));
        control.MapPost("/reset", Reset);
        return routes;
    }

    private static IResult UpsertAccount(AccountRequest? request, AccountStore accounts)
    {
        if (request?.Email is not { } email || !IsPlainEmail(email))
            return TypedResults.BadRequest(new ControlError("email must be a plain address like ana@example.com"));
        var zoneId = string.IsNullOrEmpty(request.TimeZone) ? "UTC" : request.TimeZone;
        if (!GoogleTime.TryFindZone(zoneId, out var zone))
            return TypedResults.BadRequest(new ControlError($"unknown IANA time zone: {zoneId}"));
        var created = accounts.Upsert(email, zone);
        var response = new AccountResponse(accounts.CanonicalEmail(email) ?? email, zone.Id);
        return created ? TypedResults.Created($"/emulator/accounts/{Uri.EscapeDataString(email)}", response) : TypedResults.Ok(response);
    }

    private static IResult ListAccounts(AccountStore accounts) =>
        TypedResults.Ok(accounts.List().Select(a => new AccountResponse(a.Email, a.TimeZone)));

    private static async Task<IResult> InsertEvent(string email, HttpContext context, AccountStore accounts, CalendarEvents events)
    {
        if (!accounts.Exists(email)) return TypedResults.NotFound(new ControlError($"no account {email}"));
        var (body, parseError) = await JsonBody.ReadObjectAsync(context.Request);
        if (body is null) return parseError!;
        var stored = events.Insert(email, body, asGiven: true, out var error);
        if (stored is null) return error!;
        return TypedResults.Json<JsonNode>(stored, GoogleJson.Options, GoogleJson.ApiContentType, StatusCodes.Status201Created);
    }

    private static IResult RevokeAccount(string email, AccountStore accounts, GrantStore grants)
    {
        if (!accounts.Exists(email)) return TypedResults.NotFound(new ControlError($"no account {email}"));
        return TypedResults.Ok(new RevokedCount(grants.RevokeAccount(email)));
    }

    private static IResult ExpireAccessTokens(GrantStore grants) => TypedResults.Ok(new ExpiredCount(grants.ExpireAllAccessTokens()));

    private static IResult ExpireSyncTokens(string email, AccountStore accounts) =>
        accounts.ExpireSyncTokens(email) ? TypedResults.NoContent() : TypedResults.NotFound(new ControlError($"no account {email}"));

    private static IResult AddFault(FaultRequest? request, FaultStore faults)
    {
        if (request?.PathPrefix is not { Length: > 0 } prefix || !prefix.StartsWith('/'))
            return TypedResults.BadRequest(new ControlError("path_prefix must start with /"));
        if (prefix.StartsWith("/emulator", StringComparison.Ordinal))
            return TypedResults.BadRequest(new ControlError("faults apply to OAuth and Calendar API paths, never to /emulator/"));
        var hang = request.Hang ?? false;
        if (hang && (request.Status is not null || request.DelayMs is not null))
            return TypedResults.BadRequest(new ControlError("a hang is never answered, so it takes neither status nor delay_ms"));
        if (!hang && request.Status is null && request.DelayMs is null)
            return TypedResults.BadRequest(new ControlError("say what goes wrong: status, delay_ms, or \"hang\": true"));
        if (request.Status is { } status && !FaultStore.SupportedStatuses.Contains(status))
            return TypedResults.BadRequest(new ControlError($"status must be one of {string.Join(", ", FaultStore.SupportedStatuses.Order())}"));
        if (request.DelayMs is < 1 or > FaultStore.MaxDelayMs)
            return TypedResults.BadRequest(new ControlError($"delay_ms must be between 1 and {FaultStore.MaxDelayMs} (use \"hang\": true for longer)"));
        var count = request.Count ?? 1;
        if (count < 1) return TypedResults.BadRequest(new ControlError("count must be at least 1"));
        var fault = new Fault(prefix, request.Status, request.DelayMs, hang, count);
        faults.Add(fault);
        return TypedResults.Created("/emulator/faults", FaultResponse.Of(fault));
    }

    private static IResult SetLatency(LatencyRequest? request, GoogleLatency latency)
    {
        if (request?.Ms is not { } ms || ms < 0 || ms > GoogleLatency.MaxMs)
            return TypedResults.BadRequest(new ControlError($"ms must be between 0 (off) and {GoogleLatency.MaxMs}"));
        var jitter = request.JitterMs ?? 0;
        if (jitter < 0 || jitter > ms)
            return TypedResults.BadRequest(new ControlError("jitter_ms must be between 0 and ms (a wait is never negative)"));
        latency.Set(new LatencySettings(ms, jitter));
        return TypedResults.Ok(latency.Current);
    }

    private static IResult SetQuota(QuotaSettings? request, UserRateLimit quota)
    {
        if (request?.PerUserPerMinute is not { } limit || limit < 0)
            return TypedResults.BadRequest(new ControlError("per_user_per_minute must be 0 (off) or more"));
        quota.PerUserPerMinute = limit;
        return TypedResults.Ok(new QuotaSettings(limit));
    }

    private static IResult ListChannels(PushChannels channels) =>
        TypedResults.Ok(channels.OpenChannels().Select(c => new ChannelInfo(c.Id, c.ResourceId, c.CalendarId, c.Account, c.Address.ToString(),
            GoogleTime.Timestamp.Format(c.Expiration), c.Token is not null, c.LastMessageNumber, c.Delivered, c.Failed)));

    private const string DropBodyShape = "the body must be {} or {\"id\": \"<channel id>\"}";

    /// <param name="request">Optional: none, or {}, drops every channel.</param>
    private static IResult DropChannels(DropRequest? request, PushChannels channels)
    {
        var dropped = channels.Drop(request?.Id);
        if (request?.Id is { } id && dropped == 0) return TypedResults.NotFound(new ControlError($"no open channel {id}"));
        return TypedResults.Ok(new DroppedCount(dropped));
    }

    /// <summary>Back to an empty emulator: no accounts, grants, faults, latency, quota, push channels or logged requests.</summary>
    private static IResult Reset(AccountStore accounts, GrantStore grants, FaultStore faults, RequestLog log,
        GoogleLatency latency, UserRateLimit quota, PushChannels channels)
    {
        channels.Reset();
        accounts.Reset();
        grants.Reset();
        faults.Reset();
        latency.Reset();
        quota.Reset();
        log.Reset();
        return TypedResults.NoContent();
    }

    /// <summary>A bare address (no display name, no markup): what a Google account email looks like.</summary>
    private static bool IsPlainEmail(string email) =>
        email.Length <= 254
        && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email && parsed.DisplayName.Length == 0
        && !email.Any(c => char.IsWhiteSpace(c) || c is '<' or '>' or '"' or '\'' or '(' or ')' or ',' or ';' or '&')
        && parsed.Host.Contains('.');
}
