using System.Text.Json.Nodes;

namespace CalendarConnect.GoogleEmulator.OAuth;

/// <summary>An error answer of Google's token and revoke endpoints: {"error","error_description"}.</summary>
public sealed record OAuthError(int StatusCode, string Error, string Description) : IResult
{
    public static OAuthError InvalidGrant(string description) => new(400, "invalid_grant", description);
    public static OAuthError InvalidRequest(string description) => new(400, "invalid_request", description);
    public static readonly OAuthError ClientNotFound = new(401, "invalid_client", "The OAuth client was not found.");
    public static readonly OAuthError BadClientSecret = new(401, "invalid_client", "Unauthorized");
    public static readonly OAuthError ExpiredOrRevoked = InvalidGrant("Token has been expired or revoked.");
    public static readonly OAuthError RedirectUriMismatch = new(400, "redirect_uri_mismatch", "Bad Request");
    public static readonly OAuthError InvalidToken = new(400, "invalid_token", "Token expired or revoked");

    /// <summary>What an injected fault of <paramref name="status"/> looks like on an OAuth endpoint.</summary>
    public static OAuthError ForStatus(int status) => status switch
    {
        400 => InvalidGrant("Bad Request"),
        401 => BadClientSecret,
        403 => new(403, "access_denied", "Forbidden"),
        429 => new(429, "rate_limit_exceeded", "Rate Limit Exceeded"),
        503 => new(503, "temporarily_unavailable", "Service Unavailable"),
        >= 500 => new(status, "internal_failure", "Backend Error"),
        _ => new(status, "invalid_request", "Bad Request"),
    };

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var body = new JsonObject { ["error"] = Error, ["error_description"] = Description };
        return OAuthResponses.WriteAsync(httpContext, body, StatusCode);
    }
}

/// <summary>Token endpoint responses must never be cached (RFC 6749 §5.1); Google sends these headers.</summary>
public static class OAuthResponses
{
    public static async Task WriteAsync(HttpContext context, JsonObject body, int statusCode)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.Headers.CacheControl = "no-cache, no-store, max-age=0, must-revalidate";
        response.Headers.Pragma = "no-cache";
        response.Headers.Expires = "Mon, 01 Jan 1990 00:00:00 GMT";
        response.ContentType = GoogleJson.OAuthContentType;
        await response.WriteAsync(body.ToJsonString(GoogleJson.Options));
    }
}

/// <summary>A successful token endpoint answer.</summary>
public sealed record OAuthJson(JsonObject Body) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => OAuthResponses.WriteAsync(httpContext, Body, 200);
}
