using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Web;
using CalendarConnect.Infrastructure.Hosting;
using CalendarConnect.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CalendarConnect.EndToEnd.Tests;

/// <summary>
/// OpenTelemetry as an operator receives it: the three services export over OTLP/HTTP to a receiver on loopback while a
/// company is connected and the assistant books; the spans of the booking's <c>tools/call</c> reach down to the HTTP
/// call to Google, the metrics arrive, and nothing secret or private is in any payload.
/// </summary>
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
            everyService: receiver.Settings);

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

        // Nothing secret or private in any payload: keys, tokens, the OAuth code and state, what the customer wrote.
        string[] secrets = [system.EncryptionKey, system.ApiKey, SystemHarness.AdminPassword, SystemHarness.DataProtectionKey, accessToken, code, state,
            Request, "Quiero reservar", Name, conversation!];
        foreach (var payload in receiver.Payloads)
            foreach (var secret in secrets)
                Assert.False(payload.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) >= 0, $"An OTLP payload contains '{secret[..Math.Min(8, secret.Length)]}…'");
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
