using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarConnect.McpServer.Availability;
using CalendarConnect.McpServer.Booking;
using CalendarConnect.McpServer.Mcp;
using CalendarConnect.Shared;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace CalendarConnect.McpServer.Tests.Mcp;

/// <summary>
/// What tools/list and initialize tell a client: every limit the tools enforce, written in the schema from the same
/// constants; optional parameters with a single type; a title per tool; the workflow as server instructions; and every
/// protocol version the server speaks when a client asks for another.
/// </summary>
public class ToolSchemaTests
{
    private static JsonElement Property(Tool tool, string name) => tool.InputSchema.GetProperty("properties").GetProperty(name);

    private static string[] Required(Tool tool) =>
        tool.InputSchema.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!).ToArray() : [];

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static void AssertRange(Tool tool, string name, int min, int max)
    {
        var property = Property(tool, name);
        Assert.Equal("integer", property.GetProperty("type").GetString());
        Assert.Equal(min, property.GetProperty("minimum").GetInt32());
        Assert.Equal(max, property.GetProperty("maximum").GetInt32());
    }

    private static void AssertString(Tool tool, string name, int? maxLength = null, string? format = null)
    {
        var property = Property(tool, name);
        Assert.Equal("string", property.GetProperty("type").GetString());
        if (maxLength is { } max) Assert.Equal(max, property.GetProperty("maxLength").GetInt32());
        if (format is not null) Assert.Equal(format, property.GetProperty("format").GetString());
    }

    /// <summary>Every "type" in a schema, at any depth.</summary>
    private static IEnumerable<(string Path, JsonElement Type)> Types(JsonElement schema, string path)
    {
        if (schema.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in schema.EnumerateObject())
            {
                if (property.Name == "type") yield return (path, property.Value);
                foreach (var inner in Types(property.Value, path + "/" + property.Name)) yield return inner;
            }
        }
        else if (schema.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in schema.EnumerateArray())
                foreach (var inner in Types(item, path + "[]")) yield return inner;
        }
    }

    [Fact]
    public async Task Tools_list_carries_titles_limits_formats_enums_and_single_types_from_the_validation_constants()
    {
        await using var h = await McpServerHarness.StartAsync();
        await using var client = await h.McpClientAsync(customerId: null);
        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool);

        foreach (var tool in tools.Values)
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Title), $"{tool.Name} has no title");
            foreach (var (path, type) in Types(tool.InputSchema, tool.Name))
                Assert.True(type.ValueKind == JsonValueKind.String, $"{path}: type {type.GetRawText()} is not a single type");
            foreach (var argument in tool.InputSchema.GetProperty("properties").EnumerateObject())
                Assert.False(argument.Value.TryGetProperty("default", out var d) && d.ValueKind == JsonValueKind.Null, $"{tool.Name}.{argument.Name}: default null");
        }

        var slots = tools["get_available_slots"];
        AssertString(slots, "date_iso", format: "date");
        AssertRange(slots, "duration_minutes", BookingSettingsRules.MinSlotMinutes, BookingSettingsRules.MaxSlotMinutes);
        Assert.Equal(["date_iso"], Required(slots));

        var next = tools["find_next_available_slots"];
        AssertRange(next, "count", 1, ToolArgumentNames.MaxCount);
        AssertRange(next, "duration_minutes", BookingSettingsRules.MinSlotMinutes, BookingSettingsRules.MaxSlotMinutes);
        Assert.Equal([ToolArgumentNames.Morning, ToolArgumentNames.Afternoon, ToolArgumentNames.Evening], Strings(Property(next, "part_of_day").GetProperty("enum")));
        AssertString(next, "from_iso");
        Assert.Empty(Required(next));

        var book = tools["book_appointment"];
        AssertString(book, "start_iso", format: "date-time");
        AssertString(book, "customer_name", AppointmentInput.MaxName);
        AssertString(book, "customer_phone", AppointmentInput.MaxPhone);
        AssertString(book, "customer_email", AppointmentInput.MaxEmail, "email");
        AssertString(book, "notes", AppointmentInput.MaxNotes);
        AssertString(book, "idempotency_key", AppointmentInput.MaxIdempotencyKey);
        AssertRange(book, "duration_minutes", BookingSettingsRules.MinSlotMinutes, BookingSettingsRules.MaxSlotMinutes);
        Assert.Equal(["start_iso", "customer_name"], Required(book));

        AssertString(tools["reschedule_appointment"], "new_start_iso", format: "date-time");
        Assert.Equal(["event_id", "new_start_iso"], Required(tools["reschedule_appointment"]));

        // Status fields of the answers are closed lists too.
        Assert.Equal(["connected", "not_connected", "needs_reauthorization"],
            Strings(tools["get_calendar_status"].OutputSchema!.Value.GetProperty("properties").GetProperty("status").GetProperty("enum")));
        Assert.Equal(["confirmed", "cancelled"], Strings(tools["list_appointments"].OutputSchema!.Value.GetProperty("properties")
            .GetProperty("appointments").GetProperty("items").GetProperty("properties").GetProperty("status").GetProperty("enum")));
        Assert.Equal(["cancelled"],
            Strings(tools["cancel_appointment"].OutputSchema!.Value.GetProperty("properties").GetProperty("status").GetProperty("enum")));
    }

    /// <summary>
    /// The shared contract (CalendarConnect.Shared) is what the server offers: clients and fakes call the tools and send
    /// the arguments by those names, so a tool or parameter renamed on one side only fails here.
    /// </summary>
    [Fact]
    public async Task Tools_list_offers_exactly_the_shared_tool_and_argument_names()
    {
        await using var h = await McpServerHarness.StartAsync();
        await using var client = await h.McpClientAsync(customerId: null);
        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool);

        Assert.Equal(ToolNames.All.Order(StringComparer.Ordinal), tools.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, tool) in tools)
            Assert.Equal(ToolArgumentNames.Of(name), tool.InputSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task A_value_outside_the_schema_limits_is_refused_by_the_tool_with_the_same_limit()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync("empresa-schema-1", "agenda@empresa-schema.com");
        var tooMany = await h.CallAsync("empresa-schema-1", "find_next_available_slots", new() { ["count"] = ToolArgumentNames.MaxCount + 1 });
        Assert.Equal("invalid_argument", tooMany.Meta?["calendarconnect/error_code"]?.GetValue<string>());
        Assert.Contains($"from 1 to {ToolArgumentNames.MaxCount}", McpServerHarness.TextOf(tooMany));
        var longName = await h.CallAsync("empresa-schema-1", "book_appointment", new()
        {
            ["start_iso"] = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd") + "T10:00:00-03:00",
            ["customer_name"] = new string('a', AppointmentInput.MaxName + 1),
        });
        Assert.Equal("invalid_argument", longName.Meta?["calendarconnect/error_code"]?.GetValue<string>());
        Assert.Contains($"1 to {AppointmentInput.MaxName} characters", McpServerHarness.TextOf(longName));
    }

    [Fact]
    public async Task Initialize_sends_the_booking_workflow_as_instructions()
    {
        await using var h = await McpServerHarness.StartAsync();
        await using var client = await h.McpClientAsync(customerId: null);
        var instructions = client.ServerInstructions;
        Assert.NotNull(instructions);
        Assert.InRange(instructions.Length, 100, 600);
        var steps = new[] { "get_current_time", "get_available_slots", "confirm", "book_appointment", "idempotency_key" }
            .Select(step => instructions.IndexOf(step, StringComparison.Ordinal)).ToArray();
        Assert.All(steps, index => Assert.True(index >= 0, instructions));
        Assert.Equal(steps.Order(), steps);
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(McpServerHarness h, string? protocolVersion, string body)
    {
        using var http = h.ServiceClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (protocolVersion is not null) request.Headers.Add(ProtocolVersions.HeaderName, protocolVersion);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        // Answers come as JSON or as one server-sent event.
        var json = text.StartsWith("event:", StringComparison.Ordinal)
            ? text.Split('\n').Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..]
            : text;
        return (response.StatusCode, json.Length == 0 ? null : JsonNode.Parse(json));
    }

    [Fact]
    public async Task An_unsupported_protocol_version_is_answered_with_every_version_the_server_negotiates()
    {
        await using var h = await McpServerHarness.StartAsync();
        var (status, body) = await PostAsync(h, "1999-01-01", """{"jsonrpc":"2.0","id":7,"method":"tools/list"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(7, body!["id"]!.GetValue<int>());
        Assert.Equal(ProtocolVersions.UnsupportedProtocolVersionCode, body["error"]!["code"]!.GetValue<int>());
        Assert.Equal(ProtocolVersions.Supported, body["error"]!["data"]!["supported"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal("1999-01-01", body["error"]!["data"]!["requested"]!.GetValue<string>());
        var message = body["error"]!["message"]!.GetValue<string>();
        Assert.All(ProtocolVersions.Supported, v => Assert.Contains(v, message));

        // Each listed version is one the SDK speaks: with the header it answers (the newest one also wants its version in
        // _meta), and an initialize naming an unknown version is answered with one of them.
        foreach (var version in ProtocolVersions.Supported)
        {
            var (_, answer) = await PostAsync(h, version,
                """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"VERSION"}}}""".Replace("VERSION", version));
            Assert.True(answer?["error"] is null || answer["error"]!["code"]!.GetValue<int>() != ProtocolVersions.UnsupportedProtocolVersionCode,
                $"{version}: {answer?.ToJsonString()}");
        }

        var (_, initialized) = await PostAsync(h, null,
            """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"1999-01-01","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");
        Assert.Contains(initialized!["result"]!["protocolVersion"]!.GetValue<string>(), ProtocolVersions.Supported);
    }
}
