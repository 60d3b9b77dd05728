using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CalendarConnect.Testing;

/// <summary>
/// An OTLP/HTTP receiver on loopback (what a collector listens on at 4318), for the services to export to with
/// <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>. Keeps every payload as it arrived, and reads spans and metric names
/// out of them at the protobuf wire level (field numbers of opentelemetry-proto's trace.proto and metrics.proto).
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<byte[]> _traces = new();
    private readonly ConcurrentQueue<byte[]> _metrics = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    /// <summary>OTEL_EXPORTER_OTLP_ENDPOINT for the services (the exporter adds /v1/traces and /v1/metrics).</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>The settings that make a service export here, quickly (the SDK reads them from configuration).</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "250",
    };

    /// <summary>Every payload received, traces and metrics, as sent: to search for what must never be in them.</summary>
    public IEnumerable<byte[]> Payloads => _traces.Concat(_metrics);

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", (HttpRequest request) => receiver.ReceiveAsync(request, receiver._traces));
        app.MapPost("/v1/metrics", (HttpRequest request) => receiver.ReceiveAsync(request, receiver._metrics));
        await app.StartAsync();
        receiver.Endpoint = app.Urls.First();
        return receiver;
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request, ConcurrentQueue<byte[]> into)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        into.Enqueue(body.ToArray());
        // An empty Export*ServiceResponse: everything accepted.
        return Results.Bytes([], "application/x-protobuf");
    }

    /// <summary>Every span received: ExportTraceServiceRequest.resource_spans(1).scope_spans(2).spans(2).</summary>
    public IReadOnlyList<OtlpSpan> Spans() =>
        (from payload in _traces.ToArray()
         from resourceSpans in Messages(payload, 1)
         let service = ServiceName(resourceSpans)
         from scopeSpans in Messages(resourceSpans, 2)
         let scope = Messages(scopeSpans, 1).Select(s => Text(s, 1)).FirstOrDefault() ?? ""
         from span in Messages(scopeSpans, 2)
         select new OtlpSpan(service, scope, Hex(Bytes(span, 1)), Hex(Bytes(span, 2)), Hex(Bytes(span, 4)), Text(span, 5) ?? "",
             Attributes(span, 9))).DistinctBy(s => s.SpanId).ToList();

    /// <summary>The names of every metric received: resource_metrics(1).scope_metrics(2).metrics(2).name(1).</summary>
    public IReadOnlySet<string> MetricNames() =>
        (from payload in _metrics.ToArray()
         from resourceMetrics in Messages(payload, 1)
         from scopeMetrics in Messages(resourceMetrics, 2)
         from metric in Messages(scopeMetrics, 2)
         select Text(metric, 1) ?? "").ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Every data point received, with its metric's name and scope (the meter): metric.gauge(5) | sum(7) | histogram(9),
    /// each with data_points(1), whose attributes are field 7 of a NumberDataPoint and field 9 of a HistogramDataPoint.
    /// </summary>
    public IReadOnlyList<OtlpMetricPoint> MetricPoints() =>
        (from payload in _metrics.ToArray()
         from resourceMetrics in Messages(payload, 1)
         from scopeMetrics in Messages(resourceMetrics, 2)
         let scope = Messages(scopeMetrics, 1).Select(s => Text(s, 1)).FirstOrDefault() ?? ""
         from metric in Messages(scopeMetrics, 2)
         let name = Text(metric, 1) ?? ""
         from point in Messages(metric, 5).Concat(Messages(metric, 7)).SelectMany(data => Messages(data, 1)).Select(p => Attributes(p, 7))
             .Concat(Messages(metric, 9).SelectMany(data => Messages(data, 1)).Select(p => Attributes(p, 9)))
         select new OtlpMetricPoint(scope, name, point)).ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Resource.attributes(1) service.name of a Resource*(resource = field 1).</summary>
    private static string ServiceName(byte[] resourceScoped) =>
        Messages(resourceScoped, 1).SelectMany(r => Attributes(r, 1)).FirstOrDefault(a => a.Key == "service.name").Value ?? "";

    /// <summary>KeyValue(key = 1, value = AnyValue(string_value = 1 | bool = 2 | int = 3 | double = 4)) as text.</summary>
    private static Dictionary<string, string> Attributes(byte[] message, int field)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var keyValue in Messages(message, field))
        {
            var key = Text(keyValue, 1) ?? "";
            var value = Messages(keyValue, 2).FirstOrDefault();
            attributes[key] = value is null ? "" : Text(value, 1) ?? Scalar(value) ?? "";
        }

        return attributes;
    }

    private static string? Scalar(byte[] anyValue)
    {
        var input = new CodedInputStream(anyValue);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 2: return input.ReadBool() ? "true" : "false";
                case 3: return input.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
                case 4: return input.ReadDouble().ToString(System.Globalization.CultureInfo.InvariantCulture);
                default: input.SkipLastField(); break;
            }
        }

        return null;
    }

    /// <summary>Every length-delimited occurrence of <paramref name="field"/> in a message.</summary>
    private static IEnumerable<byte[]> Messages(byte[] message, int field)
    {
        var found = new List<byte[]>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                found.Add(input.ReadBytes().ToByteArray());
            else
                input.SkipLastField();
        }

        return found;
    }

    private static byte[] Bytes(byte[] message, int field) => Messages(message, field).FirstOrDefault() ?? [];

    private static string? Text(byte[] message, int field) =>
        Messages(message, field).Select(b => System.Text.Encoding.UTF8.GetString(b)).FirstOrDefault();

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}

/// <summary>One span as received: its service, instrumentation scope, ids, name and attributes.</summary>
public sealed record OtlpSpan(string Service, string Scope, string TraceId, string SpanId, string ParentSpanId, string Name,
    IReadOnlyDictionary<string, string> Attributes);

/// <summary>One data point as received: its meter, its metric's name and its attributes.</summary>
public sealed record OtlpMetricPoint(string Scope, string Name, IReadOnlyDictionary<string, string> Attributes);
