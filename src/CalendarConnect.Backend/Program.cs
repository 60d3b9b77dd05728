using CalendarConnect.Infrastructure.Hosting;
using CalendarConnect.Backend.AdminPage;
using CalendarConnect.Backend.ApiDocs;
using CalendarConnect.Backend.Assistant;
using CalendarConnect.Backend.Chat;
using CalendarConnect.Backend.Configuration;
using CalendarConnect.Backend.CustomerCalendars;
using CalendarConnect.Backend.McpServer;
using CalendarConnect.Backend.SignIn;
using CalendarConnect.Backend.SystemStatus;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Backend.Web;
using CalendarConnect.Backend.WhatsApp;
using CalendarConnect.Infrastructure;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend;

/// <summary>
/// The Backend API (customer calendars, customer_memory), the admin page /clientes and the assistant entry points.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        WebApplication app;
        try
        {
            app = BuildApp(args);
            // Check configuration and the database before the host starts, so a bad setting is one clear line.
            await StartupChecks.RunAsync(app.Services);
            await app.StartAsync();
        }
        catch (Exception ex) when (StartupFailure.Describe(ex, StartupFailureWording.CannotStart("CalendarConnect.Backend")) is { } message)
        {
            // The backend and the assistant library both read MCP_*: the reporter says each variable's problem once.
            Console.Error.WriteLine(message);
            return 1;
        }

        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <param name="settings">Configuration that wins over environment variables (tests and the AppHost use it).</param>
    /// <param name="overrideServices">Runs last, so tests can replace a service (a fake clock).</param>
    public static WebApplication BuildApp(string[] args, IReadOnlyDictionary<string, string?>? settings = null) =>
        BuildApp(args, settings, overrideServices: null);

    public static WebApplication BuildApp(string[] args, IReadOnlyDictionary<string, string?>? settings,
        Action<IServiceCollection>? overrideServices)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        // Settings, each read once here and validated at start-up (Configuration/BackendSettings).
        builder.Services.AddBackendSettings(builder.Configuration);
        builder.AddServiceDefaults().ListenOnLocalhostUnlessConfigured(s => s.GetRequiredService<IOptions<BackendSettings>>().Value.Port);
        // A failed start is reported by Main as one clear line; the host's own report is a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddApiConventions();                        // Web/: snake_case JSON, problem+json
        builder.Services.AddTrustedProxies();                        // Web/: TRUSTED_PROXIES (whose X-Forwarded-For/-Proto count)
        builder.Services.AddCustomerStorage();                       // Storage/: CUSTOMER_DB, customer_memory
        builder.Services.AddReadiness();                             // Web/: health check of CUSTOMER_DB for /readyz
        builder.Services.AddMcpServerClient();                       // McpServer/: MCP_SERVER_URL, MCP_API_KEY
        builder.Services.AddCustomerList();                          // CustomerCalendars/: statuses from the MCP server's feed, list upkeep
        builder.Services.AddSharedKeyRing();                         // SignIn/: DATA_PROTECTION_KEY, the cookies' key ring in CUSTOMER_DB
        builder.Services.AddAdminSignIn();                           // SignIn/: ADMIN_USER, ADMIN_PASSWORD, ADMIN_API_KEY, ADMIN_SESSION_* (sessions in CUSTOMER_DB)
        builder.Services.AddApiDocumentation();                      // ApiDocs/: the OpenAPI document of /v1
        builder.Services.AddBookingAssistant(builder.Configuration); // CalendarConnect.Assistant: MCP adapter, understanding
        builder.Services.AddAssistantChannels();                     // Assistant/: conversations in CUSTOMER_DB, rate limits (ASSISTANT_*)
        builder.Services.AddWhatsAppWebhook();                       // WhatsApp/: WHATSAPP_* (off unless set)

        overrideServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseTrustedProxies();                                     // client address and https from trusted proxies only
        app.UseRequestLanguage();                                    // Accept-Language: en → API messages in English
        app.UseApiErrorHandling();                                   // never a stack trace
        app.UseSecurityHeaders();                                    // CSP, nosniff, frame-ancestors, Referrer-Policy
        app.UseCanonicalCustomerIds();                               // customer ids are case-insensitive: {customer_id} lower-cased
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();                                        // per client IP on the assistant's endpoints

        app.MapHealth();                                             // GET /healthz (liveness), /readyz (503 while CUSTOMER_DB is unreachable)
        app.MapGet("/", () => TypedResults.Redirect("/clientes")).ExcludeFromDescription();
        app.MapSignIn();                                             // GET|POST /ingresar, POST /salir
        app.MapAdminPage();                                          // GET /clientes, /assets/*
        app.MapApiDocumentation();                                   // GET /openapi/v1.json, /docs/api (public: the contract, not data)
        app.MapSystemStatus();                                       // GET /v1/system-status (the admin's "Estado del sistema", from the MCP server)
        app.MapCustomerCalendars();                                  // /v1/customer-calendars* (connect, list, get, disconnect; under {id}: mcp-keys*, booking-settings)
        app.MapAssistant();                                          // POST /v1/assistant/messages (spec step 7, channel messages)
        app.MapWhatsAppWebhook();                                    // GET|POST /v1/whatsapp/webhook (Meta's Cloud API)
        app.MapChatPage();                                           // GET /chat (try the assistant as a company's customer)
        return app;
    }
}
