using System.Data.Common;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Infrastructure.Hosting;
using Dapper;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CalendarConnect.Backend.Web;

/// <summary>
/// The health endpoints, both through the framework's health checks. GET /healthz is liveness: it runs no check and
/// answers 200 <c>{"status":"ok"}</c> while the process serves requests (restart it when this fails). GET /readyz is
/// readiness: 200 <c>{"status":"ready"}</c> while the customer database answers, 503 problem+json otherwise (send it no
/// traffic meanwhile), the same shape as the MCP server's /readyz.
/// </summary>
public static class Readiness
{
    private const string ReadyTag = "ready";
    public const string NotReadyDetail = "The customer database is not reachable.";

    public static IServiceCollection AddReadiness(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<CustomerDatabaseHealthCheck>("customer_database", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = (context, _) => TypedResults.Ok(new { status = "ok" }).ExecuteAsync(context),
        }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = (context, report) => report.Status == HealthStatus.Healthy
                ? TypedResults.Ok(new { status = "ready" }).ExecuteAsync(context)
                : TypedResults.Problem(NotReadyDetail, statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context),
        }).AllowAnonymous();
        return app;
    }
}

/// <summary>
/// The customer database answers a query of the schema within <see cref="Timeout"/>. Its failure is one line in the
/// log (the framework's, with the reason as the description), never a stack trace.
/// </summary>
public sealed class CustomerDatabaseHealthCheck(CustomerDatabase database) : IHealthCheck
{
    private static TimeSpan Timeout => ServiceDefaults.ReadinessCheckTimeout;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            // WaitAsync as well as the token: the driver's own cancellation of a query to a hung server can take it most of a
            // minute (its cancel request goes to the same hung server), and the probe must answer within its limit.
            await QueryAsync(timeout.Token).WaitAsync(Timeout, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        // Only what an unreachable or hung database throws: a defect (say, an InvalidOperationException) is not
        // "not reachable", and the framework reports it as the failed check it is.
        catch (Exception ex) when (ex is DbException or IOException or TimeoutException or System.Net.Sockets.SocketException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = ex is OperationCanceledException or TimeoutException ? $"no answer within {Timeout.TotalSeconds:0} s" : ex.Message.ReplaceLineEndings(" ");
            return HealthCheckResult.Unhealthy($"{CustomerDatabaseOptions.Variable} at '{database.DescribeLocation()}' is not reachable: {reason}");
        }
    }

    private async Task QueryAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MAX(version) FROM schema_version;", cancellationToken: cancellationToken));
    }
}
