using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.Testing;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Client;

namespace CalendarConnect.McpServer.Tests.Mcp;

/// <summary>Spec step 7 through the official MCP client: X-Customer-Id selects the calendar, slots avoid busy time.</summary>
public class CalendarToolsTests(CalendarToolsTests.Connected connected) : IClassFixture<CalendarToolsTests.Connected>
{
    private const string Email = "contacto@empresa-abc.com";
    private const string Customer = "empresa-abc-123";

    /// <summary>The company connected, for the tests that only read its calendar or ask what must be refused.</summary>
    public sealed class Connected : ClassServers
    {
        protected override Task SeedAsync(McpServerHarness harness) => harness.ConnectAsync(Customer, Email);
    }

    [Fact]
    public async Task Tools_list_needs_no_customer_and_describes_the_tools()
    {
        var h = await connected.ForAsync();
        await using var client = await h.McpClientAsync(customerId: null);
        var tools = await client.ListToolsAsync();
        var slots = Assert.Single(tools, t => t.Name == "get_available_slots");
        Assert.Contains("date_iso", slots.ProtocolTool.InputSchema.GetRawText());
        Assert.NotNull(slots.ProtocolTool.OutputSchema);
        Assert.True(slots.ProtocolTool.Annotations?.ReadOnlyHint);
        Assert.Contains(tools, t => t.Name == "get_current_time");
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Free_slots_skip_busy_time_and_carry_the_calendars_offset(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync(Customer, Email);
        var day = McpServerHarness.NextWeekday();
        await h.AddEventAsync(Email, Timed("busy1", day, "10:00", "11:30"));
        await h.AddEventAsync(Email, Timed("free1", day, "14:00", "15:00", transparency: "transparent"));
        await h.AddEventAsync(Email, new { id = "allday1", summary = "otro día", start = new { date = day.AddDays(1).ToString("yyyy-MM-dd") }, end = new { date = day.AddDays(2).ToString("yyyy-MM-dd") } });

        var result = await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = day.ToString("yyyy-MM-dd") });
        Assert.NotEqual(true, result.IsError);
        var structured = result.StructuredContent!.Value;
        Assert.Equal(day.ToString("yyyy-MM-dd"), structured.GetProperty("date").GetString());
        Assert.Equal(McpServerHarness.TimeZone, structured.GetProperty("time_zone").GetString());
        var starts = structured.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("start").GetString()).ToList();
        var d = day.ToString("yyyy-MM-dd");
        Assert.Equal(
            new[] { "09", "12", "13", "14", "15", "16", "17" }.Select(hh => $"{d}T{hh}:00:00-03:00"),
            starts);
        Assert.Equal($"{d}T10:00:00-03:00", structured.GetProperty("slots")[0].GetProperty("end").GetString());
        // The same JSON is in the text content for clients that read only text.
        Assert.Equal(structured.GetRawText(), McpServerHarness.TextOf(result));
    }

    [Fact]
    public async Task Weekend_has_no_slots()
    {
        var h = await connected.ForAsync();
        var day = McpServerHarness.NextWeekday(3);
        while (day.DayOfWeek != DayOfWeek.Saturday) day = day.AddDays(1);
        var result = await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = day.ToString("yyyy-MM-dd") });
        Assert.NotEqual(true, result.IsError);
        Assert.Equal(0, result.StructuredContent!.Value.GetProperty("slots").GetArrayLength());
    }

    [Theory]
    [InlineData(null, "X-Customer-Id")]
    [InlineData("<script>", "not a valid customer id")]
    [InlineData("nobody-here", "has not connected its Google Calendar")]
    public async Task Tools_without_a_connected_customer_answer_isError_with_a_relayable_message(string? customer, string expected)
    {
        var h = await connected.ForAsync();
        var result = await h.CallAsync(customer, "get_available_slots", new() { ["date_iso"] = "2030-01-15" });
        Assert.True(result.IsError);
        Assert.Contains(expected, McpServerHarness.TextOf(result));
        var code = result.Meta?["calendarconnect/error_code"]?.GetValue<string>();
        Assert.Equal(customer switch { null => "missing_customer", "<script>" => "invalid_customer", _ => "not_connected" }, code);
    }

    [Theory]
    [InlineData("16/01/2025")]
    [InlineData("tomorrow")]
    [InlineData("2025-02-30")]
    [InlineData("")]
    [InlineData("2025-01-16T15:00:00Z")]
    public async Task Bad_dates_answer_isError(string date)
    {
        var h = await connected.ForAsync();
        var result = await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = date });
        Assert.True(result.IsError);
        Assert.Contains("YYYY-MM-DD", McpServerHarness.TextOf(result));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task One_company_never_sees_anothers_calendar(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync("company-a", "a@example.com");
        await h.ConnectAsync("company-b", "b@example.com");
        var day = McpServerHarness.NextWeekday();
        await h.AddEventAsync("a@example.com", Timed("abusy", day, "09:00", "18:00"));
        var a = await h.CallAsync("company-a", "get_available_slots", new() { ["date_iso"] = day.ToString("yyyy-MM-dd") });
        var b = await h.CallAsync("company-b", "get_available_slots", new() { ["date_iso"] = day.ToString("yyyy-MM-dd") });
        Assert.Equal(0, a.StructuredContent!.Value.GetProperty("slots").GetArrayLength());
        Assert.Equal(9, b.StructuredContent!.Value.GetProperty("slots").GetArrayLength());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Expired_access_token_is_refreshed_once_and_the_refresh_token_kept(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync(Customer, Email);
        using (var http = h.Emulator.CreateClient()) (await http.PostAsync("/emulator/expire-access-tokens", null)).EnsureSuccessStatusCode();

        var day = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = day })));
        Assert.All(results, r => Assert.NotEqual(true, r.IsError));
        var requests = await h.EmulatorRequestsAsync();
        Assert.Single(requests.EnumerateArray(), r => r.TryGetProperty("grant_type", out var g) && g.GetString() == "refresh_token");

        // Expire again: the stored refresh token (Google sent none on refresh) still works.
        using (var http = h.Emulator.CreateClient()) (await http.PostAsync("/emulator/expire-access-tokens", null)).EnsureSuccessStatusCode();
        var again = await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = day });
        Assert.NotEqual(true, again.IsError);

        // Neither the refreshed access token nor the refresh token appears in any log line.
        Assert.True(CalendarConnect.McpServer.TokenVault.FernetKey.TryParse(h.EncryptionKey, out var key));
        var fernet = new CalendarConnect.McpServer.TokenVault.Fernet([key], TimeProvider.System);
        await using var db = await h.Database.OpenAsync();
        var row = await Dapper.SqlMapper.QuerySingleAsync<(string Access, string Refresh)>(db, "SELECT access_token, refresh_token FROM oauth_tokens");
        Assert.DoesNotContain(fernet.DecryptToString(row.Access), h.Logs.All);
        Assert.DoesNotContain(fernet.DecryptToString(row.Refresh), h.Logs.All);
        Assert.Contains("Access token refreshed for customer", h.Logs.All);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Proactive_refresh_before_expiry(string engine)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await McpServerHarness.StartAsync(clock, engine: engine);
        await h.ConnectAsync(Customer, Email);
        var day = McpServerHarness.NextWeekday(3).ToString("yyyy-MM-dd");
        Assert.NotEqual(true, (await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = day })).IsError);
        clock.Advance(TimeSpan.FromMinutes(56)); // inside the 5-minute refresh-ahead window of a 3599 s token
        Assert.NotEqual(true, (await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = day })).IsError);
        var requests = await h.EmulatorRequestsAsync();
        Assert.Single(requests.EnumerateArray(), r => r.TryGetProperty("grant_type", out var g) && g.GetString() == "refresh_token");
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Revoked_grant_becomes_needs_reauthorization_never_an_empty_day(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync(Customer, Email);
        using (var http = h.Emulator.CreateClient())
            (await http.PostAsync($"/emulator/accounts/{Uri.EscapeDataString(Email)}/revoke", null)).EnsureSuccessStatusCode();

        var result = await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd") });
        Assert.True(result.IsError);
        Assert.Contains("authorize it again", McpServerHarness.TextOf(result));
        Assert.Equal("needs_reauthorization", result.Meta?["calendarconnect/error_code"]?.GetValue<string>());
        using var service = h.ServiceClient();
        var status = await service.GetFromJsonAsync<JsonElement>($"/customers/{Customer}/calendar-status");
        Assert.Equal("needs_reauthorization", status.GetProperty("status").GetString());
        Assert.False(status.GetProperty("calendar_connected").GetBoolean());
    }

    [Fact]
    public async Task A_transient_token_endpoint_failure_is_retried_once_and_an_outage_never_disconnects()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        var day = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        using var control = h.Emulator.CreateClient();
        (await control.PostAsync("/emulator/expire-access-tokens", null)).EnsureSuccessStatusCode();

        // One 503: the refresh's one retry succeeds.
        (await control.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/token", status = 503, count = 1 })).EnsureSuccessStatusCode();
        Assert.NotEqual(true, (await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = day })).IsError);
        var requests = await h.EmulatorRequestsAsync();
        Assert.Equal(2, requests.EnumerateArray().Count(r => r.TryGetProperty("grant_type", out var g) && g.GetString() == "refresh_token"));

        // Google's token endpoint down for longer: the call fails closed, the company stays connected.
        (await control.PostAsync("/emulator/expire-access-tokens", null)).EnsureSuccessStatusCode();
        (await control.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/token", status = 500, count = 10 })).EnsureSuccessStatusCode();
        var failed = await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = day });
        Assert.True(failed.IsError);
        Assert.Equal("calendar_unavailable", failed.Meta?["calendarconnect/error_code"]?.GetValue<string>());
        using var service = h.ServiceClient();
        var status = await service.GetFromJsonAsync<JsonElement>($"/customers/{Customer}/calendar-status");
        Assert.Equal("connected", status.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Google_failures_fail_closed()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        using (var http = h.Emulator.CreateClient())
            (await http.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/calendar/v3/freeBusy", status = 500, count = 5 })).EnsureSuccessStatusCode();
        var result = await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd") });
        Assert.True(result.IsError);
        Assert.Contains("could not be read", McpServerHarness.TextOf(result));
    }

    [Fact]
    public async Task Current_time_is_in_the_companys_zone()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        var result = await h.CallAsync(Customer, "get_current_time");
        Assert.NotEqual(true, result.IsError);
        var s = result.StructuredContent!.Value;
        Assert.Equal(McpServerHarness.TimeZone, s.GetProperty("time_zone").GetString());
        Assert.EndsWith("-03:00", s.GetProperty("now").GetString());
    }

    private static object Timed(string id, DateOnly day, string from, string to, string transparency = "opaque") => new
    {
        id = "evt" + id,
        summary = id,
        start = new { dateTime = $"{day:yyyy-MM-dd}T{from}:00", timeZone = McpServerHarness.TimeZone },
        end = new { dateTime = $"{day:yyyy-MM-dd}T{to}:00", timeZone = McpServerHarness.TimeZone },
        transparency,
    };
}
