using System.Diagnostics.Metrics;
using CalendarConnect.Backend.WhatsApp;
using CalendarConnect.Infrastructure.Telemetry;
using static CalendarConnect.Infrastructure.Telemetry.TelemetryNames;

namespace CalendarConnect.Backend.Telemetry;

/// <summary>
/// The backend's meter (<see cref="TelemetryNames.BackendMeter"/>): assistant messages by outcome and channel, and the
/// WhatsApp inbox's depth, read from the database at most once per <see cref="GaugeMaxAge"/> while an exporter collects it.
/// </summary>
public sealed class BackendMetrics
{
    public static readonly TimeSpan GaugeMaxAge = TimeSpan.FromSeconds(10);

    private readonly Counter<long> _messages;
    private readonly CachedReading<long> _inbox;

    public BackendMetrics(IMeterFactory meters, WhatsAppReceivedMessages inbox, ILogger<BackendMetrics> log)
    {
        var meter = meters.Create(BackendMeter);
        _messages = meter.CreateCounter<long>(Instruments.AssistantMessages, "{message}", "Messages the assistant answered, by channel and outcome.");
        // Real time, not the business clock a test may freeze: this is how often the database is asked.
        _inbox = new CachedReading<long>(inbox.CountPendingAsync, GaugeMaxAge, TimeProvider.System, log, "the WhatsApp inbox's depth");
        meter.CreateObservableGauge(Instruments.WhatsAppInboxDepth, ObserveInbox,
            "{message}", "WhatsApp messages received and not answered yet (all replicas).");
    }

    private IEnumerable<Measurement<long>> ObserveInbox()
    {
        if (_inbox.TryGetLatest(out var depth)) yield return new Measurement<long>(depth);
    }

    /// <param name="outcome">One of <see cref="CalendarConnect.Assistant.AssistantOutcomes"/>, or <see cref="Values.Error"/>.</param>
    public void AssistantMessage(string channel, string outcome) =>
        _messages.Add(1, new KeyValuePair<string, object?>(Tags.Channel, channel), new KeyValuePair<string, object?>(Tags.Outcome, outcome));
}
