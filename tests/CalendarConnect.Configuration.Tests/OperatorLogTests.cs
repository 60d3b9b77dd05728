using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CalendarConnect.GoogleEmulator;
using CalendarConnect.McpServer.TokenVault;
using CalendarConnect.Testing;

namespace CalendarConnect.Configuration.Tests;

/// <summary>
/// The JSON log an operator reads (<c>Logging__Console__FormatterName=json</c>) of the published MCP server, as its own
/// process: a tool call that Google fails (the emulator's fault injection, every attempt answered 500) is one warning
/// line naming the company and carrying the request's trace id, with no stack trace (an expected failure).
/// </summary>
public class OperatorLogTests
{
    private const string CustomerId = "empresa-logs-1";
    private const string Email = "agenda@logs-consultorio.com";
    private const string ApiKey = "operator-log-test-service-key-0123456789";

    [Fact]
    public async Task A_google_failure_is_one_json_line_with_the_company_and_the_trace_id_and_no_stack_trace()
    {
        await using var tokens = await TestDatabase.CreateAsync(Engines.PostgreSql);
        var folder = Directory.CreateTempSubdirectory("cc-logs-").FullName;
        try
        {
            await using var emulator = await RunningService.StartAsync("google-emulator", "CalendarConnect.GoogleEmulator",
                new Dictionary<string, string?>(), folder, "/emulator/latency");
            // Google's redirect goes nowhere real: the test takes the code from it and calls the server's callback itself.
            var redirectUri = "http://127.0.0.1:1/oauth/callback";
            await using var mcp = await RunningService.StartAsync("mcp-server", "CalendarConnect.McpServer", new Dictionary<string, string?>
            {
                ["Logging__Console__FormatterName"] = "json",
                ["TOKEN_DB"] = tokens.Location,
                ["TOKEN_ENCRYPTION_KEY"] = FernetKey.Generate(),
                ["MCP_API_KEY"] = ApiKey,
                ["MCP_SERVER_URL"] = "http://127.0.0.1:1",
                ["GOOGLE_CLIENT_ID"] = EmulatorDefaults.ClientId,
                ["GOOGLE_CLIENT_SECRET"] = EmulatorDefaults.ClientSecret,
                ["GOOGLE_REDIRECT_URI"] = redirectUri,
                ["GOOGLE_AUTH_URI"] = new Uri(emulator.Address, "o/oauth2/v2/auth").ToString(),
                ["GOOGLE_TOKEN_URI"] = new Uri(emulator.Address, "token").ToString(),
                ["GOOGLE_REVOKE_URI"] = new Uri(emulator.Address, "revoke").ToString(),
                ["GOOGLE_CALENDAR_API_BASE"] = new Uri(emulator.Address, "calendar/v3/").ToString(),
                // Availability from Google itself, not from the busy-time mirror, so the failing freeBusy is on the tool's path.
                ["BUSY_MIRROR"] = "off",
                ["DATA_DIR"] = folder,
            }, folder);

            using var google = new HttpClient { BaseAddress = emulator.Address };
            (await google.PostAsJsonAsync("/emulator/accounts", new { email = Email, time_zone = "America/Argentina/Buenos_Aires" })).EnsureSuccessStatusCode();
            using var service = new HttpClient { BaseAddress = mcp.Address };
            service.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
            using (var authorize = await service.PostAsJsonAsync("/oauth/authorize", new { customer_id = CustomerId, customer_email = Email }))
            {
                Assert.Equal(HttpStatusCode.OK, authorize.StatusCode);
                var authorizationUrl = (await authorize.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("authorization_url").GetString()!;
                var redirect = await GoogleConsent.DecideAsync(authorizationUrl, Email, allow: true);
                using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = mcp.Address };
                using var callback = await browser.GetAsync("/oauth/callback" + redirect.Query);
                Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
            }

            // Every attempt at freeBusy (the first and its three retries) answers 500.
            (await google.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/calendar/v3/freeBusy", status = 500, count = 4 })).EnsureSuccessStatusCode();
            var before = mcp.Output.Length;
            // A weekday a week ahead: open by the default business hours, so availability asks Google.
            var date = DateTime.UtcNow.Date.AddDays(7);
            while (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) date = date.AddDays(1);
            var day = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            using var call = new HttpRequestMessage(HttpMethod.Post, "/mcp")
            {
                Content = new StringContent(JsonSerializer.Serialize(new
                {
                    jsonrpc = "2.0", id = 1, method = "tools/call", @params = new { name = "get_available_slots", arguments = new { date_iso = day } },
                }), Encoding.UTF8, "application/json"),
            };
            call.Headers.Add("X-Customer-Id", CustomerId);
            call.Headers.Accept.ParseAdd("application/json");
            call.Headers.Accept.ParseAdd("text/event-stream");
            using var answer = await service.SendAsync(call);
            var body = await answer.Content.ReadAsStringAsync();
            Assert.True(body.Contains("calendar_unavailable", StringComparison.Ordinal), body);

            // What the failure wrote: warnings and errors about the company since the call, as the operator's log shows them.
            var lines = mcp.Output[before..].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => JsonDocument.Parse(line).RootElement.Clone())
                .Where(line => line.GetProperty("LogLevel").GetString() is "Warning" or "Error" or "Critical"
                               && line.GetProperty("Message").GetString()!.Contains(CustomerId, StringComparison.Ordinal))
                .ToList();
            var failure = Assert.Single(lines);
            Assert.Contains("500", failure.GetProperty("Message").GetString());
            Assert.DoesNotContain("   at ", failure.GetRawText());
            Assert.False(failure.TryGetProperty("Exception", out _), "An expected failure is logged without its exception");
            var traceId = failure.GetProperty("Scopes").EnumerateArray()
                .Select(scope => scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("TraceId", out var id) ? id.GetString() : null)
                .FirstOrDefault(id => id is not null);
            Assert.Matches("^[0-9a-f]{32}$", traceId);
            Assert.DoesNotContain("   at ", mcp.Output[before..]);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
