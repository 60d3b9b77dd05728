using System.Net.Http.Json;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace CalendarConnect.McpServer.Tests.Mcp;

/// <summary>The tool surface an LLM sees: names, annotations, schemas, a size budget, argument errors, and the newer tools.</summary>
public class ToolSurfaceTests(ToolSurfaceTests.Connected connected) : IClassFixture<ToolSurfaceTests.Connected>
{
    private const string Email = "contacto@empresa-abc.com";
    private const string Customer = "empresa-abc-123";

    /// <summary>The company connected, for the tests whose arguments are refused before Google is asked.</summary>
    public sealed class Connected : ClassServers
    {
        protected override Task SeedAsync(McpServerHarness harness) => harness.ConnectAsync(Customer, Email);
    }

    /// <summary>
    /// Every tool description and schema is sent to the model in every conversation. 600 characters is room for
    /// what the tool does, when to use it and what an empty answer means; 8 KB for the whole tools/list keeps all
    /// tools (booking tools included, about twice today's four) near 2,000 tokens of the model's context.
    /// </summary>
    public const int MaxDescriptionChars = 600;

    public const int MaxToolsListBytes = 8 * 1024;

    [Fact]
    public async Task Tools_are_snake_case_annotated_structured_and_within_the_budget()
    {
        var h = await connected.ForAsync();
        await using var client = await h.McpClientAsync(customerId: null);
        var tools = await client.ListToolsAsync();
        Assert.Superset(new HashSet<string> { "get_available_slots", "find_next_available_slots", "get_calendar_status", "get_current_time" },
            tools.Select(t => t.Name).ToHashSet());
        foreach (var tool in tools.Select(t => t.ProtocolTool))
        {
            Assert.Matches("^[a-z]+(_[a-z]+)*$", tool.Name);
            Assert.InRange(tool.Description?.Length ?? 0, 40, MaxDescriptionChars);
            Assert.NotNull(tool.OutputSchema);
            Assert.NotNull(tool.Annotations?.ReadOnlyHint);
            Assert.NotNull(tool.Annotations?.DestructiveHint);
            Assert.NotNull(tool.Annotations?.IdempotentHint);
            foreach (var argument in tool.InputSchema.GetProperty("properties").EnumerateObject())
            {
                Assert.Matches("^[a-z]+(_[a-z]+)*$", argument.Name);
                Assert.True(argument.Value.TryGetProperty("description", out _), $"{tool.Name}.{argument.Name} has no description");
            }
        }

        var readOnly = tools.Where(t => t.Name is "get_available_slots" or "find_next_available_slots" or "get_calendar_status" or "get_current_time");
        Assert.All(readOnly, t => Assert.True(t.ProtocolTool.Annotations!.ReadOnlyHint));
        var findNext = tools.Single(t => t.Name == "find_next_available_slots").ProtocolTool;
        Assert.False(findNext.InputSchema.TryGetProperty("required", out var required) && required.GetArrayLength() > 0);
        // Measured as the SDK writes it on the wire (no nulls), since that is what the model reads.
        var size = JsonSerializer.SerializeToUtf8Bytes(new ListToolsResult { Tools = tools.Select(t => t.ProtocolTool).ToList() },
            ModelContextProtocol.McpJsonUtilities.DefaultOptions).Length;
        Assert.True(size <= MaxToolsListBytes, $"tools/list is {size} bytes, over the {MaxToolsListBytes}-byte budget");
    }

    private static JsonElement Ok(CallToolResult result)
    {
        Assert.True(result.IsError != true, McpServerHarness.TextOf(result));
        return result.StructuredContent!.Value;
    }

