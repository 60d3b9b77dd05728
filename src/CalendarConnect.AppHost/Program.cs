using CalendarConnect.AppHost;
using CalendarConnect.GoogleEmulator;
using CalendarConnect.Infrastructure;
using CalendarConnect.Shared;
using Microsoft.Extensions.Options;

// Runs the whole system on this machine: Google emulator (demo mode), MCP Calendar Server and Backend,
// each a real web server on loopback, hosted in this one process. With GOOGLE_CLIENT_ID and
// GOOGLE_CLIENT_SECRET set it talks to real Google instead of the emulator.

var settings = AppHostSettings.FromEnvironment();
if (settings.Problems() is { Count: > 0 } problems)
{
    foreach (var problem in problems) Console.Error.WriteLine("Start-up error: " + problem);
    return 1;
}

// `dotnet run --project` starts us in the project's folder: data/ belongs at the repository root.
var dataDirectory = DataDirectory.Resolve(settings.DataDir);
var demoMode = settings.DemoMode;
var mcpUrl = $"http://localhost:{settings.McpPort}";
var backendUrl = $"http://localhost:{settings.BackendPort}";
var emulatorUrl = $"http://localhost:{settings.EmulatorPort}";

foreach (var (variable, port) in settings.Ports())
{
    if (!PortIsFree(port))
    {
        Console.Error.WriteLine($"Start-up error: port {port} ({variable}) is already in use. Stop the program using it (is CalendarConnect already running?) or set {variable}.");
        return 1;
    }
}

DevSecrets secrets;
IReadOnlyList<string> generated;
try
{
    (secrets, generated) = DevSecrets.LoadOrCreate(dataDirectory, settings.Secret);
}
catch (InvalidDataException e)
{
    Console.Error.WriteLine("Start-up error: " + e.Message);
    return 1;
}

// A secret is printed only the moment it is generated (a newcomer needs it); later starts say where it is kept.
string Shown(string variable, string value) => DevSecrets.Shown(variable, value, generated, dataDirectory, settings.Secret);
var adminUser = settings.AdminUser is { Length: > 0 } user ? user : "admin";

// Framework request and HTTP client logs are quiet in every service already (Infrastructure's ServiceDefaults).
var quietLogs = new Dictionary<string, string?>
{
    ["Logging:LogLevel:ModelContextProtocol"] = "Warning",
    // A failed start is reported below as one clear line; the host's own report is a stack trace.
    ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "None",
};

var common = new Dictionary<string, string?>(quietLogs)
{
    [ServiceKeyRule.Variable] = secrets.McpApiKey,
    ["MCP_SERVER_URL"] = settings.McpServerUrl is { Length: > 0 } serverUrl ? serverUrl : mcpUrl,
};

var mcpSettings = new Dictionary<string, string?>(common)
{
    ["urls"] = mcpUrl,
    ["TOKEN_ENCRYPTION_KEY"] = secrets.TokenEncryptionKey,
    ["TOKEN_DB"] = settings.TokenDb is { Length: > 0 } tokenDb ? tokenDb : Path.Combine(dataDirectory, "tokens.db"),
};
if (demoMode)
{
    mcpSettings["GOOGLE_CLIENT_ID"] = EmulatorDefaults.ClientId;
    mcpSettings["GOOGLE_CLIENT_SECRET"] = EmulatorDefaults.ClientSecret;
    mcpSettings["GOOGLE_AUTH_URI"] = $"{emulatorUrl}/o/oauth2/v2/auth";
    mcpSettings["GOOGLE_TOKEN_URI"] = $"{emulatorUrl}/token";
    mcpSettings["GOOGLE_REVOKE_URI"] = $"{emulatorUrl}/revoke";
    mcpSettings["GOOGLE_CALENDAR_API_BASE"] = $"{emulatorUrl}/calendar/v3/";
    // The emulator delivers push notifications to loopback http (real Google needs a public https address).
    mcpSettings["GOOGLE_PUSH_URL"] = settings.GooglePushUrl is { Length: > 0 } pushUrl ? pushUrl : $"{mcpUrl}/google/notifications";
}

