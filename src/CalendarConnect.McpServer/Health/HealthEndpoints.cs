using CalendarConnect.McpServer.Storage;

namespace CalendarConnect.McpServer.Health;

/// <summary>Liveness (the process answers) and readiness (the token database is reachable).</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }));
        routes.MapGet("/readyz", async Task<IResult> (TokenDatabase database, CancellationToken cancellationToken) =>
            await database.IsReachableAsync(cancellationToken)
                ? TypedResults.Ok(new { status = "ready" })
                : TypedResults.Problem("The token database is not reachable.", statusCode: StatusCodes.Status503ServiceUnavailable));
        return routes;
    }
}
