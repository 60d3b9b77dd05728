using CalendarConnect.McpServer.Connections;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace CalendarConnect.McpServer.Mcp;

/// <summary>
/// The last word on a tools/call that threw (an MCP request filter): every expected failure is already a tool result, so
/// an exception here is a defect. It is logged once, as an error naming the tool and the exception's type (never its
/// message or stack trace, which may carry data), and the caller gets a clear tool error instead of the SDK's. The SDK's
/// own log lines are kept at Error and above (Program.cs), so this is where a failing tool shows.
/// </summary>
public static class ToolFailures
{
    public static readonly CalendarProblem Unexpected = new(CalendarProblem.CalendarUnavailable,
        "Something went wrong on the calendar server, so this could not be answered. If it was a change, it may or may not have been made: " +
        "check with list_appointments before trying again.");

    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Apply(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            try
            {
                return await next(context, cancellationToken);
            }
            // The SDK's own McpException (an unknown tool, arguments that do not bind) is the protocol's answer, not a defect.
            catch (Exception e) when (e is not (OperationCanceledException or ModelContextProtocol.McpException))
            {
                context.Services!.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ToolFailures).FullName!)
                    .LogError("Tool {Tool} failed unexpectedly ({Error})", context.Params?.Name ?? "?", e.GetType().Name);
                return ToolResults.Failure(Unexpected);
            }
        };
}
