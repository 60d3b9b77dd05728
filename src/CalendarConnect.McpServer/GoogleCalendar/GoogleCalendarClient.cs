using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using CalendarConnect.McpServer.Configuration;
using CalendarConnect.McpServer.Storage;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CalendarConnect.McpServer.GoogleCalendar;

/// <summary>Calendar resource (calendars.get), the fields we use.</summary>
public sealed record GoogleCalendarResource(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("summary")] string? Summary,
    [property: JsonPropertyName("timeZone")] string? TimeZone);

public sealed record FreeBusyInterval(
    [property: JsonPropertyName("start")] DateTimeOffset Start,
    [property: JsonPropertyName("end")] DateTimeOffset End);

public sealed record FreeBusyError(
    [property: JsonPropertyName("domain")] string? Domain,
    [property: JsonPropertyName("reason")] string? Reason);

public sealed record FreeBusyCalendar(
    [property: JsonPropertyName("busy")] IReadOnlyList<FreeBusyInterval>? Busy,
    [property: JsonPropertyName("errors")] IReadOnlyList<FreeBusyError>? Errors);

public sealed record FreeBusyResponse(
    [property: JsonPropertyName("kind")] string? Kind,
    [property: JsonPropertyName("timeMin")] DateTimeOffset? TimeMin,
    [property: JsonPropertyName("timeMax")] DateTimeOffset? TimeMax,
    [property: JsonPropertyName("calendars")] IReadOnlyDictionary<string, FreeBusyCalendar>? Calendars);

/// <summary>The answer of a call whose success has no body (events.delete).</summary>
public sealed class NoContent
{
    public static readonly NoContent Value = new();

    private NoContent()
    {
    }
}

/// <summary>
/// A Calendar API error, parsed from Google's error body. <see cref="Reason"/> is the first errors[].reason
/// (authError, rateLimitExceeded, notFound, ...). The message is Google's and never contains a token.
/// </summary>
public sealed class GoogleApiException(HttpStatusCode status, string? reason, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
    public string? Reason { get; } = reason;

    public bool IsUnauthorized => Status == HttpStatusCode.Unauthorized;

    /// <summary>Not sent at all: the company's circuit breaker is open after repeated failures.</summary>
    public bool IsCircuitOpen => Reason == GoogleCalendarClient.CircuitOpen;

    /// <summary>Worth retrying later: 5xx, 429 and the 403 rate/quota reasons.</summary>
    public bool IsTransient =>
        (int)Status >= 500 || Status == HttpStatusCode.TooManyRequests || Status == 0 ||
        (Status == HttpStatusCode.Forbidden && IsRateLimit(Reason));

    /// <summary>A 403's reason that means "slow down" (rate or quota), not "no access".</summary>
    public static bool IsRateLimit(string? reason) => reason is "rateLimitExceeded" or "userRateLimitExceeded" or "quotaExceeded";
}

/// <summary>
/// A typed client for the parts of Google Calendar API v3 we use, over one pooled HttpClient. No Google SDK
/// for .NET is available here; the discovery document in shared/data is the reference for every shape.
/// Each request says whether sending it again is harmless (<see cref="GoogleRequests.SafeToRepeat"/>): reads and
/// deletes always are; a write only when the method says why. The resilience handler retries only those
/// (<see cref="GoogleResilience"/>), and a call that cannot be answered ends as a <see cref="GoogleApiException"/>.
/// </summary>
public sealed class GoogleCalendarClient(HttpClient http, IOptions<McpServerSettings> options)
{
    private readonly Uri _base = new(options.Value.GoogleCalendarApiBase);

    /// <summary>The <see cref="GoogleApiException.Reason"/> of a call refused by the company's open circuit breaker.</summary>
    public const string CircuitOpen = "circuitOpen";

    public Task<GoogleCalendarResource> GetCalendarAsync(string accessToken, string calendarId, CancellationToken cancellationToken) =>
        SendAsync<GoogleCalendarResource>(accessToken, GoogleEndpoints.CalendarsGet, HttpMethod.Get, $"calendars/{Uri.EscapeDataString(calendarId)}", null, cancellationToken);

