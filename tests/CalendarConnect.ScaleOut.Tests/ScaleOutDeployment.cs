using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using CalendarConnect.GoogleEmulator;
using CalendarConnect.McpServer.TokenVault;
using CalendarConnect.Testing;

namespace CalendarConnect.ScaleOut.Tests;

/// <summary>
/// CalendarConnect in production shape on this machine: the Google emulator (one process), two MCP server processes
/// sharing one PostgreSQL TOKEN_DB, two backend processes sharing one CUSTOMER_DB, HAProxy in front of both pairs with
/// the shipped configuration, and a fake Graph API for WhatsApp replies. Every app is started from environment variables
/// alone, as an operator starts a published app; everything is stopped and dropped on dispose.
/// </summary>
public sealed class ScaleOutDeployment : IAsyncDisposable
{
    public const string AdminUser = "admin";
    public const string WhatsAppAppSecret = "scaleout-meta-app-secret";
    public const string WhatsAppAccessToken = "EAAG-scaleout-access-token";
    private const string WhatsAppVerifyToken = "scaleout-verify-token";
    public const string SuccessUrl = "https://calendar.google.com/";
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(120);

    private readonly Stack<IAsyncDisposable> _owned = new();
    private string? _folder;

    private ScaleOutDeployment() { }

    public string ApiKey { get; } = "scaleout-service-key-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    public string AdminPassword { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    public RunningService Emulator { get; private set; } = null!;
    public IReadOnlyList<RunningService> McpServers { get; private set; } = [];
    public IReadOnlyList<RunningService> Backends { get; private set; } = [];
    public RunningHaproxy Balancer { get; private set; } = null!;
    public FakeGraphApi Graph { get; private set; } = null!;

    /// <summary>The balancer's MCP frontend (what MCP_SERVER_URL names).</summary>
    public Uri Mcp { get; private set; } = null!;

    /// <summary>The balancer's backend frontend (the admin console and API, the assistant, the WhatsApp webhook).</summary>
    public Uri Admin { get; private set; } = null!;

    /// <summary>Everything the processes wrote, for a failure's message.</summary>
    public string Output => string.Join("\n", new[] { Emulator }.Concat(McpServers).Concat(Backends)
        .Where(s => s is not null).Select(s => $"===== {s.Name}{(s.HasExited ? $" (exited {s.ExitCode})" : "")}\n{s.Output}"))
        + "\n===== haproxy\n" + Balancer?.Output;

    public static async Task<ScaleOutDeployment> StartAsync()
    {
        var deployment = new ScaleOutDeployment();
        try
        {
            await deployment.StartPartsAsync();
            return deployment;
        }
        catch
        {
            await deployment.DisposeAsync();
            throw;
        }
    }

