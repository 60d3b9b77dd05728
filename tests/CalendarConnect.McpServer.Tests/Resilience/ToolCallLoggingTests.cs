using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using CalendarConnect.Testing;

namespace CalendarConnect.McpServer.Tests.Resilience;

/// <summary>
/// What a tool call leaves in the log when it does not end well: a caller that hangs up while Google is slow (a client's own
/// timeout, a load test stopping) is no error of ours, and a defect is one error line. Neither leaves a stack trace, from
/// our tools, the MCP SDK or ASP.NET Core.
/// </summary>
public class ToolCallLoggingTests
{
    [Fact]
    public async Task A_caller_that_hangs_up_mid_call_leaves_no_stack_trace_in_the_log()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync("empresa-abc-123", "contacto@empresa-abc.com");
        using (var control = h.Emulator.CreateClient())
            (await control.PutAsJsonAsync("/emulator/latency", new { ms = 3000 })).EnsureSuccessStatusCode();

        using var http = h.Mcp.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent("""
                {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_available_slots","arguments":{"date_iso":"DAY"}}}
                """.Replace("DAY", McpServerHarness.NextWeekday().ToString("yyyy-MM-dd")), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", h.ApiKey);
        request.Headers.Add("X-Customer-Id", "empresa-abc-123");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var hangUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => http.SendAsync(request, hangUp.Token));

        await Eventually.TrueAsync(() => Task.FromResult(h.Logs.Lines.Any(l => l.Contains("the caller went away", StringComparison.Ordinal))),
            "the server noticed the caller left");
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains("   at ", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tool_that_fails_unexpectedly_answers_a_tool_error_and_logs_one_line_without_a_stack_trace()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync("empresa-abc-123", "contacto@empresa-abc.com");
        // A database broken behind the server's back: no tool expects this.
        await using (var connection = await h.Database.OpenAsync())
        await using (var drop = connection.CreateCommand())
        {
            drop.CommandText = "DROP TABLE booking_settings";
            await drop.ExecuteNonQueryAsync();
        }

        var result = await h.CallAsync("empresa-abc-123", "get_available_slots", new() { ["date_iso"] = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd") });
        Assert.True(result.IsError);
        Assert.Equal(CalendarConnect.McpServer.Mcp.ToolFailures.Unexpected.Message, McpServerHarness.TextOf(result));
        var failure = Assert.Single(h.Logs.Lines, l => l.Contains("failed unexpectedly", StringComparison.Ordinal));
        Assert.Contains("get_available_slots", failure);
        Assert.Contains("SqliteException", failure);
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains("   at ", StringComparison.Ordinal));
    }
}
