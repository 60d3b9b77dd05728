using CalendarConnect.Infrastructure.Hosting;
using CalendarConnect.McpServer.Http;
using CalendarConnect.McpServer.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CalendarConnect.McpServer.Health;

/// <summary>
/// The probes an orchestrator calls, through ASP.NET Core's health checks: liveness (<c>GET /healthz</c>, the process
/// answers; no check, so a database outage never gets a live server restarted) and readiness (<c>GET /readyz</c>, every
/// check tagged <see cref="Ready"/>: start-up done and the token database reachable). 200 <c>{"status":"ok"}</c> or
/// <c>{"status":"ready"}</c>; not ready is a 503 problem naming what is missing.
/// </summary>
public static class HealthEndpoints
{
    public const string Ready = "ready";

    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<StartedCheck>("started", tags: [Ready])
            .AddCheck<TokenDatabaseCheck>("token-database", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/healthz", Probe(_ => false, "ok")).WithMetadata(GetOnly);
        routes.MapHealthChecks("/readyz", Probe(check => check.Tags.Contains(Ready), "ready")).WithMetadata(GetOnly);
        return routes;
    }

    private static readonly HttpMethodMetadata GetOnly = new([HttpMethods.Get]);

    private static HealthCheckOptions Probe(Func<HealthCheckRegistration, bool> checks, string healthy) => new()
    {
        Predicate = checks,
        ResponseWriter = (http, report) => report.Status == HealthStatus.Healthy
            ? http.Response.WriteAsJsonAsync(new { status = healthy })
            : Problems.WriteAsync(http, StatusCodes.Status503ServiceUnavailable,
                string.Join(" ", report.Entries.Values.Where(e => e.Status != HealthStatus.Healthy).Select(e => e.Description))),
    };
}

/// <summary>
/// Ready once the host has started: the token database's migrations and the key check (<see cref="StartupChecks"/>)
/// ran to completion before, and a failure there stops the process instead.
/// </summary>
public sealed class StartedCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The server is still starting (preparing its token database)."));
}

/// <summary>The token database answers a query within <see cref="ServiceDefaults.ReadinessCheckTimeout"/>.</summary>
public sealed class TokenDatabaseCheck(TokenDatabase database) : IHealthCheck
{
    public const string NotReachable = "The token database is not reachable.";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ServiceDefaults.ReadinessCheckTimeout);
        try
        {
            // WaitAsync as well as the token: the driver's own cancellation of a query to a hung server can take it most of a
            // minute (its cancel request goes to the same hung server), and the probe must answer within its limit.
            var reachable = await database.IsReachableAsync(timeout.Token).WaitAsync(ServiceDefaults.ReadinessCheckTimeout, cancellationToken);
            return reachable ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(NotReachable);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A hung database (connection accepted, no answer) is as unready as a gone one.
            return HealthCheckResult.Unhealthy(NotReachable);
        }
    }
}
