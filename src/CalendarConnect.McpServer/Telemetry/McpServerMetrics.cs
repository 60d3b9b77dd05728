using System.Diagnostics;
using System.Diagnostics.Metrics;
using CalendarConnect.Infrastructure.Telemetry;
using CalendarConnect.McpServer.Configuration;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.McpServer.Mirror;
using CalendarConnect.McpServer.TokenVault;
using Microsoft.Extensions.Options;
using NodaTime;
using static CalendarConnect.Infrastructure.Telemetry.TelemetryNames;

namespace CalendarConnect.McpServer.Telemetry;

/// <summary>
/// The MCP server's meter (<see cref="TelemetryNames.McpServerMeter"/>): its instruments are created once, here, and
/// recorded by the code that knows the outcome (the tool-call filter, the Google handler, the token refresher). The
/// gauges read the database at most once per <see cref="GaugeMaxAge"/>, and only while an exporter collects them.
/// </summary>
public sealed class McpServerMetrics
{
    /// <summary>How old a gauge's database reading may be: a count query per replica every so often, whatever the export interval.</summary>
    public static readonly TimeSpan GaugeMaxAge = TimeSpan.FromSeconds(10);

    /// <summary>The statuses always reported, 0 when no company has them, so a dashboard's series exist from the start.</summary>
    private static readonly string[] Statuses = [ConnectionStatus.Connected, ConnectionStatus.NeedsReauthorization, ConnectionStatus.NotConnected];

    private readonly Counter<long> _toolCalls;
    private readonly Histogram<double> _toolDuration;
    private readonly Counter<long> _googleRequests;
    private readonly Histogram<double> _googleDuration;
    private readonly Counter<long> _refreshes;
    private readonly CachedReading<IReadOnlyDictionary<string, long>> _companies;
    private readonly CachedReading<Instant?> _oldestSync;
    private readonly TimeProvider _time;

    public McpServerMetrics(IMeterFactory meters, TokenStore tokens, MirrorStore mirror, IOptions<McpServerSettings> settings, TimeProvider time, WaitClock clock,
        ILogger<McpServerMetrics> log)
    {
        _time = time;
        var meter = meters.Create(McpServerMeter);
        _toolCalls = meter.CreateCounter<long>(Instruments.ToolCalls, "{call}", "MCP tools/call requests answered, by tool and outcome.");
        _toolDuration = meter.CreateHistogram<double>(Instruments.ToolCallDuration, "s", "How long MCP tools/call requests took, by tool and outcome.");
        _googleRequests = meter.CreateCounter<long>(Instruments.GoogleRequests, "{request}",
            "HTTP requests sent to Google (each attempt, retries included), by endpoint and status.");
        _googleDuration = meter.CreateHistogram<double>(Instruments.GoogleRequestDuration, "s", "How long Google took to answer each request, by endpoint and status.");
        _refreshes = meter.CreateCounter<long>(Instruments.TokenRefreshes, "{refresh}", "Access-token refreshes at Google, by outcome and failure reason.");
        _companies = new CachedReading<IReadOnlyDictionary<string, long>>(tokens.CountByStatusAsync, GaugeMaxAge, clock.Time, log, "the companies by status");
        _oldestSync = new CachedReading<Instant?>(mirror.OldestSyncAsync,
            GaugeMaxAge, clock.Time, log, "the mirror's oldest sync");
        meter.CreateObservableGauge(Instruments.Companies, ObserveCompanies, "{company}", "Companies by the status of their calendar connection.");
        // Only where there is a mirror (BUSY_MIRROR=on): off, no calendar is ever synced and the gauge would say nothing.
        if (settings.Value.BusyMirror)
            meter.CreateObservableGauge(Instruments.MirrorSyncAge, ObserveMirrorAge, "s",
                "Seconds since the last sync of the mirrored calendar synced longest ago (how stale the busy-time mirror can be).");
    }

    public void ToolCall(string tool, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { Tags.ToolName, tool }, { Tags.Outcome, outcome } };
        _toolCalls.Add(1, tags);
        _toolDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>One request to Google: its status, or (no answer) why not.</summary>
    public void GoogleRequest(string endpoint, int? status, string? errorType, TimeSpan duration)
    {
        var tags = new TagList { { Tags.GoogleEndpoint, endpoint } };
        if (status is { } code) tags.Add(Tags.HttpStatusCode, BoxedStatus(code));
        if (errorType is not null) tags.Add(Tags.ErrorType, errorType);
        _googleRequests.Add(1, tags);
        _googleDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>A refresh that ended: <paramref name="failure"/> null when a new access token was saved.</summary>
    public void TokenRefresh(string? failure)
    {
        if (failure is null) _refreshes.Add(1, new KeyValuePair<string, object?>(Tags.Outcome, Values.Ok));
        else _refreshes.Add(1, new KeyValuePair<string, object?>(Tags.Outcome, Values.Error), new KeyValuePair<string, object?>(Tags.ErrorType, failure));
    }

    private IEnumerable<Measurement<long>> ObserveCompanies()
    {
        if (!_companies.TryGetLatest(out var counts)) yield break;
        foreach (var status in Statuses.Union(counts.Keys))
            yield return new Measurement<long>(counts.GetValueOrDefault(status), new KeyValuePair<string, object?>(Tags.ConnectionStatus, status));
    }

    private IEnumerable<Measurement<double>> ObserveMirrorAge()
    {
        if (!_oldestSync.TryGetLatest(out var read) || read is not { } oldest) yield break;
        yield return new Measurement<double>(Math.Max(0, (Instant.FromDateTimeOffset(_time.GetUtcNow()) - oldest).TotalSeconds));
    }

    // HTTP statuses boxed once: a tag value is an object, and a request should not allocate one for its status.
    private static readonly object[] Boxed = Enumerable.Range(0, 600).Select(code => (object)code).ToArray();

    private static object BoxedStatus(int code) => code is >= 0 and < 600 ? Boxed[code] : code;
}
