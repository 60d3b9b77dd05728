using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CalendarConnect.Infrastructure.Hosting;

/// <summary>
/// What every CalendarConnect service does the same way when it runs on its own (a published app, a container):
/// where it listens, how long a stop may take, and how much it logs. Each is a default an operator can override with
/// ASP.NET Core's own settings, documented in README.md ("Running in production").
/// </summary>
public static class ServiceDefaults
{
    /// <summary>
    /// How long a stop (SIGTERM, Ctrl+C) may take to finish in-flight work: above a booking's whole budget (10 s) and
    /// a WhatsApp reply's retries, so a rolling restart cuts nothing that had started. Orchestrators must wait longer
    /// before they kill (compose.yaml's stop_grace_period, Kubernetes' terminationGracePeriodSeconds).
    /// </summary>
    public static readonly TimeSpan ShutdownGracePeriod = TimeSpan.FromSeconds(45);

    /// <summary>
    /// How long a readiness probe (<c>GET /readyz</c>) waits for its database: well under a load balancer's usual probe
    /// timeout, so a hung database answers 503 rather than nothing.
    /// </summary>
    public static readonly TimeSpan ReadinessCheckTimeout = TimeSpan.FromSeconds(5);


    /// <summary>
    /// Lowest-priority configuration: every environment variable, command-line argument or appsettings file wins over
    /// these. Framework categories log warnings and errors only: at Information ASP.NET Core writes two or more lines
    /// per request, a health probe included (about a million lines a day for an idle replica behind a balancer).
    /// </summary>
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["shutdownTimeoutSeconds"] = ((int)ShutdownGracePeriod.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Extensions.Http"] = "Warning",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        // One JSON object per line on request (Logging__Console__FormatterName=json): UTC timestamps, and the scopes,
        // which carry the trace id and the request path, so a line can be followed to its trace.
        ["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true",
        ["Logging:Console:FormatterOptions:IncludeScopes"] = "true",
        ["Logging:Console:FormatterOptions:TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fffZ ",
    };

    /// <summary>Adds the defaults above beneath every other configuration source, and telemetry when it is asked for.</summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
        // Every log line written inside a request or a traced operation carries its trace and span ids (a scope the JSON
        // formatter writes under "Scopes"): the line of a failure leads to its trace. Said here, not left to the host's default.
        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        return builder.AddServiceTelemetry();
    }

    /// <summary>
    /// Listens on localhost at the service's port (its own setting: MCP_PORT, BACKEND_PORT, GOOGLE_EMULATOR_PORT), the
    /// right default on a developer's machine, unless ASP.NET Core's listen settings say otherwise (a container).
    /// </summary>
    public static WebApplicationBuilder ListenOnLocalhostUnlessConfigured(this WebApplicationBuilder builder, Func<IServiceProvider, int> port)
    {
        if (ListensWhereConfigured(builder.Configuration)) return builder;
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IServiceProvider>((kestrel, services) => kestrel.ListenLocalhost(port(services)));
        return builder;
    }

    /// <summary>
    /// Whether ASP.NET Core's own listen settings are given: <c>urls</c>, <c>http_ports</c> (ASPNETCORE_HTTP_PORTS, which
    /// the official .NET container images set) or <c>https_ports</c> — or their ASPNETCORE_ variables, or <c>--urls</c>.
    /// Then they decide where the service listens, and the service's own port setting is not used.
    /// </summary>
    public static bool ListensWhereConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["urls"]) || !string.IsNullOrWhiteSpace(configuration["http_ports"])
        || !string.IsNullOrWhiteSpace(configuration["https_ports"]);
}
