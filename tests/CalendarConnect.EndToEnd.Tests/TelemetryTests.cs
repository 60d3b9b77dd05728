using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Web;
using CalendarConnect.Infrastructure.Hosting;
using CalendarConnect.Infrastructure.Telemetry;
using CalendarConnect.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CalendarConnect.EndToEnd.Tests;

/// <summary>
/// OpenTelemetry as an operator receives it: the three services export over OTLP/HTTP to a receiver on loopback while a
/// company is connected and the assistant books; the spans of the booking's <c>tools/call</c> reach down to the HTTP
/// call to Google beneath the assistant's turn span, the CalendarConnect.* metrics arrive with their tags, and nothing
/// secret or private is in any payload.
/// </summary>
[Collection(nameof(TelemetryTests))]
public class TelemetryTests
{
    private const string Zone = "America/Argentina/Buenos_Aires";
    private const string CustomerId = "empresa-otel-1";
    private const string Email = "agenda@otel-consultorio.com";

    [Fact]
    public async Task A_booking_is_traced_from_the_assistant_through_tools_call_to_google_with_metrics_and_nothing_secret()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var system = await SystemHarness.StartAsync(new FakeTimeProvider(new DateTimeOffset(2025, 1, 15, 13, 0, 0, TimeSpan.Zero)),
            mirrorWithPush: true, everyService: receiver.Settings);