    private async Task StartPartsAsync()
    {
        _folder = Directory.CreateTempSubdirectory("cc-scaleout-").FullName;
        var mcpPort = LoopbackServer.FreePort();
        var adminPort = LoopbackServer.FreePort();
        Mcp = new Uri($"http://127.0.0.1:{mcpPort}");
        Admin = new Uri($"http://127.0.0.1:{adminPort}");

        var tokens = Own(await TestDatabase.CreateAsync(Engines.PostgreSql));
        var customers = Own(await TestDatabase.CreateAsync(Engines.PostgreSql));
        Graph = Own(await FakeGraphApi.StartAsync());
        // The emulator, a demo stand-in for Google, has no readiness probe; its control API answers once it is up.
        Emulator = Own(await RunningService.StartAsync("google-emulator", "CalendarConnect.GoogleEmulator",
            new Dictionary<string, string?>(), _folder, "/emulator/latency"));

        var mcpEnvironment = new Dictionary<string, string?>
        {
            ["TOKEN_DB"] = tokens.Location,
            ["TOKEN_ENCRYPTION_KEY"] = FernetKey.Generate(),
            ["MCP_API_KEY"] = ApiKey,
            ["MCP_SERVER_URL"] = Mcp.ToString().TrimEnd('/'),
            ["GOOGLE_CLIENT_ID"] = EmulatorDefaults.ClientId,
            ["GOOGLE_CLIENT_SECRET"] = EmulatorDefaults.ClientSecret,
            // Google sends the person's browser back through the balancer, to whichever replica it picks.
            ["GOOGLE_REDIRECT_URI"] = new Uri(Mcp, "oauth/callback").ToString(),
            ["OAUTH_SUCCESS_REDIRECT_URL"] = SuccessUrl,
            ["GOOGLE_AUTH_URI"] = new Uri(Emulator.Address, "o/oauth2/v2/auth").ToString(),
            ["GOOGLE_TOKEN_URI"] = new Uri(Emulator.Address, "token").ToString(),
            ["GOOGLE_REVOKE_URI"] = new Uri(Emulator.Address, "revoke").ToString(),
            ["GOOGLE_CALENDAR_API_BASE"] = new Uri(Emulator.Address, "calendar/v3/").ToString(),
            ["DATA_DIR"] = _folder,
        };
        var backendEnvironment = new Dictionary<string, string?>
        {
            ["CUSTOMER_DB"] = customers.Location,
            ["MCP_API_KEY"] = ApiKey,
            ["MCP_SERVER_URL"] = Mcp.ToString().TrimEnd('/'),
            ["ADMIN_USER"] = AdminUser,
            ["ADMIN_PASSWORD"] = AdminPassword,
            ["DATA_PROTECTION_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["TRUSTED_PROXIES"] = "127.0.0.1",
            ["WHATSAPP_VERIFY_TOKEN"] = WhatsAppVerifyToken,
            ["WHATSAPP_APP_SECRET"] = WhatsAppAppSecret,
            ["WHATSAPP_ACCESS_TOKEN"] = WhatsAppAccessToken,
            ["WHATSAPP_API_BASE"] = Graph.ApiBase,
            ["DATA_DIR"] = _folder,
        };

        // The services as they are deployed: each `dotnet publish`ed into a folder of its own, away from the repository.
        var published = await Task.WhenAll(ServiceProcess.PublishedAsync("CalendarConnect.McpServer"), ServiceProcess.PublishedAsync("CalendarConnect.Backend"));
        var (mcpApp, backendApp) = (published[0], published[1]);

        // Replicas of a service start together, as an orchestrator starts them: they migrate their shared database once.
        // Four .NET processes starting at once on a busy 2-core machine can take most of a minute.
        var starting = new[]
        {
            RunningService.StartAsync("mcp-server-1", "CalendarConnect.McpServer", mcpEnvironment, _folder, readyWithin: ReadyWithin, fromDirectory: mcpApp),
            RunningService.StartAsync("mcp-server-2", "CalendarConnect.McpServer", mcpEnvironment, _folder, readyWithin: ReadyWithin, fromDirectory: mcpApp),
            RunningService.StartAsync("backend-1", "CalendarConnect.Backend", backendEnvironment, _folder, readyWithin: ReadyWithin, fromDirectory: backendApp),
            RunningService.StartAsync("backend-2", "CalendarConnect.Backend", backendEnvironment, _folder, readyWithin: ReadyWithin, fromDirectory: backendApp),
        };
        try { await Task.WhenAll(starting); }
        finally
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully)) Own(started.Result);
        }

        McpServers = [starting[0].Result, starting[1].Result];
        Backends = [starting[2].Result, starting[3].Result];

        var configuration = LocalHaproxyConfig.From(await File.ReadAllTextAsync(LocalHaproxyConfig.ShippedPath),
            new Dictionary<string, int> { ["mcp"] = mcpPort, ["admin"] = adminPort },
            new Dictionary<string, IReadOnlyList<Uri>>
            {
                ["mcp-servers"] = McpServers.Select(s => s.Address).ToList(),
                ["backends"] = Backends.Select(s => s.Address).ToList(),
            });
        Balancer = Own(await RunningHaproxy.StartAsync(configuration, [new Uri(Mcp, "readyz"), new Uri(Admin, "readyz")]));
    }

    /// <summary>The admin API through the balancer, as automation calls it (HTTP Basic).</summary>
    public HttpClient AdminApi()
    {
        var client = new HttpClient { BaseAddress = Admin, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AdminUser}:{AdminPassword}")));
        return client;
    }

    /// <summary>The MCP server's service API (POST /oauth/authorize, …) at <paramref name="address"/>, with the service key.</summary>
    public HttpClient ServiceApi(Uri address)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    private T Own<T>(T part) where T : IAsyncDisposable
    {
        _owned.Push(part);
        return part;
    }

    public async ValueTask DisposeAsync()
    {
        // The balancer first, the databases last: nothing is left running against a dropped database.
        while (_owned.TryPop(out var part)) await part.DisposeAsync();
        if (_folder is not null)
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
