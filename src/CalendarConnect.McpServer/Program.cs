using CalendarConnect.Infrastructure.Hosting;
using CalendarConnect.Infrastructure.Http;
using CalendarConnect.McpServer.Http;
using CalendarConnect.McpServer.Availability;
using CalendarConnect.McpServer.Booking;
using CalendarConnect.McpServer.Configuration;
using CalendarConnect.McpServer.ConnectLinks;
using CalendarConnect.McpServer.Connections;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.McpServer.Health;
using CalendarConnect.McpServer.Mcp;
using CalendarConnect.McpServer.McpKeys;
using CalendarConnect.McpServer.Mirror;
using CalendarConnect.McpServer.OAuth;
using CalendarConnect.McpServer.Security;
using CalendarConnect.McpServer.Storage;
using CalendarConnect.McpServer.SystemStatus;
using CalendarConnect.McpServer.Telemetry;
using CalendarConnect.McpServer.TokenVault;
using CalendarConnect.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CalendarConnect.McpServer;

/// <summary>
/// The MCP Calendar Server: OAuth2 handler, encrypted token store, Google Calendar client and MCP endpoint.
/// The only component that can decrypt tokens.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is [var command, ..] && !command.StartsWith('-'))
            return command == "rotate-keys" ? await RotateKeysAsync(args[1..]) : UnknownCommand(command);

        return await StartupFailure.RunAsync(() => BuildApp(args));
    }

    /// <summary><c>rotate-keys</c>: re-encrypt every stored token under the first key of TOKEN_ENCRYPTION_KEY.</summary>
    public static async Task<int> RotateKeysAsync(string[] args, IReadOnlyDictionary<string, string?>? settings = null, TextWriter? output = null,
        CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args)
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var options = McpServerSettingsRegistration.Read(configuration);
        var keys = options.ParseEncryptionKeys();
        if (keys.Count == 0)
        {
            Console.Error.WriteLine("Configuration error: TOKEN_ENCRYPTION_KEY must list the new key first, then every old key still in use (comma-separated).");
            return 1;
        }

        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; interrupt.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            await using var database = new TokenDatabase(options.TokenDb);
            var rotation = new KeyRotation(database, new Fernet(keys, TimeProvider.System), output);
            var outcome = await rotation.RunAsync(interrupt.Token);
            return outcome.Interrupted ? 130 : outcome.Unreadable > 0 ? 2 : 0;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or InvalidOperationException)
        {
            Console.Error.WriteLine($"Start-up error: the token database cannot be opened ({e.GetType().Name}). Check TOKEN_DB.");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static int UnknownCommand(string command)
    {
        Console.Error.WriteLine($"Unknown command '{command}'. Commands: rotate-keys (re-encrypt stored tokens under the first key of TOKEN_ENCRYPTION_KEY).");
        return 2;
    }

    /// <param name="settings">Configuration that wins over environment variables (tests and the AppHost use it).</param>
    /// <param name="overrideServices">Runs last, so tests can replace a service (a fake clock, a log sink).</param>
    public static WebApplication BuildApp(string[] args, IReadOnlyDictionary<string, string?>? settings = null) =>
        BuildApp(args, settings, overrideServices: null);

    public static WebApplication BuildApp(string[] args, IReadOnlyDictionary<string, string?>? settings,
        Action<IServiceCollection>? overrideServices)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        // Settings (every variable of DESIGN.md), each read once here and validated at start-up.
        builder.Services.AddMcpServerSettings(builder.Configuration);
        builder.AddServiceDefaults().ListenOnLocalhostUnlessConfigured(s => s.GetRequiredService<IOptions<McpServerSettings>>().Value.McpPort);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 1024 * 1024;
            // A batch status query names up to 100 customer ids in the query string: more than Kestrel's default 8 KB line.
            k.Limits.MaxRequestLineSize = 16 * 1024;
        });
        // Request lines can carry an OAuth code or state: keep framework request logging out of the logs.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("System.Net.Http.HttpClient", LogLevel.Warning)
            // Polly reports every retry and timeout with the exception's stack trace; each Google failure is logged once,
            // as one line with its status and reason, by the code that met it (and a circuit opening by GoogleResilience).
            .AddFilter("Polly", LogLevel.None)
            // The MCP SDK says "request handler called / completed" for every call at Information (thousands of lines a
            // second under load), and a caller that hung up as a warning with a stack trace. Our tools log their own
            // failures, and a defect is logged by ToolFailures, so only the SDK's own errors are kept.
            .AddFilter("ModelContextProtocol", LogLevel.Error)
            // A probe that finds the database unreachable answers 503 saying so; the service would add an error line with a
            // stack trace on every probe. The calls that meet the outage log it, once each.
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            // A failed start is reported by Main as one clear line; the host's own report is a stack trace.
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(WaitClock.Real); // timeouts, retry delays, deadlines: real time even when the business clock is a test's
        // Every problem says what is wrong, the framework's too (a body it could not bind, too large, not JSON).
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = JsonRequestProblems.InServiceWords);
        // Request records: strict JSON bound by the framework (WithJsonBody), checked by their own validation.
        builder.Services.AddJsonRequestBodies();
        builder.Services.AddValidation();
        builder.Services.AddHealth();

        // Token vault: tokens.db, Fernet, oauth_tokens.
        builder.Services.AddSingleton(sp => new TokenDatabase(sp.GetRequiredService<IOptions<McpServerSettings>>().Value.TokenDb, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new Fernet(
            sp.GetRequiredService<IOptions<McpServerSettings>>().Value.ParseEncryptionKeys(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<TokenStore>();
        builder.Services.AddHostedService<StartupChecks>();

        // OAuth2 with Google: states, code exchange, refresh, revoke.
        builder.Services.AddSingleton<AuthorizationStates>();
        builder.Services.AddSingleton<AuthorizationRequests>();
        builder.Services.AddSingleton<ShareableLinks>();
        builder.Services.AddSingleton<AccountAttempts>();
        builder.Services.AddSingleton<McpServerMetrics>();
        builder.Services.AddTransient<GoogleRequestMetrics>();
        builder.Services.AddHttpClient<GoogleOAuthClient>(c => c.Timeout = GoogleResilience.TokenClientBackstop).AddTokenEndpointResilience()
            .AddHttpMessageHandler<GoogleRequestMetrics>();

        // Connections: valid access tokens per customer, one shared refresh per customer, a back-off after a failed one.
        builder.Services.AddSingleton<ConnectionCache>();
        builder.Services.AddSingleton<RefreshLeases>();
        builder.Services.AddSingleton<TokenRefresher>();
        builder.Services.AddScoped<CalendarConnections>();
        builder.Services.AddScoped<Disconnection>();
        builder.Services.AddScoped<RevocationRetries>();
        builder.Services.AddHostedService<RevocationRetryWorker>();
        builder.Services.AddSingleton<CalendarStatusFeed>();

        // Google Calendar API v3 (timeouts, retries, a circuit breaker per company) and the company calendar the tools use.
        builder.Services.AddHttpClient<GoogleCalendarClient>(c => c.Timeout = GoogleResilience.HttpClientBackstop).AddCalendarResilience()
            .AddHttpMessageHandler<GoogleRequestMetrics>();
        builder.Services.AddScoped<CompanyCalendar>();

        // Availability: per-company booking settings and the slot engine over live freeBusy.
        builder.Services.AddSingleton<BookingSettingsStore>();
        builder.Services.AddScoped<CompanyAvailability>();

        // Busy-time mirror: each calendar's busy time kept here by incremental sync and Google's push notifications,
        // so availability reads need no Google request while it is fresh (BUSY_MIRROR, GOOGLE_PUSH_URL).
        builder.Services.TryAddSingleton(MirrorPolicy.Default);
        builder.Services.AddSingleton<BusyVersions>();
        builder.Services.AddSingleton<MirrorStore>();
        builder.Services.AddSingleton<MirrorSignals>();
        builder.Services.AddSingleton<CalendarMirror>();
        builder.Services.AddScoped<PushChannels>();
        builder.Services.AddScoped<CalendarSync>();
        builder.Services.AddHostedService<MirrorWorker>();

        // Booking: appointments we created, one booking per company in flight across replicas, events in Google.
        builder.Services.AddSingleton<AppointmentStore>();
        builder.Services.AddSingleton<BookingLeases>();
        builder.Services.AddScoped<BookingService>();

        // The admin's status view: Google failures counted here, written every few seconds where every replica reads them.
        builder.Services.AddSingleton<GoogleFailures>();
        builder.Services.AddSingleton<GoogleFailureStore>();
        builder.Services.AddSingleton<SystemStatusReader>();
        builder.Services.AddSingleton<GoogleFailureFlusher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GoogleFailureFlusher>());

        // Who may call: the service key, or a company's own MCP key (its own calendar only).
        builder.Services.AddSingleton<CompanyMcpKeys>();
        builder.Services.AddAuthentication(ServiceKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ServiceKeyAuthenticationHandler>(ServiceKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder().AddCallerPolicies();

        // MCP endpoint: official SDK, Streamable HTTP, stateless; the company comes from X-Customer-Id.
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<CustomerContext>();
        builder.Services.AddScoped<ToolCompany>();
        builder.Services.AddMcpServer(o =>
            {
                o.ServerInfo = new() { Name = "calendarconnect-calendar", Version = "1.0.0" };
                o.ServerInstructions = ServerInstructions.Text;
            })
            .WithHttpTransport(o => o.Stateless = true)
            // Every tool call is counted and timed by tool and outcome (ToolMetrics); answers within 10 s; arguments the tool
            // cannot take are answered invalid_argument; a defect is logged once and answered as a tool error; the tool gets
            // its company resolved (ToolCompany) or never runs.
            .WithRequestFilters(filters => filters.AddCallToolFilter(ToolMetrics.Apply).AddCallToolFilter(ToolFailures.Apply).AddCallToolFilter(ToolArguments.Apply)
                .AddCallToolFilter(ToolDeadline.Apply).AddCallToolFilter(CompanyToolFilter.Apply))
            // Schemas with the tools' limits, optional parameters with a single type (ToolSchemas).
            .WithCalendarTools<CalendarTools>()
            .WithCalendarTools<AppointmentTools>();

        overrideServices?.Invoke(builder.Services);
        var app = builder.Build();
        // A body over the size limit or a broken request is the client's fault (413/400), even deep inside the MCP handler.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            // A client that sent a broken body or hung up mid-request is answered 4xx; that is not our error to log.
            SuppressDiagnosticsCallback = c => c.Exception is BadHttpRequestException || c.HttpContext.RequestAborted.IsCancellationRequested,
        });
        // A body refused without an exception (too large, or not JSON by its Content-Type, which routing answers) has an
        // empty answer: it gets a problem saying so (JsonRequestProblems). Other empty answers stay as they are.
        app.UseStatusCodePages(async pages =>
        {
            if (pages.HttpContext.Response.StatusCode is StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType)
                await pages.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = pages.HttpContext,
                    ProblemDetails = { Status = pages.HttpContext.Response.StatusCode },
                });
        });
        app.UseAllowedHosts();      // DNS-rebinding protection: Host/Origin must be a name of this server (403)
        app.UseCanonicalCustomerIds(); // customer ids are case-insensitive: route, X-Customer-Id and ?customer_id= lower-cased here
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/mcp"), mcp => mcp.UseMiddleware<CompanyScope>()
            .UseMiddleware<ProtocolVersions>()); // an unsupported MCP-Protocol-Version is answered with every version we speak

        app.MapHealth();            // GET /healthz, /readyz
        app.MapAuthorize();         // POST /oauth/authorize          (spec step 2)
        app.MapCallback();          // GET  /oauth/callback           (spec step 5)
        app.MapConnectLinks();      // GET  /connect/{token}          (spec step 3, "Copiar link")
        app.MapAccountAttempts();   // POST /customers/{id}/account-attempt/accept (another Google account than expected)
        app.MapCalendarStatus();    // GET  /customers/{id}/calendar-status, …/calendar-status/changes, DELETE /customers/{id}/calendar (step 6)
        app.MapMcpKeys();           // /customers/{id}/mcp-keys       (a company's own MCP client)
        app.MapBookingSettings();   // GET|PUT /customers/{id}/booking-settings
        app.MapGoogleNotifications(); // POST /google/notifications    (Google's push messages: the mirror syncs)
        app.MapSystemStatus();      // GET  /system-status            (the admin's "Estado del sistema")
        app.MapMcp("/mcp").RequireAuthorization(Policies.McpCaller); // POST /mcp (spec step 7)
        return app;
    }
}