var backendSettings = new Dictionary<string, string?>(common)
{
    ["urls"] = backendUrl,
    ["CUSTOMER_DB"] = settings.CustomerDb is { Length: > 0 } customerDb ? customerDb : Path.Combine(dataDirectory, "customers.db"),
    ["ADMIN_USER"] = adminUser,
    ["ADMIN_PASSWORD"] = secrets.AdminPassword,
    ["DATA_PROTECTION_KEY"] = secrets.DataProtectionKey,
};

var apps = new List<WebApplication>();
try
{
    if (demoMode)
        apps.Add(CalendarConnect.GoogleEmulator.Program.BuildApp([], new Dictionary<string, string?>(quietLogs)
        {
            ["urls"] = emulatorUrl,
            // The emulator's grants must outlive a restart as long as tokens.db does.
            ["EMULATOR_STATE_FILE"] = settings.EmulatorStateFile is { Length: > 0 } stateFile ? stateFile : Path.Combine(dataDirectory, "emulator-state.json"),
        }));
    apps.Add(CalendarConnect.McpServer.Program.BuildApp([], mcpSettings));
    var backend = CalendarConnect.Backend.Program.BuildApp([], backendSettings);
    apps.Add(backend);
    await CalendarConnect.Backend.Web.StartupChecks.RunAsync(backend.Services);
    foreach (var app in apps) await app.StartAsync();
}
catch (Exception e) when (StartupFailure.Describe(e) is { } message)
{
    Console.Error.WriteLine(message);
    return 1;
}

// Each hosted app listens for Ctrl+C and SIGTERM itself; when any of them starts stopping, stop them all.
using var stopping = new CancellationTokenSource();
foreach (var app in apps) app.Lifetime.ApplicationStopping.Register(stopping.Cancel);

string? demoLink = null;
if (demoMode)
{
    await DemoSeed.SeedEmulatorAsync(new Uri(emulatorUrl), TimeProvider.System, stopping.Token);
    demoLink = await DemoSeed.SeedBackendAsync(new Uri(backendUrl), adminUser, secrets.AdminPassword, stopping.Token);
}

Console.WriteLine($"""

    CalendarConnect is running{(demoMode ? " in demo mode (Google emulator)" : " against real Google")}.

      Admin page (Clientes):  {backendUrl}/clientes     user: {adminUser}  password: {Shown("ADMIN_PASSWORD", secrets.AdminPassword)}
      Backend API:            {backendUrl}/v1/customer-calendars
      Assistant:              POST {backendUrl}/v1/assistant/messages   (try it as a customer: {backendUrl}/chat)
      MCP Calendar Server:    {mcpUrl}/mcp   (Authorization: Bearer {Shown(ServiceKeyRule.Variable, secrets.McpApiKey)})
    {(demoMode ? $"  Google emulator:        {emulatorUrl}/   (demo company {DemoSeed.CustomerId}, account {DemoSeed.CustomerEmail}, WhatsApp {DemoSeed.WhatsAppNumber})\n" : "")}
      Data and secrets:       {dataDirectory}{(generated.Count > 0 ? $"   (generated now: {string.Join(", ", generated)}; kept in dev-secrets.json)" : "")}
    {(demoLink is null ? "" : $"\n  Connect the demo company's calendar: {demoLink}\n")}
    Press Ctrl+C to stop.
    """);

try
{
    await Task.Delay(Timeout.Infinite, stopping.Token);
}
catch (OperationCanceledException)
{
}

foreach (var app in Enumerable.Reverse(apps))
{
    await app.StopAsync();
    await app.DisposeAsync();
}

return 0;

static bool PortIsFree(int port)
{
    try
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
        listener.Start();
        return true;
    }
    catch (System.Net.Sockets.SocketException)
    {
        return false;
    }
}
