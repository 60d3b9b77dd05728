using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace CalendarConnect.McpServer.Tests.Mcp;

/// <summary>
/// Arguments a model gets wrong: missing, null, of the wrong JSON type, too big for their type, or dates at the ends of the
/// calendar. Every tool answers a tool error with code invalid_argument naming the argument, and the log holds no error
/// and no stack trace (any company key holder could otherwise fill it).
/// </summary>
public class ToolArgumentTests
{
    private const string Customer = "empresa-args-1";
    private const string Email = "agenda@empresa-args.com";

    /// <summary>An event id of the right shape that names no appointment.</summary>
    private const string SomeEventId = "cc0123456789abcdefghijklmnopqrstuv0123456789abcdefgh";

    /// <summary>(tool, arguments as JSON, the argument the answer must name).</summary>
    private static List<(string Tool, string Json, string Named)> Cases()
    {
        var day = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        var start = $"{day}T10:00:00-03:00";
        var huge = new string('9', 100_000);
        return
        [
            ("get_available_slots", "{}", "date_iso"),
            ("get_available_slots", """{"date_iso": 20250116}""", "date_iso"),
            ("get_available_slots", """{"date_iso": ["2025-01-16"]}""", "date_iso"),
            ("get_available_slots", """{"date_iso": {"day": "2025-01-16"}}""", "date_iso"),
            ("get_available_slots", """{"date_iso": null}""", "date_iso"),
            ("get_available_slots", """{"date_iso": true}""", "date_iso"),
            ("get_available_slots", """{"date_iso": "9999-12-31"}""", "date_iso"),
            ("get_available_slots", """{"date_iso": "0001-01-01"}""", "date_iso"),
            ("get_available_slots", $$"""{"date_iso": "{{huge}}"}""", "date_iso"),
            ("get_available_slots", $$"""{"date_iso": "{{day}}", "duration_minutes": "60"}""", "duration_minutes"),
            ("get_available_slots", $$"""{"date_iso": "{{day}}", "duration_minutes": 1e30}""", "duration_minutes"),
            ("get_available_slots", $$"""{"date_iso": "{{day}}", "duration_minutes": 2147483648}""", "duration_minutes"),
            ("get_available_slots", $$"""{"date_iso": "{{day}}", "duration_minutes": 90.5}""", "duration_minutes"),
            ("get_available_slots", $$"""{"date_iso": "{{day}}", "duration_minutes": {{huge}}}""", "duration_minutes"),
            ("find_next_available_slots", """{"from_iso": 5}""", "from_iso"),
            ("find_next_available_slots", """{"from_iso": "9999-12-31T23:59:00+00:00"}""", "from_iso"),
            ("find_next_available_slots", """{"from_iso": "9999-12-31"}""", "from_iso"),
            ("find_next_available_slots", """{"from_iso": "0001-01-01T00:00:00-03:00"}""", "from_iso"),
            ("find_next_available_slots", """{"count": "3"}""", "count"),
            ("find_next_available_slots", """{"count": -2147483649}""", "count"),
            ("find_next_available_slots", """{"count": 2147483647}""", "count"),
            ("find_next_available_slots", """{"part_of_day": ["morning"]}""", "part_of_day"),
            ("find_next_available_slots", """{"part_of_day": 12}""", "part_of_day"),
            ("find_next_available_slots", """{"duration_minutes": {}}""", "duration_minutes"),
            ("book_appointment", "{}", "start_iso"),
            ("book_appointment", $$"""{"start_iso": "{{start}}"}""", "customer_name"),
            ("book_appointment", """{"start_iso": 1737036000, "customer_name": "Ana"}""", "start_iso"),
            ("book_appointment", """{"start_iso": "9999-12-31T23:00:00-03:00", "customer_name": "Ana"}""", "start_iso"),
            ("book_appointment", """{"start_iso": "0001-01-01T00:00:00+00:00", "customer_name": "Ana"}""", "start_iso"),
            ("book_appointment", $$"""{"start_iso": "{{start}}", "customer_name": null}""", "customer_name"),
            ("book_appointment", $$"""{"start_iso": "{{start}}", "customer_name": ["Ana"]}""", "customer_name"),
            ("book_appointment", $$"""{"start_iso": "{{start}}", "customer_name": "{{new string('A', 100_000)}}"}""", "customer_name"),
            ("book_appointment", $$"""{"start_iso": "{{start}}", "customer_name": "Ana", "duration_minutes": "sixty"}""", "duration_minutes"),
            ("book_appointment", $$"""{"start_iso": "{{start}}", "customer_name": "Ana", "customer_email": 5}""", "customer_email"),
            ("book_appointment", $$"""{"start_iso": "{{start}}", "customer_name": "Ana", "customer_phone": 5491155550000}""", "customer_phone"),
            ("book_appointment", $$$"""{"start_iso": "{{{start}}}", "customer_name": "Ana", "notes": {"text": "hi"}}""", "notes"),
            ("book_appointment", $$"""{"start_iso": "{{start}}", "customer_name": "Ana", "idempotency_key": 7}""", "idempotency_key"),
            ("cancel_appointment", "{}", "event_id"),
            ("cancel_appointment", """{"event_id": null}""", "event_id"),
            ("cancel_appointment", """{"event_id": 12345}""", "event_id"),
            ("reschedule_appointment", $$"""{"event_id": "{{SomeEventId}}"}""", "new_start_iso"),
            ("reschedule_appointment", """{"new_start_iso": "2025-01-16T10:00:00-03:00"}""", "event_id"),
            ("reschedule_appointment", $$"""{"event_id": "{{SomeEventId}}", "new_start_iso": "9999-12-31T23:00:00+14:00"}""", "new_start_iso"),
            ("reschedule_appointment", $$"""{"event_id": "{{SomeEventId}}", "new_start_iso": ["{{start}}"]}""", "new_start_iso"),
            ("list_appointments", "{}", "from_iso"),
            ("list_appointments", $$"""{"from_iso": "{{day}}"}""", "to_iso"),
            ("list_appointments", """{"from_iso": "0001-01-01", "to_iso": "9999-12-31"}""", "from_iso"),
            ("list_appointments", """{"from_iso": "2025-01-01", "to_iso": "9999-12-31"}""", "to_iso"),
            ("list_appointments", """{"from_iso": "9999-12-31", "to_iso": "9999-12-31"}""", "from_iso"),
            ("list_appointments", """{"from_iso": "2025-01-01", "to_iso": 20250201}""", "to_iso"),
        ];
    }

