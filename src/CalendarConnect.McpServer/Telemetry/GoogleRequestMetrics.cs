using CalendarConnect.McpServer.GoogleCalendar;
using static CalendarConnect.Infrastructure.Telemetry.TelemetryNames;

namespace CalendarConnect.McpServer.Telemetry;

/// <summary>
/// Counts and times each request the Google HttpClients send (inside their resilience handlers, so each attempt, a
/// retry included, is one request): by endpoint (<see cref="GoogleRequests.Endpoint"/>), Google's status, or why no
/// answer came (<c>timeout</c>: an attempt's timeout or the caller gave up; <c>unreachable</c>: no connection).
/// </summary>
public sealed class GoogleRequestMetrics(McpServerMetrics metrics, WaitClock clock) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var endpoint = request.Options.TryGetValue(GoogleRequests.Endpoint, out var named) ? named : GoogleEndpoints.Other;
        var started = clock.Time.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            metrics.GoogleRequest(endpoint, (int)response.StatusCode, null, clock.Time.GetElapsedTime(started));
            return response;
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException)
        {
            metrics.GoogleRequest(endpoint, null, e is OperationCanceledException ? Values.Timeout : Values.Unreachable, clock.Time.GetElapsedTime(started));
            throw;
        }
    }
}
