using System.Text.Json.Nodes;

namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>
/// A Calendar API error in Google's body. Two layouts, as recorded: errors raised by Google's front end for
/// authentication (401, missing scopes) read {"error":{"code","message","errors":[{"message","domain","reason",…}],"status"}};
/// errors of the Calendar backend itself (400, 403 rateLimitExceeded, 404, 409, 410, 412, 5xx) read
/// {"error":{"errors":[{"domain","reason","message",…}],"code","message"}} with no "status".
/// </summary>
public sealed record ApiError(
    int Code,
    string Reason,
    string Message,
    string Domain = "global",
    string? TopMessage = null,
    string? Location = null,
    string? LocationType = null,
    string? MethodName = null) : IResult
{
    public static readonly ApiError LoginRequired = new(401, "required", "Login Required.",
        TopMessage: "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
        Location: "Authorization", LocationType: "header");

    public static readonly ApiError InvalidCredentials = new(401, "authError", "Invalid Credentials",
        TopMessage: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
        Location: "Authorization", LocationType: "header");

    public static readonly ApiError NotFound = new(404, "notFound", "Not Found");
    public static readonly ApiError Duplicate = new(409, "duplicate", "The requested identifier already exists.");
    public static readonly ApiError Deleted = new(410, "deleted", "Resource has been deleted");
    public static readonly ApiError ParseError = new(400, "parseError", "Parse Error");
    public static readonly ApiError InvalidResourceId = new(400, "invalid", "Invalid resource id value.");
    public static readonly ApiError TimeRangeEmpty = new(400, "timeRangeEmpty", "The specified time range is empty.", Domain: "calendar");
    public static readonly ApiError RateLimitExceeded = new(403, "rateLimitExceeded", "Rate Limit Exceeded", Domain: "usageLimits");
    public static readonly ApiError ConditionNotMet = new(412, "conditionNotMet", "Precondition Failed", Location: "If-Match", LocationType: "header");
    public static readonly ApiError TooManyRequests = new(429, "rateLimitExceeded", "Rate Limit Exceeded", Domain: "usageLimits");
    public static readonly ApiError RequestTooLarge = new(413, "uploadTooLarge", "Request Entity Too Large");
    public static readonly ApiError FullSyncRequired = new(410, "fullSyncRequired", "Sync token is no longer valid, a full sync is required.",
        Domain: "calendar", Location: "syncToken", LocationType: "parameter");

    public static ApiError BadRequest(string message = "Bad Request") => new(400, "badRequest", message);
    public static ApiError Invalid(string message = "Invalid Value", string? parameter = null) =>
        new(400, "invalid", message, Location: parameter, LocationType: parameter is null ? null : "parameter");
    public static ApiError Required(string message, string? parameter = null) =>
        new(400, "required", message, Location: parameter, LocationType: parameter is null ? null : "parameter");

    public static ApiError InsufficientPermissions(string methodName) =>
        new(403, "insufficientPermissions", "Insufficient Permission", TopMessage: "Request had insufficient authentication scopes.", MethodName: methodName);

    /// <summary>
    /// What an injected fault of <paramref name="status"/> looks like on the Calendar API. A 410 on an incremental
    /// sync (<paramref name="syncRequest"/>) is the expired sync token, as Google answers it.
    /// </summary>
    public static ApiError ForStatus(int status, bool syncRequest = false) => status switch
    {
        410 when syncRequest => FullSyncRequired,
        400 => BadRequest(),
        401 => InvalidCredentials,
        403 => RateLimitExceeded,
        404 => NotFound,
        409 => Duplicate,
        410 => Deleted,
        412 => ConditionNotMet,
        429 => TooManyRequests,
        502 => new(502, "backendError", "Bad Gateway"),
        503 => new(503, "backendError", "Backend Error"),
        _ => new(status, "backendError", "Backend Error"),
    };

    /// <summary>Raised by Google's authentication front end rather than the Calendar backend; it writes the modern layout.</summary>
    private bool FromFrontEnd => Code == 401 || MethodName is not null;

    public JsonObject ToJson()
    {
        if (!FromFrontEnd)
        {
            var backendItem = new JsonObject { ["domain"] = Domain, ["reason"] = Reason, ["message"] = Message };
            if (LocationType is not null) backendItem["locationType"] = LocationType;
            if (Location is not null) backendItem["location"] = Location;
            return new JsonObject
            {
                ["error"] = new JsonObject { ["errors"] = new JsonArray(backendItem), ["code"] = Code, ["message"] = TopMessage ?? Message },
            };
        }

        var item = new JsonObject { ["message"] = Message, ["domain"] = Domain, ["reason"] = Reason };
        if (Location is not null) item["location"] = Location;
        if (LocationType is not null) item["locationType"] = LocationType;
        var error = new JsonObject
        {
            ["code"] = Code,
            ["message"] = TopMessage ?? Message,
            ["errors"] = new JsonArray(item),
        };
        // The canonical google.rpc status the front end adds.
        error["status"] = Code == 401 ? "UNAUTHENTICATED" : "PERMISSION_DENIED";
        if (MethodName is not null)
            error["details"] = new JsonArray(new JsonObject
            {
                ["@type"] = "type.googleapis.com/google.rpc.ErrorInfo",
                ["reason"] = "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                ["domain"] = "googleapis.com",
                ["metadata"] = new JsonObject { ["service"] = "calendar-json.googleapis.com", ["method"] = MethodName },
            });
        return new JsonObject { ["error"] = error };
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = Code;
        response.ContentType = GoogleJson.ApiContentType;
        response.Headers.CacheControl = "no-cache, no-store, max-age=0, must-revalidate";
        if (Code == 401)
            response.Headers.WWWAuthenticate = Reason == "required"
                ? "Bearer realm=\"https://accounts.google.com/\""
                : "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"";
        if (Reason == "insufficientPermissions")
            response.Headers.WWWAuthenticate = "Bearer realm=\"https://accounts.google.com/\", error=\"insufficient_scope\", scope=\"https://www.googleapis.com/auth/calendar\"";
        await response.WriteAsync(ToJson().ToJsonString(GoogleJson.Options));
    }
}