    /// <summary>freebusy.query over the given calendars.</summary>
    public Task<FreeBusyResponse> QueryFreeBusyAsync(string accessToken, DateTimeOffset timeMin, DateTimeOffset timeMax,
        IReadOnlyList<string> calendarIds, string? timeZone, CancellationToken cancellationToken)
    {
        var body = new
        {
            timeMin = IsoUtc.Format(timeMin),
            timeMax = IsoUtc.Format(timeMax),
            timeZone,
            items = calendarIds.Select(id => new { id }).ToArray(),
        };
        // A query, sent as a POST: repeating it changes nothing.
        return SendAsync<FreeBusyResponse>(accessToken, GoogleEndpoints.FreeBusyQuery, HttpMethod.Post, "freeBusy", JsonContent.Create(body), cancellationToken, safeToRepeat: true);
    }

    /// <summary>
    /// events.insert. With a client-chosen <see cref="GoogleEvent.Id"/> a repeated insert answers 409 <c>duplicate</c>
    /// (which the booking code reads as "made by an earlier attempt"), so only then is it retried; without an id it is sent once.
    /// </summary>
    public Task<GoogleEvent> InsertEventAsync(string accessToken, string calendarId, GoogleEvent resource, CancellationToken cancellationToken) =>
        SendAsync<GoogleEvent>(accessToken, GoogleEndpoints.EventsInsert, HttpMethod.Post, $"{EventsPath(calendarId)}?sendUpdates=none", Body(resource), cancellationToken,
            safeToRepeat: resource.Id is not null);

    public Task<GoogleEvent> GetEventAsync(string accessToken, string calendarId, string eventId, CancellationToken cancellationToken) =>
        SendAsync<GoogleEvent>(accessToken, GoogleEndpoints.EventsGet, HttpMethod.Get, $"{EventsPath(calendarId)}/{Uri.EscapeDataString(eventId)}", null, cancellationToken);

    /// <summary>
    /// events.patch: only the given (non-null) fields change. Our patches set absolute values (a new start and end),
    /// so a repeated patch writes the same thing again: retried like a read.
    /// </summary>
    public Task<GoogleEvent> PatchEventAsync(string accessToken, string calendarId, string eventId, GoogleEvent patch, CancellationToken cancellationToken) =>
        SendAsync<GoogleEvent>(accessToken, GoogleEndpoints.EventsPatch, HttpMethod.Patch, $"{EventsPath(calendarId)}/{Uri.EscapeDataString(eventId)}?sendUpdates=none", Body(patch),
            cancellationToken, safeToRepeat: true);

    /// <summary>
    /// events.delete: 204 with no body; Google keeps the event as <c>cancelled</c> and answers 410 <c>deleted</c> to a
    /// second delete, which cancelling reads as "already gone": safe to repeat, as every DELETE here.
    /// </summary>
    public async Task<NoContent> DeleteEventAsync(string accessToken, string calendarId, string eventId, CancellationToken cancellationToken)
    {
        await SendAsync<NoContent>(accessToken, GoogleEndpoints.EventsDelete, HttpMethod.Delete, $"{EventsPath(calendarId)}/{Uri.EscapeDataString(eventId)}?sendUpdates=none", null,
            cancellationToken);
        return NoContent.Value;
    }

    /// <summary>events.list, single instances, one page of up to 2500 (Google's maximum). timeMin bounds the END, timeMax the START.</summary>
    public Task<GoogleEventList> ListEventsAsync(string accessToken, string calendarId, DateTimeOffset timeMin, DateTimeOffset timeMax,
        bool showDeleted, CancellationToken cancellationToken)
    {
        var query = $"timeMin={Uri.EscapeDataString(IsoUtc.Format(timeMin))}&timeMax={Uri.EscapeDataString(IsoUtc.Format(timeMax))}" +
            $"&singleEvents=true&maxResults=2500&showDeleted={(showDeleted ? "true" : "false")}";
        return SendAsync<GoogleEventList>(accessToken, GoogleEndpoints.EventsList, HttpMethod.Get, $"{EventsPath(calendarId)}?{query}", null, cancellationToken);
    }

