using System.Net.Mail;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CalendarConnect.GoogleEmulator.Accounts;
using CalendarConnect.GoogleEmulator.Calendar;
using CalendarConnect.GoogleEmulator.OAuth;

namespace CalendarConnect.GoogleEmulator.Control;

public sealed record AccountRequest(
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("time_zone")] string? TimeZone);

public sealed record AccountResponse(
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("time_zone")] string TimeZone);

public sealed record FaultRequest(
    [property: JsonPropertyName("path_prefix")] string? PathPrefix,
    [property: JsonPropertyName("status")] int? Status,
    [property: JsonPropertyName("count")] int? Count);

public sealed record FaultResponse(
    [property: JsonPropertyName("path_prefix")] string PathPrefix,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("count")] int Count);

public sealed record ControlError([property: JsonPropertyName("error")] string Error);

public sealed record RevokedCount([property: JsonPropertyName("revoked_grants")] int Revoked);

public sealed record ExpiredCount([property: JsonPropertyName("expired_access_tokens")] int Expired);

/// <summary>The control API under /emulator/ for demos and tests: seed accounts and events, break things, look inside.</summary>
public static class ControlApi
{
    public static IEndpointRouteBuilder MapControlApi(this IEndpointRouteBuilder routes)
    {
        var control = routes.MapGroup("/emulator").DisableAntiforgery();
        control.MapPost("/accounts", UpsertAccount);
        control.MapGet("/accounts", ListAccounts);
        control.MapPost("/accounts/{email}/events", InsertEvent);
        control.MapPost("/accounts/{email}/revoke", RevokeAccount);
        control.MapPost("/expire-access-tokens", ExpireAccessTokens);
        control.MapPost("/faults", AddFault);
        control.MapGet("/faults", (FaultStore faults) => TypedResults.Ok(faults.Pending()
            .Select(f => new FaultResponse(f.PathPrefix, f.Status, f.Remaining))));
        control.MapGet("/requests", (RequestLog log) => TypedResults.Ok(log.Entries()));
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

    private static IResult AddFault(FaultRequest? request, FaultStore faults)
    {
        if (request?.PathPrefix is not { Length: > 0 } prefix || !prefix.StartsWith('/'))
            return TypedResults.BadRequest(new ControlError("path_prefix must start with /"));
        if (request.Status is not { } status || !FaultStore.SupportedStatuses.Contains(status))
            return TypedResults.BadRequest(new ControlError($"status must be one of {string.Join(", ", FaultStore.SupportedStatuses.Order())}"));
        var count = request.Count ?? 1;
        if (count < 1) return TypedResults.BadRequest(new ControlError("count must be at least 1"));
        faults.Add(new Fault(prefix, status, count));
        return TypedResults.Created("/emulator/faults", new FaultResponse(prefix, status, count));
    }

    private static IResult Reset(AccountStore accounts, GrantStore grants, FaultStore faults, RequestLog log)
    {
        accounts.Reset();
        grants.Reset();
        faults.Reset();
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
