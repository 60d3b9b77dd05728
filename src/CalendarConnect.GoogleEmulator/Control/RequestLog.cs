using System.Text.Json.Serialization;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.Control;

/// <summary>One OAuth or Calendar API request as seen by the emulator. Never carries token values.</summary>
public sealed record LoggedRequest(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("grant_type")] string? GrantType,
    [property: JsonPropertyName("account")] string? Account,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("at")] string At);

/// <summary>Every OAuth and API request received, oldest first, so tests can assert on what a client actually did.</summary>
public sealed class RequestLog
{
    private const string AccountKey = "emulator.account";
    private readonly Lock _gate = new();
    private readonly List<LoggedRequest> _entries = [];

    /// <summary>Handlers call this once they know whose request it is (token owner, consenting user).</summary>
    public static void SetAccount(HttpContext context, string account) => context.Items[AccountKey] = account;

    public static string? AccountOf(HttpContext context) => context.Items[AccountKey] as string;

    public static bool IsLogged(PathString path) =>
        path.StartsWithSegments("/o/oauth2") || path.StartsWithSegments("/token")
        || path.StartsWithSegments("/revoke") || path.StartsWithSegments("/calendar");

    public void Add(LoggedRequest entry)
    {
        lock (_gate) _entries.Add(entry);
    }

    public IReadOnlyList<LoggedRequest> Entries()
    {
        lock (_gate) return _entries.ToList();
    }

    public void Reset()
    {
        lock (_gate) _entries.Clear();
    }
}

public sealed class RequestLogMiddleware(RequestDelegate next, RequestLog log, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!RequestLog.IsLogged(context.Request.Path))
        {
            await next(context);
            return;
        }
        var grantType = await GrantTypeOfAsync(context.Request);
        await next(context);
        log.Add(new LoggedRequest(context.Request.Method, context.Request.Path.Value ?? "", grantType,
            RequestLog.AccountOf(context), context.Response.StatusCode, GoogleTime.Timestamp.Format(clock.ToInstant())));
    }

    /// <summary>Read before the endpoint runs so that requests failed by an injected fault still show their grant type.</summary>
    private static async Task<string?> GrantTypeOfAsync(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method) || !request.Path.StartsWithSegments("/token") || !request.HasFormContentType) return null;
        try
        {
            var form = await request.ReadFormAsync();
            return form["grant_type"].FirstOrDefault();
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return null; // The token endpoint answers the malformed body itself.
        }
    }
}
