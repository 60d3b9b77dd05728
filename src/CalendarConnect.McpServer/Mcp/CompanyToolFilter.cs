using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace CalendarConnect.McpServer.Mcp;

/// <summary>
/// What every tool call needs before the tool's own work (an MCP call-tool filter, the innermost): the company from
/// <c>X-Customer-Id</c> (<see cref="CustomerContext"/>), refused as a tool error when missing or invalid, and handed to
/// the tool as <see cref="ToolCompany"/>; a <see cref="CalendarProblemException"/> the tool meets while loading the
/// company's context is answered as its error result. A call for no tool of ours (an unknown name) is left to the SDK.
/// </summary>
public static class CompanyToolFilter
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Apply(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            if (context.MatchedPrimitive is not McpServerTool) return await next(context, cancellationToken);
            var services = context.Services!;
            var (customerId, error) = services.GetRequiredService<CustomerContext>().Resolve();
            if (customerId is null) return ToolResults.Failure(error!);
            services.GetRequiredService<ToolCompany>().Select(customerId);
            try
            {
                return await next(context, cancellationToken);
            }
            catch (CalendarProblemException e)
            {
                return ToolResults.Failure(e.Problem);
            }
        };
}
