using System.Text.Json;

namespace CalendarConnect.McpServer.Tests.Conformance;

/// <summary>
/// A real third-party client, the official MCP inspector (@modelcontextprotocol/inspector 2.12.0, --cli), calls our
/// tools over Streamable HTTP with the service key and X-Customer-Id, exactly as an operator would from a shell.
/// </summary>
public class InspectorCliTests
{
    private const string Customer = "inspector-co";

    [Fact]
    public async Task The_inspector_cli_calls_two_tools_with_our_headers_and_gets_a_tool_error_for_an_unknown_company()
    {
        var inspector = NodeTools.Inspector;
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, "agenda@inspector-co.com");
        var home = Directory.CreateTempSubdirectory("mcp-inspector-");
        try
        {
            async Task<JsonElement> CallAsync(string customer, string tool, bool isError, params string[] toolArgs)
            {
                string[] args =
                [
                    "--cli", new Uri(h.Mcp.BaseAddress, "mcp").ToString(), "--transport", "http",
                    "--method", "tools/call", "--tool-name", tool,
                    "--header", "Authorization: Bearer " + h.ApiKey, "--header", "X-Customer-Id: " + customer,
                    .. toolArgs.SelectMany(a => new[] { "--tool-arg", a }),
                ];
                // Its catalog and settings go to a temp home, not the user's.
                var run = await NodeTools.RunAsync(inspector, args, TimeSpan.FromSeconds(60),
                    new Dictionary<string, string> { ["HOME"] = home.FullName, ["MCP_CATALOG_PATH"] = Path.Combine(home.FullName, "mcp.json") });
                // The CLI exits 5 ("tool_is_error") when the tool answered isError: true, 0 on success.
                Assert.True(run.ExitCode == (isError ? 5 : 0), $"inspector --cli {tool}: unexpected exit code.\n{run}");
                try
                {
                    return JsonDocument.Parse(run.StandardOutput).RootElement.Clone();
                }
                catch (JsonException e)
                {
                    throw new Xunit.Sdk.XunitException($"inspector --cli {tool} printed no JSON result ({e.Message}).\n{run}");
                }
            }

            var now = await CallAsync(Customer, "get_current_time", isError: false);
            Assert.False(now.TryGetProperty("isError", out var e1) && e1.GetBoolean(), now.GetRawText());
            var clock = now.GetProperty("structuredContent");
            Assert.Equal(McpServerHarness.TimeZone, clock.GetProperty("time_zone").GetString());
            Assert.EndsWith("-03:00", clock.GetProperty("now").GetString());

            var day = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
            var slots = await CallAsync(Customer, "get_available_slots", isError: false, "date_iso=" + day);
            Assert.False(slots.TryGetProperty("isError", out var e2) && e2.GetBoolean(), slots.GetRawText());
            var content = slots.GetProperty("structuredContent");
            Assert.Equal(day, content.GetProperty("date").GetString());
            Assert.Equal(McpServerHarness.TimeZone, content.GetProperty("time_zone").GetString());
            Assert.Equal($"{day}T09:00:00-03:00", content.GetProperty("slots")[0].GetProperty("start").GetString());

            var unknown = await CallAsync("nobody-here", "get_available_slots", isError: true, "date_iso=" + day);
            Assert.True(unknown.GetProperty("isError").GetBoolean(), unknown.GetRawText());
            Assert.Contains("has not connected its Google Calendar", unknown.GetProperty("content")[0].GetProperty("text").GetString());
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }
}