        // The connection, by hand, to know the OAuth state and code that must never be exported.
        await system.CreateGoogleAccountAsync(Email, Zone);
        using var api = system.AdminApi();
        using var connect = await api.PostAsJsonAsync("/v1/customer-calendars/connect",
            new { customer_id = CustomerId, customer_email = Email, customer_name = "Consultorio Otel" });
        connect.EnsureSuccessStatusCode();
        var authorizationUrl = (await connect.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorization_url").GetString()!;
        var state = HttpUtility.ParseQueryString(new Uri(authorizationUrl).Query)["state"]!;
        var redirect = await GoogleConsent.DecideAsync(authorizationUrl, Email, allow: true);
        var code = HttpUtility.ParseQueryString(redirect.Query)["code"]!;
        using (var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false })) (await browser.GetAsync(redirect)).Dispose();
        // Google stops taking the first access token: the booking's first call gets a 401 and the token is refreshed.
        var firstAccessToken = await system.AccessTokenAsync(CustomerId);
        using (var emulator = system.Emulator.CreateClient()) (await emulator.PostAsync("/emulator/expire-access-tokens", null)).EnsureSuccessStatusCode();

        const string Request = "Quiero reservar para mañana a las 10";
        const string Name = "Valentina Otelo";
        using var assistant = system.Backend.CreateClient();
        string? conversation = null;
        string reply = "";
        foreach (var text in new[] { Request, "sí", Name })
        {
            using var response = await assistant.PostAsJsonAsync("/v1/assistant/messages", new { customer_id = CustomerId, conversation_id = conversation, text });
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            conversation = body.GetProperty("conversation_id").GetString();
            reply = body.GetProperty("reply").GetString()!;
        }

        Assert.Equal("Listo, reservé tu turno para el jueves 16 de enero a las 10:00. ¡Te esperamos!", reply);
        var accessToken = await system.AccessTokenAsync(CustomerId);

        await Eventually.TrueAsync(() => Task.FromResult(BookingReachesGoogle(receiver.Spans())),
            "a tools/call book_appointment span with an HTTP call to Google's Calendar API beneath it, in the assistant's trace");
        await Eventually.TrueAsync(() => Task.FromResult(receiver.MetricNames().IsSupersetOf(["http.server.request.duration", "http.client.request.duration"])),
            "the request duration metrics of the services and of their HTTP clients");
        await Eventually.TrueAsync(() => Task.FromResult(TurnParentsBookingAndGoogle(receiver.Spans())),
            "the assistant's turn span (company, channel, outcome booked) above the tools/call book_appointment span and the HTTP call to Google");
        foreach (var (scope, name, tags) in ExpectedMetrics)
            await Eventually.TrueAsync(() => Task.FromResult(receiver.MetricPoints().Any(p => p.Scope == scope && p.Name == name
                    && tags.All(tag => p.Attributes.TryGetValue(tag.Key, out var value) && (tag.Value is null || tag.Value == value)))),
                $"{name} from {scope} with {string.Join(", ", tags.Select(t => $"{t.Key}={t.Value ?? "*"}"))}");

        // Nothing secret or private in any payload: keys, tokens, the OAuth code and state, what the customer wrote.
        string[] secrets = [system.EncryptionKey, system.ApiKey, SystemHarness.AdminPassword, SystemHarness.DataProtectionKey, firstAccessToken, accessToken, code, state,
            Request, "Quiero reservar", Name, conversation!];
        foreach (var payload in receiver.Payloads)
            foreach (var secret in secrets)
                Assert.False(payload.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) >= 0, $"An OTLP payload contains '{secret[..Math.Min(8, secret.Length)]}…'");
    }

    /// <summary>Every CalendarConnect.* instrument this flow must produce, with its tags (a null value: any value).</summary>
    private static readonly (string Scope, string Name, Dictionary<string, string?> Tags)[] ExpectedMetrics =
    [
        (TelemetryNames.McpServerMeter, TelemetryNames.Instruments.ToolCalls,
            new() { [TelemetryNames.Tags.ToolName] = "book_appointment", [TelemetryNames.Tags.Outcome] = TelemetryNames.Values.Ok }),
        (TelemetryNames.McpServerMeter, TelemetryNames.Instruments.ToolCallDuration,
            new() { [TelemetryNames.Tags.ToolName] = "book_appointment", [TelemetryNames.Tags.Outcome] = TelemetryNames.Values.Ok }),
        (TelemetryNames.McpServerMeter, TelemetryNames.Instruments.GoogleRequests,
            new() { [TelemetryNames.Tags.GoogleEndpoint] = "calendar.events.insert", [TelemetryNames.Tags.HttpStatusCode] = "200" }),
        (TelemetryNames.McpServerMeter, TelemetryNames.Instruments.GoogleRequestDuration,
            new() { [TelemetryNames.Tags.GoogleEndpoint] = "calendar.freebusy.query", [TelemetryNames.Tags.HttpStatusCode] = null }),
        (TelemetryNames.McpServerMeter, TelemetryNames.Instruments.GoogleRequests,
            new() { [TelemetryNames.Tags.GoogleEndpoint] = "oauth.token.exchange", [TelemetryNames.Tags.HttpStatusCode] = "200" }),
        (TelemetryNames.McpServerMeter, TelemetryNames.Instruments.TokenRefreshes, new() { [TelemetryNames.Tags.Outcome] = TelemetryNames.Values.Ok }),
        (TelemetryNames.McpServerMeter, TelemetryNames.Instruments.Companies, new() { [TelemetryNames.Tags.ConnectionStatus] = "connected" }),
        (TelemetryNames.McpServerMeter, TelemetryNames.Instruments.MirrorSyncAge, new()),
        (TelemetryNames.BackendMeter, TelemetryNames.Instruments.AssistantMessages,
            new() { [TelemetryNames.Tags.Channel] = TelemetryNames.Values.ApiChannel, [TelemetryNames.Tags.Outcome] = "booked" }),
        (TelemetryNames.BackendMeter, TelemetryNames.Instruments.AssistantMessages,
            new() { [TelemetryNames.Tags.Channel] = TelemetryNames.Values.ApiChannel, [TelemetryNames.Tags.Outcome] = "proposed" }),
        (TelemetryNames.BackendMeter, TelemetryNames.Instruments.WhatsAppInboxDepth, new()),
    ];

    /// <summary>
    /// The assistant's turn span that booked (company, channel and outcome as attributes, nothing else of the customer's)
    /// has among its descendants the tools/call book_appointment span and, beneath, the HTTP call to Google.
    /// </summary>
    private static bool TurnParentsBookingAndGoogle(IReadOnlyList<OtlpSpan> spans)
    {
        var children = spans.ToLookup(s => s.ParentSpanId);
        // Other tests in this process run assistants too, and every in-process exporter hears them: only this company's turn counts.
        foreach (var turn in spans.Where(s => s.Scope == TelemetryNames.AssistantSource && s.Name == TelemetryNames.AssistantTurnSpan
                                              && s.Attributes.GetValueOrDefault(TelemetryNames.Tags.Outcome) == "booked"
                                              && s.Attributes.GetValueOrDefault(TelemetryNames.Tags.CompanyId) == CustomerId))
        {
            Assert.Equal(TelemetryNames.Values.ApiChannel, turn.Attributes[TelemetryNames.Tags.Channel]);
            var beneath = new List<OtlpSpan>();
            var next = new Queue<OtlpSpan>([turn]);
            while (next.TryDequeue(out var span))
                foreach (var child in children[span.SpanId]) { beneath.Add(child); next.Enqueue(child); }
            if (beneath.Any(s => s.Scope == ServiceTelemetry.McpSdkSource && s.Name.Contains("book_appointment", StringComparison.Ordinal))
                && beneath.Any(s => s.Attributes.TryGetValue("url.full", out var url) && url.Contains("/calendar/v3/", StringComparison.Ordinal)))
                return true;
        }

        return false;
    }

    /// <summary>
    /// The MCP SDK's <c>tools/call</c> span of the booking has, among its descendants, the HTTP client span of a call to
    /// Google's Calendar API, and its trace began at the backend's assistant endpoint (context crossed both services).
    /// </summary>
    private static bool BookingReachesGoogle(IReadOnlyList<OtlpSpan> spans)
    {
        var children = spans.ToLookup(s => s.ParentSpanId);
        foreach (var call in spans.Where(s => s.Scope == ServiceTelemetry.McpSdkSource && s.Name.StartsWith("tools/call", StringComparison.Ordinal)
                                              && s.Name.Contains("book_appointment", StringComparison.Ordinal)))
        {
            var beneath = new List<OtlpSpan>();
            var next = new Queue<OtlpSpan>([call]);
            while (next.TryDequeue(out var span))
                foreach (var child in children[span.SpanId]) { beneath.Add(child); next.Enqueue(child); }
            var google = beneath.Any(s => s.Attributes.TryGetValue("url.full", out var url) && url.Contains("/calendar/v3/", StringComparison.Ordinal));
            var fromAssistant = spans.Any(s => s.TraceId == call.TraceId && s.Attributes.TryGetValue("http.route", out var route)
                                               && route == "/v1/assistant/messages");
            if (google && fromAssistant) return true;
        }

        return false;
    }
}

/// <summary>
/// The telemetry test runs alone, after the parallel ones. OpenTelemetry's MeterProvider hears every meter of its name in
/// the process, and when another test's host disposes its meter (same name, same instruments) the SDK retires the shared
/// metric stream, so this host's later measurements are dropped (open-telemetry/opentelemetry-dotnet#6412). One process
/// runs one host in production; in this test process, no other host may stop while this one exports.
/// </summary>
[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryTestsCollection;