    private static string[] Starts(JsonElement structured) =>
        structured.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("start").GetString()!).ToArray();

    [Fact]
    public async Task Find_next_searches_forward_with_count_part_of_day_and_duration()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        var day = McpServerHarness.NextWeekday();
        var d = day.ToString("yyyy-MM-dd");
        // The whole morning busy, 14:00-15:00 busy.
        await h.AddEventAsync(Email, new { id = "evtmorning", start = new { dateTime = $"{d}T09:00:00-03:00" }, end = new { dateTime = $"{d}T12:00:00-03:00" } });
        await h.AddEventAsync(Email, new { id = "evtafter", start = new { dateTime = $"{d}T14:00:00-03:00" }, end = new { dateTime = $"{d}T15:00:00-03:00" } });

        var next = Ok(await h.CallAsync(Customer, "find_next_available_slots", new() { ["from_iso"] = d }));
        Assert.Equal(McpServerHarness.TimeZone, next.GetProperty("time_zone").GetString());
        Assert.Equal(new[] { 12, 13, 15, 16, 17 }.Select(hh => $"{d}T{hh}:00:00-03:00"), Starts(next));

        var afternoon = Ok(await h.CallAsync(Customer, "find_next_available_slots", new()
        {
            ["from_iso"] = $"{d}T13:30:00-03:00", ["count"] = 3, ["part_of_day"] = "afternoon",
        }));
        Assert.Equal(new[] { 15, 16, 17 }.Select(hh => $"{d}T{hh}:00:00-03:00"), Starts(afternoon));

        // 150 minutes must fit between busy times and before 18:00: 15:00-17:30 is the only one that day.
        var longer = Ok(await h.CallAsync(Customer, "find_next_available_slots", new() { ["from_iso"] = d, ["count"] = 2, ["duration_minutes"] = 150 }));
        var starts = Starts(longer);
        Assert.Equal($"{d}T15:00:00-03:00", starts[0]);
        Assert.Equal($"{d}T17:30:00-03:00", longer.GetProperty("slots")[0].GetProperty("end").GetString());
        Assert.DoesNotContain(d, starts[1]);

        var many = Ok(await h.CallAsync(Customer, "find_next_available_slots", new() { ["count"] = 20 }));
        Assert.Equal(20, many.GetProperty("slots").GetArrayLength());

        var evening = Ok(await h.CallAsync(Customer, "find_next_available_slots", new() { ["part_of_day"] = "evening" }));
        Assert.Empty(Starts(evening)); // default hours close at 18:00: nothing within the horizon
    }

    [Fact]
    public async Task Duration_override_on_a_day()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        var slots = Ok(await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = d, ["duration_minutes"] = 90 }));
        Assert.Equal(new[] { 9, 10, 11, 12, 13, 14, 15, 16 }.Select(hh => $"{d}T{hh:00}:00:00-03:00"), Starts(slots));
        Assert.Equal($"{d}T10:30:00-03:00", slots.GetProperty("slots")[0].GetProperty("end").GetString());
    }

    [Theory]
    [InlineData("get_available_slots", "duration_minutes", 0, "duration_minutes")]
    [InlineData("get_available_slots", "duration_minutes", 5000, "duration_minutes")]
    [InlineData("find_next_available_slots", "count", 0, "count")]
    [InlineData("find_next_available_slots", "count", 21, "count")]
    [InlineData("find_next_available_slots", "part_of_day", "night", "part_of_day")]
    [InlineData("find_next_available_slots", "from_iso", "next tuesday", "from_iso")]
    [InlineData("find_next_available_slots", "duration_minutes", -30, "duration_minutes")]
    public async Task Bad_arguments_answer_invalid_argument_naming_the_argument(string tool, string argument, object value, string named)
    {
        var h = await connected.ForAsync();
        var arguments = new Dictionary<string, object?> { [argument] = value };
        if (tool == "get_available_slots") arguments["date_iso"] = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        var result = await h.CallAsync(Customer, tool, arguments);
        Assert.True(result.IsError);
        Assert.Equal("invalid_argument", result.Meta?["calendarconnect/error_code"]?.GetValue<string>());
        Assert.Contains(named, McpServerHarness.TextOf(result));
    }

    [Fact]
    public async Task Calendar_status_reports_connection_email_and_zone()
    {
        await using var h = await McpServerHarness.StartAsync();
        var before = Ok(await h.CallAsync(Customer, "get_calendar_status"));
        Assert.Equal("not_connected", before.GetProperty("status").GetString());
        Assert.False(before.GetProperty("calendar_connected").GetBoolean());

        await h.ConnectAsync(Customer, Email);
        var after = Ok(await h.CallAsync(Customer, "get_calendar_status"));
        Assert.Equal("connected", after.GetProperty("status").GetString());
        Assert.True(after.GetProperty("calendar_connected").GetBoolean());
        Assert.Equal(Email, after.GetProperty("calendar_email").GetString());
        Assert.Equal(McpServerHarness.TimeZone, after.GetProperty("time_zone").GetString());

        using (var http = h.Emulator.CreateClient())
            (await http.PostAsync($"/emulator/accounts/{Uri.EscapeDataString(Email)}/revoke", null)).EnsureSuccessStatusCode();
        // The next calendar read meets the revoked grant (401, then invalid_grant on refresh); the status says so from then on.
        Assert.True((await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd") })).IsError);
        var revoked = Ok(await h.CallAsync(Customer, "get_calendar_status"));
        Assert.Equal("needs_reauthorization", revoked.GetProperty("status").GetString());
        Assert.False(revoked.GetProperty("calendar_connected").GetBoolean());
    }

    [Theory]
    [InlineData(503, 2)]
    [InlineData(429, 3)]
    [InlineData(403, 2)] // the emulator's 403 is rateLimitExceeded
    public async Task Transient_calendar_errors_are_retried_with_backoff(int status, int count)
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        using var control = h.Emulator.CreateClient();
        (await control.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/calendar/v3/freeBusy", status, count })).EnsureSuccessStatusCode();
        var result = await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd") });
        Assert.Equal(9, Ok(result).GetProperty("slots").GetArrayLength());
        var freeBusyCalls = (await h.EmulatorRequestsAsync()).EnumerateArray().Count(r => r.GetProperty("path").GetString() == "/calendar/v3/freeBusy");
        Assert.Equal(count + 1, freeBusyCalls);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(429)]
    public async Task Persistent_calendar_errors_fail_closed_after_a_bounded_number_of_attempts(int status)
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        using var control = h.Emulator.CreateClient();
        (await control.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/calendar/v3/freeBusy", status, count = 50 })).EnsureSuccessStatusCode();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await h.CallAsync(Customer, "find_next_available_slots", new());
        Assert.True(result.IsError);
        Assert.Equal("calendar_unavailable", result.Meta?["calendarconnect/error_code"]?.GetValue<string>());
        Assert.Contains("could not be read", McpServerHarness.TextOf(result));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), started.Elapsed.ToString());
        var freeBusyCalls = (await h.EmulatorRequestsAsync()).EnumerateArray().Count(r => r.GetProperty("path").GetString() == "/calendar/v3/freeBusy");
        Assert.Equal(4, freeBusyCalls);
    }

    [Fact]
    public async Task Unauthorized_after_a_refresh_fails_closed()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        using var control = h.Emulator.CreateClient();
        (await control.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/calendar/v3/freeBusy", status = 401, count = 2 })).EnsureSuccessStatusCode();
        var result = await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd") });
        Assert.True(result.IsError);
        Assert.Equal("calendar_unavailable", result.Meta?["calendarconnect/error_code"]?.GetValue<string>());
        var requests = (await h.EmulatorRequestsAsync()).EnumerateArray().ToList();
        Assert.Single(requests, r => r.TryGetProperty("grant_type", out var g) && g.GetString() == "refresh_token");
    }
}
