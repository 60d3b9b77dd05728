using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Npgsql;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CalendarConnect.Infrastructure.Hosting;

/// <summary>
/// OpenTelemetry for every service, on when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the SDK reads the
/// other <c>OTEL_*</c> variables itself: protocol, headers, service name, export intervals): traces of ASP.NET Core,
/// HttpClient (Google, the MCP server, WhatsApp), Npgsql and the MCP SDK, and our own <c>CalendarConnect.*</c> sources
/// and meters. Off, nothing is collected at all.
/// </summary>
public static class ServiceTelemetry
{
    /// <summary>Our activity sources and meters are all named under this (<c>CalendarConnect.McpServer.Tools</c>, …).</summary>
    public const string NamePrefix = "CalendarConnect";

    /// <summary>The MCP C# SDK's ActivitySource and Meter (spans per JSON-RPC request, <c>tools/call</c> included).</summary>
    public const string McpSdkSource = "Experimental.ModelContextProtocol";

    /// <summary>Liveness and readiness probes: every few seconds from every balancer, never worth a span.</summary>
    private static readonly PathString[] Probes = ["/healthz", "/readyz"];

    /// <summary>A shareable link's token is its path (<c>/connect/{token}</c>): spans carry the route instead.</summary>
    private static readonly PathString ShareableLinks = "/connect";

    public static bool Enabled(IConfiguration configuration) => configuration.Get<TelemetrySettings>() is { OtlpEndpoint: not null and not "" };

    public static WebApplicationBuilder AddServiceTelemetry(this WebApplicationBuilder builder)
    {
        if (!Enabled(builder.Configuration)) return builder;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options =>
                {
                    options.Filter = context => !Probes.Contains(context.Request.Path);
                    options.EnrichWithHttpRequest = MaskSecretPath;
                })
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource($"{NamePrefix}.*", McpSdkSource)
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddMeter($"{NamePrefix}.*", McpSdkSource)
                .AddOtlpExporter());
        return builder;
    }

    private static void MaskSecretPath(Activity activity, HttpRequest request)
    {
        if (request.Path.StartsWithSegments(ShareableLinks)) activity.SetTag("url.path", ShareableLinks + "/{token}");
    }
}

/// <summary>The one setting of ours among OpenTelemetry's: the SDK reads it (and the other OTEL_* variables) itself.</summary>
public sealed class TelemetrySettings
{
    /// <summary>OTEL_EXPORTER_OTLP_ENDPOINT: where traces and metrics go; unset, telemetry is off.</summary>
    [ConfigurationKeyName("OTEL_EXPORTER_OTLP_ENDPOINT")]
    public string? OtlpEndpoint { get; set; }
}