    /// <summary>
    /// One page of events.list for the busy-time mirror: single instances (a series comes as its instances), deleted
    /// ones included on incremental pages as Google always does. A full sync gives the window (<paramref name="timeMin"/>,
    /// <paramref name="timeMax"/>) and no sync token; an incremental one gives only the <paramref name="syncToken"/>
    /// (Google refuses time bounds with it).
    /// </summary>
    public Task<GoogleEventList> ListEventsForSyncAsync(string accessToken, string calendarId, string? syncToken, DateTimeOffset? timeMin,
        DateTimeOffset? timeMax, string? pageToken, CancellationToken cancellationToken)
    {
        var query = "singleEvents=true&maxResults=2500";
        if (syncToken is not null) query += "&syncToken=" + Uri.EscapeDataString(syncToken);
        else
        {
            if (timeMin is { } min) query += "&timeMin=" + Uri.EscapeDataString(IsoUtc.Format(min));
            if (timeMax is { } max) query += "&timeMax=" + Uri.EscapeDataString(IsoUtc.Format(max));
        }
        if (pageToken is not null) query += "&pageToken=" + Uri.EscapeDataString(pageToken);
        return SendAsync<GoogleEventList>(accessToken, GoogleEndpoints.EventsList, HttpMethod.Get, $"{EventsPath(calendarId)}?{query}", null, cancellationToken);
    }

    /// <summary>events.watch: Google will POST to <paramref name="address"/> when the calendar's events change, until the channel expires.</summary>
    public Task<GoogleChannel> WatchEventsAsync(string accessToken, string calendarId, string channelId, string address, string channelToken,
        TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var body = new
        {
            id = channelId,
            type = "web_hook",
            address,
            token = channelToken,
            @params = new { ttl = ((long)timeToLive.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };
        return SendAsync<GoogleChannel>(accessToken, GoogleEndpoints.EventsWatch, HttpMethod.Post, $"{EventsPath(calendarId)}/watch", JsonContent.Create(body), cancellationToken);
    }

    /// <summary>channels.stop: no more notifications from that channel.</summary>
    public async Task<NoContent> StopChannelAsync(string accessToken, string channelId, string resourceId, CancellationToken cancellationToken)
    {
        await SendAsync<NoContent>(accessToken, GoogleEndpoints.ChannelsStop, HttpMethod.Post, "channels/stop", JsonContent.Create(new { id = channelId, resourceId }), cancellationToken);
        return NoContent.Value;
    }

    private static string EventsPath(string calendarId) => $"calendars/{Uri.EscapeDataString(calendarId)}/events";

    // Null fields are left out: in a patch a JSON null would remove the field at Google.
    private static readonly JsonSerializerOptions WriteOptions = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private static JsonContent Body(GoogleEvent resource) => JsonContent.Create(resource, options: WriteOptions);

    /// <param name="safeToRepeat">Whether a second copy of this request can do nothing the first did not; GET and DELETE always are.</param>
    private async Task<T> SendAsync<T>(string accessToken, string endpoint, HttpMethod method, string relative, HttpContent? content, CancellationToken cancellationToken,
        bool safeToRepeat = false)
    {
        using var request = new HttpRequestMessage(method, new Uri(_base, relative)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Options.Set(GoogleRequests.Company, GoogleRequests.CompanyOrNone);
        request.Options.Set(GoogleRequests.Endpoint, endpoint);
        request.Options.Set(GoogleRequests.SafeToRepeat, safeToRepeat || method == HttpMethod.Get || method == HttpMethod.Delete);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (BrokenCircuitException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GoogleApiException(0, CircuitOpen, "Google Calendar failed repeatedly for this company and is not asked again for a few seconds.");
        }
        catch (TimeoutRejectedException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GoogleApiException(0, "timeout", "Google Calendar did not answer in time.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new GoogleApiException(0, "unreachable", "Google Calendar did not answer.");
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode) throw ParseError(response.StatusCode, body);
            if (typeof(T) == typeof(NoContent)) return (T)(object)NoContent.Value;
            try
            {
                return JsonSerializer.Deserialize<T>(body) ?? throw new JsonException("empty body");
            }
            catch (JsonException)
            {
                throw new GoogleApiException(HttpStatusCode.BadGateway, "malformedResponse", "Google Calendar answered with an unreadable body.");
            }
        }
    }

    /// <summary>Reads Google's error body: {"error":{"code","message","errors":[{"domain","reason","message"}],"status"}}.</summary>
    public static GoogleApiException ParseError(HttpStatusCode status, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                string? reason = null;
                if (error.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in errors.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String)
                        {
                            reason = r.GetString();
                            break;
                        }
                    }
                }

                return new GoogleApiException(status, reason, message ?? $"Google Calendar answered {(int)status}.");
            }
        }
        catch (JsonException)
        {
        }

        return new GoogleApiException(status, null, $"Google Calendar answered {(int)status}.");
    }
}
