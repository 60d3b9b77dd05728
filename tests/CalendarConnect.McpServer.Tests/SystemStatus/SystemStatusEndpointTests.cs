using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.McpServer.SystemStatus;
using CalendarConnect.McpServer.Tests.Mirror;
using CalendarConnect.Testing;

namespace CalendarConnect.McpServer.Tests.SystemStatus;

/// <summary>
/// GET /system-status: the service key only; an empty system reads as empty lists and zero counts; a malformed query is a
/// 400 that says what is expected; a company whose grant Google revoked is listed for re-authorization with the refresh
/// failure, and a Calendar API failure injected at the emulator is counted, with reason codes and no token anywhere.
/// </summary>
public class SystemStatusEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> StatusAsync(HttpClient service, string query = "")
    {
        using var response = await service.GetAsync("/system-status" + query, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    [Fact]
    public async Task Only_the_service_key_may_read_it()
    {
        await using var h = await McpServerHarness.StartAsync();
        using var anonymous = h.Mcp.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/system-status", Ct)).StatusCode);

        using var wrong = h.Mcp.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/system-status", Ct)).StatusCode);

        using var service = h.ServiceClient();
        using var issued = await service.PostAsJsonAsync("/customers/empresa-clave/mcp-keys", new { label = "asistente" }, Ct);
        issued.EnsureSuccessStatusCode();
        var companyKey = (await issued.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("api_key").GetString();
        using var company = h.Mcp.CreateClient();
        company.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", companyKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await company.GetAsync("/system-status", Ct)).StatusCode);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task An_empty_system_has_nothing_to_report(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        using var service = h.ServiceClient();
        var status = await StatusAsync(service);
        Assert.Equal(0, status.GetProperty("needs_reauthorization").GetProperty("total").GetInt64());
        Assert.Empty(status.GetProperty("needs_reauthorization").GetProperty("companies").EnumerateArray());
        var failures = status.GetProperty("google_failures");
        Assert.Equal(60, failures.GetProperty("window_minutes").GetInt32());
        Assert.Equal(0, failures.GetProperty("by_kind").GetProperty("calendar_api").GetInt64());
        Assert.Equal(0, failures.GetProperty("by_kind").GetProperty("token_refresh").GetInt64());
        Assert.Empty(failures.GetProperty("latest").EnumerateArray());
        // The harness turns the mirror off: it says so rather than listing nothing as if it were on.
        Assert.False(status.GetProperty("mirror").GetProperty("enabled").GetBoolean());
        Assert.Empty(status.GetProperty("mirror").GetProperty("calendars").EnumerateArray());
    }

    [Theory]
    [InlineData("?window_minutes=0", "window_minutes must be a whole number from 1 to 1440.")]
    [InlineData("?window_minutes=1441", "window_minutes must be a whole number from 1 to 1440.")]
    [InlineData("?window_minutes=-5", "window_minutes must be a whole number from 1 to 1440.")]
    [InlineData("?window_minutes=abc", "window_minutes must be a whole number from 1 to 1440.")]
    [InlineData("?window_minutes=", "window_minutes must be a whole number from 1 to 1440.")]
    [InlineData("?latest=51", "latest must be a whole number from 1 to 50.")]
    [InlineData("?latest=1e1", "latest must be a whole number from 1 to 50.")]
    [InlineData("?latest=5&latest=6", "Give window_minutes and latest at most once each.")]
    public async Task A_malformed_query_is_refused_with_what_is_expected(string query, string detail)
    {
        await using var h = await McpServerHarness.StartAsync();
        using var service = h.ServiceClient();
        using var response = await service.GetAsync("/system-status" + query, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(detail, (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_revoked_grant_and_an_injected_Google_failure_are_reported_with_reason_codes_only()
    {
        await using var h = await McpServerHarness.StartAsync();
        using var service = h.ServiceClient();
        var day = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        await h.ConnectAsync("empresa-revocada", "agenda@empresa-revocada.com");
        await h.ConnectAsync("empresa-caida", "agenda@empresa-caida.com");

        // The company revokes access at Google: the next call's refresh is refused (invalid_grant).
        using var control = h.Emulator.CreateClient();
        (await control.PostAsync("/emulator/accounts/agenda%40empresa-revocada.com/revoke", null, Ct)).EnsureSuccessStatusCode();
        Assert.True((await h.CallAsync("empresa-revocada", "get_available_slots", new() { ["date_iso"] = day })).IsError);
        // Google's Calendar API fails (503 backendError) for the next calls.
        (await control.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/calendar/v3/freeBusy", status = 503, count = 50 }, Ct)).EnsureSuccessStatusCode();
        Assert.True((await h.CallAsync("empresa-caida", "get_available_slots", new() { ["date_iso"] = day })).IsError);
        await h.Mcp.GetRequiredService<GoogleFailureFlusher>().FlushAsync(Ct);

        using var response = await service.GetAsync("/system-status?latest=5", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var status = JsonDocument.Parse(text).RootElement;

        var reauthorization = status.GetProperty("needs_reauthorization");
        Assert.Equal(1, reauthorization.GetProperty("total").GetInt64());
        var company = Assert.Single(reauthorization.GetProperty("companies").EnumerateArray());
        Assert.Equal("empresa-revocada", company.GetProperty("customer_id").GetString());
        Assert.Equal("invalid_grant", company.GetProperty("reason").GetString());
        Assert.True(company.GetProperty("since").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));

        var failures = status.GetProperty("google_failures");
        Assert.True(failures.GetProperty("by_kind").GetProperty("calendar_api").GetInt64() >= 1);
        Assert.Equal(1, failures.GetProperty("by_kind").GetProperty("token_refresh").GetInt64());
        var latest = failures.GetProperty("latest").EnumerateArray().ToList();
        var refresh = Assert.Single(latest, l => l.GetProperty("kind").GetString() == GoogleFailureKinds.TokenRefresh);
        Assert.Equal(("empresa-revocada", "invalid_grant"), (refresh.GetProperty("customer_id").GetString(), refresh.GetProperty("reason").GetString()));
        var calendar = Assert.Single(latest, l => l.GetProperty("kind").GetString() == GoogleFailureKinds.CalendarApi);
        Assert.Equal("empresa-caida", calendar.GetProperty("customer_id").GetString());
        Assert.Equal(503, calendar.GetProperty("http_status").GetInt32());
        Assert.Equal("backendError", calendar.GetProperty("reason").GetString());

        // Never a token, a code or a message of Google's in the answer.
        Assert.DoesNotContain("ya29", text);
        Assert.DoesNotContain("access_token", text);
        Assert.DoesNotContain("refresh_token", text);
        Assert.DoesNotContain("gAAAAA", text);
    }

    [Fact]
    public async Task With_the_mirror_on_each_calendar_shows_its_last_sync_and_its_failures_in_a_row()
    {
        await using var h = await MirrorHarness.StartAsync();
        using var service = h.ServiceClient();
        await h.ConnectAsync(MirrorHarness.Customer, MirrorHarness.Email);
        await h.SyncedAsync();

        var mirror = (await StatusAsync(service)).GetProperty("mirror");
        Assert.True(mirror.GetProperty("enabled").GetBoolean());
        Assert.Equal(1, mirror.GetProperty("total").GetInt64());
        var calendar = Assert.Single(mirror.GetProperty("calendars").EnumerateArray());
        Assert.Equal((MirrorHarness.Customer, "primary"), (calendar.GetProperty("customer_id").GetString(), calendar.GetProperty("calendar_id").GetString()));
        Assert.True(calendar.GetProperty("synced_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal(0, calendar.GetProperty("failures").GetInt32());

        // Google fails the sync's listing: the calendar says how many syncs failed in a row, and why.
        await h.FaultAsync("/calendar/v3/calendars/primary/events", 500, 1000);
        await Eventually.TrueAsync(async () =>
        {
            var failing = Assert.Single((await StatusAsync(service)).GetProperty("mirror").GetProperty("calendars").EnumerateArray());
            return failing.GetProperty("failures").GetInt32() >= 1 && failing.GetProperty("last_error").GetString() == "calendar_unavailable";
        }, "the failed sync shown");
    }
}