    [Fact]
    public async Task Every_bad_argument_answers_invalid_argument_naming_it_and_logs_no_error()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        await using var client = await h.McpClientAsync(Customer);
        var failures = new List<string>();
        foreach (var (tool, json, named) in Cases())
        {
            var arguments = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!
                .ToDictionary(a => a.Key, a => (object?)a.Value);
            var result = await client.CallToolAsync(tool, arguments);
            var text = McpServerHarness.TextOf(result);
            var code = result.Meta?["calendarconnect/error_code"]?.GetValue<string>();
            var shown = json.Length > 120 ? json[..120] + "…" : json;
            if (result.IsError != true || code != "invalid_argument" || !text.Contains(named, StringComparison.Ordinal))
                failures.Add($"{tool} {shown}: isError={result.IsError}, code={code}, text={text}");
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.DoesNotContain(h.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains("   at ", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_type_is_answered_with_what_was_expected_from_the_schema()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        var day = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");

        var missing = await h.CallAsync(Customer, "get_available_slots", []);
        Assert.Equal("date_iso is required: a string, a date written YYYY-MM-DD (e.g. 2025-01-16).", McpServerHarness.TextOf(missing));

        var number = await h.CallAsync(Customer, "find_next_available_slots", new() { ["count"] = 1e30 });
        Assert.Equal("count must be a whole number from 1 to 20; it was a number too large.", McpServerHarness.TextOf(number));

        var choice = await h.CallAsync(Customer, "find_next_available_slots", new() { ["part_of_day"] = 3 });
        Assert.Equal("part_of_day must be a string, one of: morning, afternoon, evening; it was a number.", McpServerHarness.TextOf(choice));

        var list = await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = day, ["duration_minutes"] = new[] { 60 } });
        Assert.Equal("duration_minutes must be a whole number from 5 to 1440; it was a list.", McpServerHarness.TextOf(list));
    }

    [Fact]
    public async Task Optional_arguments_sent_as_null_count_as_left_out()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        var result = await h.CallAsync(Customer, "find_next_available_slots", new()
        {
            ["from_iso"] = null, ["count"] = null, ["duration_minutes"] = null, ["part_of_day"] = null,
        });
        Assert.True(result.IsError != true, McpServerHarness.TextOf(result));
        Assert.Equal(5, result.StructuredContent!.Value.GetProperty("slots").GetArrayLength());
    }
}
