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

/// <summary>Requests received since the last reset, by kind (GET /emulator/requests/count).</summary>
public sealed record RequestCounts(
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("oauth")] long OAuth,
    [property: JsonPropertyName("calendar")] long Calendar);

/// <summary>
/// Every OAuth and API request received, oldest first, so tests can assert on what a client actually did.
/// Only the newest <see cref="Capacity"/> entries are kept, so a long demo or benchmark cannot grow memory without
/// bound; the counters keep counting every request.
/// </summary>
public sealed class RequestLog
{
    public const int Capacity = 100_000;

    /// <summary>Logged for a request whose client gave up before it was answered (a hang, or a latency it did not wait for).</summary>
    public const int ClientClosedRequest = 499;

    private const string AccountKey = "emulator.account";
    private readonly Lock _gate = new();
    private readonly Queue<LoggedRequest> _entries = new();
    private long _oauth;
    private long _calendar;

    /// <summary>Handlers call this once they know whose request it is (token owner, consenting user).</summary>
    public static void SetAccount(HttpContext context, string account) => context.Items[AccountKey] = account;

    public static string? AccountOf(HttpContext context) => context.Items[AccountKey] as string;

    public static bool IsOAuth(PathString path) =>
        path.StartsWithSegments("/o/oauth2") || path.StartsWithSegments("/token") || path.StartsWithSegments("/revoke");

    public static bool IsCalendar(PathString path) => path.StartsWithSegments("/calendar");

    /// <summary>The requests that stand for Google: logged, counted, slowed by latency and open to faults.</summary>
    public static bool IsGoogle(PathString path) => IsOAuth(path) || IsCalendar(path);

    /// <summary>Counts a request as it arrives, so one that hangs is counted before it ends.</summary>
    public void Count(PathString path)
    {
        if (IsOAuth(path)) Interlocked.Increment(ref _oauth);
        else if (IsCalendar(path)) Interlocked.Increment(ref _calendar);
    }

    public void Add(LoggedRequest entry)
    {
        lock (_gate)
        {
            if (_entries.Count == Capacity) _entries.Dequeue();
            _entries.Enqueue(entry);
        }
    }

    public IReadOnlyList<LoggedRequest> Entries()
    {
        lock (_gate) return _entries.ToList();
    }

    public RequestCounts Counts()
    {
        var oauth = Interlocked.Read(ref _oauth);
        var calendar = Interlocked.Read(ref _calendar);
        return new RequestCounts(oauth + calendar, oauth, calendar);
    }

    public void Reset()
    {
        lock (_gate) _entries.Clear();
        Interlocked.Exchange(ref _oauth, 0);
        Interlocked.Exchange(ref _calendar, 0);
    }
}

public sealed class RequestLogMiddleware(RequestDelegate next, RequestLog log, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!RequestLog.IsGoogle(context.Request.Path))
        {
            await next(context);
            return;
        }
        log.Count(context.Request.Path);
        var grantType = await GrantTypeOfAsync(context.Request);
        int? failed = null;
        try
        {
            await next(context);
        }
        catch (Exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            failed = StatusCodes.Status500InternalServerError; // What the server will answer once the exception reaches it.
            throw;
        }
        finally
        {
            var status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted
                ? RequestLog.ClientClosedRequest
                : failed ?? context.Response.StatusCode;
            log.Add(new LoggedRequest(context.Request.Method, context.Request.Path.Value ?? "", grantType,
                RequestLog.AccountOf(context), status, GoogleTime.Timestamp.Format(clock.ToInstant())));
        }
    }

    /// <summary>Read before the endpoint runs so that requests failed by an injected fault still show their grant type.</summary>
    private static async Task<string?> GrantTypeOfAsync(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method) || !request.Path.StartsWithSegments("/token") || !request.HasFormContentType) return null;
        try
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            return form["grant_type"].FirstOrDefault();
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException or OperationCanceledException)
        {
            return null; // The token endpoint answers the malformed body itself.
        }
    }
}
