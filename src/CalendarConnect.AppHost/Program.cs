using CalendarConnect.AppHost;
using CalendarConnect.GoogleEmulator;
using CalendarConnect.McpServer.Storage;
using Microsoft.Extensions.Options;

// Runs the whole system on this machine: Google emulator (demo mode), MCP Calendar Server and Backend,
// each a real web server on loopback, hosted in this one process. With GOOGLE_CLIENT_ID and
// GOOGLE_CLIENT_SECRET set it talks to real Google instead of the emulator.

string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
int Port(string name, int fallback) => int.TryParse(Env(name), out var p) ? p : fallback;

var dataDirectory = Path.GetFullPath(Env("DATA_DIR") ?? "data");
var mcpPort = Port("MCP_PORT", 60000);
var backendPort = Port("BACKEND_PORT", 8000);
var emulatorPort = Port("GOOGLE_EMULATOR_PORT", EmulatorDefaults.Port);
var demoMode = Env("GOOGLE_CLIENT_ID") is null;
var mcpUrl = $"http://localhost:{mcpPort}";
var backendUrl = $"http://localhost:{backendPort}";
var emulatorUrl = $"http://localhost:{emulatorPort}";

var (secrets, generated) = DevSecrets.LoadOrCreate(dataDirectory, Env);
var adminUser = Env("ADMIN_USER") ?? "admin";

var common = new Dictionary<string, string?>
{
    ["MCP_API_KEY"] = secrets.McpApiKey,
    ["MCP_SERVER_URL"] = Env("MCP_SERVER_URL") ?? mcpUrl,
};

var mcpSettings = new Dictionary<string, string?>(common)
{
    ["urls"] = $"http://localhost:{mcpPort}",
    ["TOKEN_ENCRYPTION_KEY"] = secrets.TokenEncryptionKey,
    ["TOKEN_DB"] = Env("TOKEN_DB") ?? Path.Combine(dataDirectory, "tokens.db"),
};
if (demoMode)
{
    mcpSettings["GOOGLE_CLIENT_ID"] = EmulatorDefaults.ClientId;
    mcpSettings["GOOGLE_CLIENT_SECRET"] = EmulatorDefaults.ClientSecret;
    mcpSettings["GOOGLE_AUTH_URI"] = $"{emulatorUrl}/o/oauth2/v2/auth";
    mcpSettings["GOOGLE_TOKEN_URI"] = $"{emulatorUrl}/token";
    mcpSettings["GOOGLE_REVOKE_URI"] = $"{emulatorUrl}/revoke";
    mcpSettings["GOOGLE_CALENDAR_API_BASE"] = $"{emulatorUrl}/calendar/v3/";
}

var backendSettings = new Dictionary<string, string?>(common)
{
    ["urls"] = $"http://localhost:{backendPort}",
    ["CUSTOMER_DB"] = Env("CUSTOMER_DB") ?? Path.Combine(dataDirectory, "customers.db"),
    ["ADMIN_USER"] = adminUser,
    ["ADMIN_PASSWORD"] = secrets.AdminPassword,
};

var apps = new List<WebApplication>();
try
{
    if (demoMode)
        apps.Add(CalendarConnect.GoogleEmulator.Program.BuildApp([], new Dictionary<string, string?> { ["urls"] = emulatorUrl }));
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
catch (CalendarConnect.Backend.Web.StartupException e)
{
    Console.Error.WriteLine("Start-up error: " + e.Message);
    return 1;
}

using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stopping.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stopping.Cancel();

string? demoLink = null;
if (demoMode)
{
    await DemoSeed.SeedEmulatorAsync(new Uri(emulatorUrl), TimeProvider.System, stopping.Token);
    demoLink = await DemoSeed.SeedBackendAsync(new Uri(backendUrl), adminUser, secrets.AdminPassword, stopping.Token);
}

Console.WriteLine($"""

    CalendarConnect is running{(demoMode ? " in demo mode (Google emulator)" : " against real Google")}.

      Admin page (Clientes):  {backendUrl}/clientes     user: {adminUser}  password: {secrets.AdminPassword}
      Backend API:            {backendUrl}/v1/customer-calendars
      Assistant:              POST {backendUrl}/v1/assistant/messages
      MCP Calendar Server:    {mcpUrl}/mcp   (Authorization: Bearer {secrets.McpApiKey})
    {(demoMode ? $"  Google emulator:        {emulatorUrl}/   (demo company {DemoSeed.CustomerId}, account {DemoSeed.CustomerEmail})\n" : "")}
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
