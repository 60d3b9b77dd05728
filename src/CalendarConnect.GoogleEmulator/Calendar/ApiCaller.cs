using CalendarConnect.GoogleEmulator.Control;
using CalendarConnect.GoogleEmulator.OAuth;

namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>The account behind the request's access token, the OAuth client it was given to, and what its scopes allow.</summary>
public sealed record ApiCaller(string Email, IReadOnlyList<string> Scopes, string ClientId)
{
    private const string Prefix = "https://www.googleapis.com/auth/";

    public bool CanReadEvents => HasAny("calendar", "calendar.readonly", "calendar.events", "calendar.events.readonly");
    public bool CanWriteEvents => HasAny("calendar", "calendar.events");
    public bool CanReadCalendars => HasAny("calendar", "calendar.readonly");
    public bool CanReadFreeBusy => CanReadEvents || HasAny("calendar.freebusy", "calendar.events.freebusy");

    /// <summary>"primary" or the account's own address name its primary calendar, the only calendar it has.</summary>
    public bool Owns(string calendarId) =>
        calendarId == "primary" || string.Equals(calendarId, Email, StringComparison.OrdinalIgnoreCase);

    private bool HasAny(params string[] scopes) => scopes.Any(s => Scopes.Contains(Prefix + s));

    public static ApiCaller From(HttpContext context) =>
        context.Items[typeof(ApiCaller)] as ApiCaller
        ?? throw new InvalidOperationException("The access token filter did not run for this endpoint.");
}

/// <summary>
/// Every Calendar API call needs a live Bearer token (header, or Google's access_token query parameter):
/// none → 401 "Login Required", unknown/expired/revoked → 401 "Invalid Credentials". Then the account's per-minute
/// quota (PUT /emulator/quota) applies: beyond it, 403 rateLimitExceeded.
/// </summary>
public sealed class AccessTokenFilter(GrantStore grants, UserRateLimit quota) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var token = BearerToken(http.Request);
        if (token is null) return ApiError.LoginRequired;
        if (grants.Authenticate(token) is not { } holder) return ApiError.InvalidCredentials;
        http.Items[typeof(ApiCaller)] = new ApiCaller(holder.Account, holder.Scopes, holder.ClientId);
        RequestLog.SetAccount(http, holder.Account);
        if (!quota.TryAcquire(holder.Account)) return ApiError.RateLimitExceeded;
        return await next(context);
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.Length > 0)
            return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        return request.Query["access_token"].FirstOrDefault();
    }
}
