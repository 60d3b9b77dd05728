using System.Text.Json.Nodes;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.McpServer.Telemetry;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using static CalendarConnect.Infrastructure.Telemetry.TelemetryNames;

namespace CalendarConnect.McpServer.Mcp;

/// <summary>
/// Counts and times every tools/call (an MCP request filter, the outermost, so it sees the answer the caller gets):
/// by tool and outcome, <c>ok</c> or the error code of an error result (<see cref="ToolResultMeta.ErrorCode"/>), or
/// <c>cancelled</c> / <c>error</c> when the call ended in an exception the SDK answers (the caller hung up, a
/// protocol error). A name that is no tool of ours counts as <c>unknown</c>: a caller's text never becomes a series.
/// </summary>
public static class ToolMetrics
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Apply(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            var services = context.Services!;
            var metrics = services.GetRequiredService<McpServerMetrics>();
            var time = services.GetRequiredService<WaitClock>().Time;
            var tool = context.MatchedPrimitive is McpServerTool matched ? matched.ProtocolTool.Name : Values.Unknown;
            var started = time.GetTimestamp();
            var outcome = Values.Error;
            try
            {
                var result = await next(context, cancellationToken);
                outcome = OutcomeOf(result);
                return result;
            }
            catch (OperationCanceledException)
            {
                outcome = Values.Cancelled;
                throw;
            }
            finally
            {
                metrics.ToolCall(tool, outcome, time.GetElapsedTime(started));
            }
        };

    private static string OutcomeOf(CallToolResult result) =>
        result.IsError != true ? Values.Ok
        // Always one of CalendarErrorCodes: only ToolResults.Failure sets it.
        : result.Meta?[ToolResultMeta.ErrorCode] is JsonValue value && value.TryGetValue<string>(out var code) ? code
        : Values.Error;
}
