using System.Net;
using CalendarConnect.McpServer.Availability;
using CalendarConnect.McpServer.Connections;
using CalendarConnect.McpServer.SystemStatus;
using NodaTime;

namespace CalendarConnect.McpServer.GoogleCalendar;

/// <summary>
/// One company's Google Calendar as the tools see it: a valid token is fetched (and refreshed) for each call,
/// a 401 from Google triggers one refresh and one retry, and anything that cannot be read fails closed with a
/// message for a person — never an empty day. Timeouts, retries of transient failures and the company's circuit
/// breaker are in the HttpClient's resilience handler (<see cref="GoogleResilience"/>); every Google call made
/// through here is marked as this company's, so its breaker is its own.
/// </summary>
public sealed class CompanyCalendar(CalendarConnections connections, GoogleCalendarClient google, GoogleFailures failures, ILogger<CompanyCalendar> log)
{
    private const string PrimaryCalendarId = "primary";

    /// <summary>The company's connection as stored here (status, email, zone): no access token, no Google.</summary>
    public Task<(CalendarConnection? Connection, CalendarProblem? Problem)> GetStoredConnectionAsync(string customerId, CancellationToken cancellationToken) =>
        connections.GetConnectionAsync(customerId, cancellationToken);

    /// <summary>
    /// The calendar's zone as stored at connection time: no access token and no Google. Only when it is still unknown
    /// (Google could not be read when the company connected) is Google asked, once, and the answer kept.
    /// </summary>
    public async Task<(DateTimeZone? Zone, CalendarProblem? Problem)> GetTimeZoneAsync(string customerId, CancellationToken cancellationToken)
    {
        var (connection, notUsable) = await connections.GetConnectionAsync(customerId, cancellationToken);
        if (connection is null) return (null, notUsable);
        var zoneId = connection.TimeZone;
        if (zoneId is null)
        {
            var (access, unavailable) = await connections.GetAccessAsync(customerId, cancellationToken);
            if (access is null) return (null, unavailable);
            var (primary, problem) = await CallAsync(customerId, access, (token, ct) => google.GetCalendarAsync(token, PrimaryCalendarId, ct), cancellationToken);
            if (primary is null) return (null, problem);
            zoneId = primary.TimeZone ?? "UTC";
            await connections.RememberTimeZoneAsync(customerId, zoneId, cancellationToken);
        }

        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId);
        if (zone is not null) return (zone, null);
        // Guessing UTC would show business hours at the wrong time of day: refuse instead.
        log.LogWarning("Calendar of customer {CustomerId} has a time zone we do not know: {TimeZone}", customerId, zoneId);
        return (null, new CalendarProblem(CalendarErrorCodes.CalendarUnavailable,
            "The company's calendar uses a time zone this server does not know, so availability cannot be computed. Ask the administrator to check the calendar's time zone."));
    }

    /// <summary>
    /// Busy intervals over all <paramref name="calendarIds"/> between two instants, from one freeBusy query. If any
    /// calendar is missing from the answer or carries <c>errors</c> (not found, no access), the whole answer is
    /// refused: a slot offered over an unreadable calendar could be a double booking.
    /// </summary>
    public async Task<(IReadOnlyList<BusyInterval>? Busy, CalendarProblem? Problem)> GetBusyAsync(string customerId, Instant from, Instant to,
        IReadOnlyList<string> calendarIds, CancellationToken cancellationToken)
    {
        var (access, unavailable) = await connections.GetAccessAsync(customerId, cancellationToken);
        if (access is null) return (null, unavailable);
        var (response, problem) = await CallAsync(customerId, access,
            (token, ct) => google.QueryFreeBusyAsync(token, from.ToDateTimeOffset(), to.ToDateTimeOffset(), calendarIds, null, ct), cancellationToken);
        if (response is null) return (null, problem);

        var busy = new List<BusyInterval>();
        foreach (var calendarId in calendarIds)
        {
            FreeBusyCalendar? entry = null;
            if (response.Calendars?.TryGetValue(calendarId, out entry) != true || entry is null || entry.Errors is { Count: > 0 })
            {
                log.LogWarning("freeBusy could not read calendar {CalendarId} of customer {CustomerId}: {Reason}", calendarId, customerId,
                    entry?.Errors?.FirstOrDefault()?.Reason ?? "missing");
                failures.CalendarUnreadable(customerId, entry?.Errors?.FirstOrDefault()?.Reason);
                return (null, CouldNotRead);
            }

            busy.AddRange((entry.Busy ?? []).Select(b => new BusyInterval(Instant.FromDateTimeOffset(b.Start), Instant.FromDateTimeOffset(b.End))));
        }

        return (busy, null);
    }

    private static readonly CalendarProblem CouldNotRead = new(CalendarErrorCodes.CalendarUnavailable,
        "The company's calendar could not be read right now, so availability is unknown. Please try again in a few minutes.");

    /// <summary>
    /// One call on an event of the company calendar. Google's answers that mean something for an event
    /// (404 not found, 409 duplicate, 410 deleted) come back as <c>Refusal</c> for the caller to decide; anything
    /// else that fails is a <c>Problem</c> (could not read or write the calendar), as for every other call.
    /// </summary>
    public async Task<(T? Value, GoogleApiException? Refusal, CalendarProblem? Problem)> EventCallAsync<T>(string customerId,
        Func<string, CancellationToken, Task<T>> call, CancellationToken cancellationToken) where T : class
    {
        var (access, unavailable) = await connections.GetAccessAsync(customerId, cancellationToken);
        if (access is null) return (null, null, unavailable);
        var (value, refusal, problem) = await CallCoreAsync(customerId, access, call, EventRefusals, cancellationToken);
        return (value, refusal, problem is null ? null : problem == CouldNotRead ? CouldNotWrite : problem);
    }

    private static readonly HashSet<HttpStatusCode> EventRefusals = [HttpStatusCode.NotFound, HttpStatusCode.Conflict, HttpStatusCode.Gone];

    private static readonly HashSet<HttpStatusCode> NoRefusals = [];

    private static readonly CalendarProblem CouldNotWrite = new(CalendarErrorCodes.CalendarUnavailable,
        "The company's calendar could not be reached right now, so nothing was changed. Please try again in a few minutes.");

    private async Task<(T? Value, CalendarProblem? Problem)> CallAsync<T>(string customerId, CalendarAccess access,
        Func<string, CancellationToken, Task<T>> call, CancellationToken cancellationToken) where T : class
    {
        var (value, _, problem) = await CallCoreAsync(customerId, access, call, NoRefusals, cancellationToken);
        return (value, problem);
    }

    private async Task<(T? Value, GoogleApiException? Refusal, CalendarProblem? Problem)> CallCoreAsync<T>(string customerId, CalendarAccess access,
        Func<string, CancellationToken, Task<T>> call, IReadOnlySet<HttpStatusCode> refusals, CancellationToken cancellationToken) where T : class
    {
        using var company = GoogleRequests.ForCompany(customerId);
        try
        {
            return (await call(access.AccessToken, cancellationToken), null, null);
        }
        catch (GoogleApiException e) when (refusals.Contains(e.Status))
        {
            return (null, e, null);
        }
        catch (GoogleApiException e) when (e.IsUnauthorized)
        {
            // The token may have been revoked or expired early: refresh once and retry once.
            var (renewed, unavailable) = await connections.RenewAfterRejectionAsync(customerId, access.AccessToken, cancellationToken);
            if (renewed is null) return (null, null, unavailable);
            try
            {
                return (await call(renewed.AccessToken, cancellationToken), null, null);
            }
            catch (GoogleApiException again) when (refusals.Contains(again.Status))
            {
                return (null, again, null);
            }
            catch (GoogleApiException again)
            {
                log.LogWarning("Google Calendar refused customer {CustomerId} after a refresh: {Status} {Reason}", customerId, (int)again.Status, again.Reason);
                failures.CalendarCallFailed(customerId, again);
                return (null, null, CouldNotRead);
            }
        }
        catch (GoogleApiException e) when (e.IsCircuitOpen)
        {
            // Said once, when the breaker opened; each call it turns away meanwhile is not news.
            log.LogDebug("Google Calendar not asked for customer {CustomerId}: its circuit breaker is open", customerId);
            return (null, null, CouldNotRead);
        }
        catch (GoogleApiException e)
        {
            log.LogWarning("Google Calendar error for customer {CustomerId}: {Status} {Reason}", customerId, (int)e.Status, e.Reason);
            failures.CalendarCallFailed(customerId, e);
            return (null, null, e.Status == HttpStatusCode.NotFound
                ? new CalendarProblem(CalendarErrorCodes.NeedsReauthorization,
                    "The company's calendar was not found in Google Calendar. The company may need to connect its calendar again.")
                : CouldNotRead);
        }
    }
}
