using CalendarConnect.Backend.McpServer;
using CalendarConnect.Backend.SignIn;
using CalendarConnect.Backend.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalendarConnect.Backend.SystemStatus;

/// <summary>
/// GET /v1/system-status (admin only): what the "Estado del sistema" page shows, read from the MCP server's database
/// through its GET /system-status, so every replica of either service answers the same.
/// </summary>
public static class SystemStatusEndpoints
{
    public static IEndpointRouteBuilder MapSystemStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/system-status", GetAsync).RequireAuthorization(AdminAuthentication.ApiPolicy)
            .WithTags("System status")
            .WithSummary("Companies needing re-authorization, Google failures of the last hour, the busy-time mirror's last syncs")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        return app;
    }

    public static async Task<Results<Ok<SystemStatusView>, ProblemHttpResult>> GetAsync(McpServerClient mcp, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await mcp.GetSystemStatusAsync(cancellationToken));
        }
        catch (McpServerException ex)
        {
            loggers.CreateLogger(typeof(SystemStatusEndpoints)).LogWarning("System status: {Message}", ex.Message);
            return Problems.McpServerUnavailable();
        }
    }
}
