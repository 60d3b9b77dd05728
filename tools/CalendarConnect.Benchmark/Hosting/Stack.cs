using CalendarConnect.Benchmark.Google;

namespace CalendarConnect.Benchmark.Hosting;

/// <summary>What every section shares: the options, where databases come from, where logs go.</summary>
public sealed record RunContext(BenchmarkOptions Options, Databases Databases, string OutputDirectory)
{
    public string LogDirectory => Path.Combine(OutputDirectory, "logs");
}

public sealed record EmulatorInstance(ServiceProcess Process, EmulatorControl Control, string ClientId, string ClientSecret);

/// <summary>An MCP Calendar Server process and how it was configured.</summary>
public sealed record McpServerInstance(ServiceProcess Process, string ApiKey, bool Mirror, bool Push)
{
    public Uri McpEndpoint => new(Process.BaseAddress, "mcp");
}

/// <param name="CustomerDb">Its CUSTOMER_DB (a file path or an Npgsql connection string).</param>
public sealed record BackendInstance(ServiceProcess Process, string AdminApiKey, string CustomerDb, IReadOnlyDictionary<string, string> Environment);

/// <summary>
/// The processes of one section, each started from its Release build with generated secrets, a fresh database and
/// its own free loopback port; stopped (in reverse order) when the section ends.
/// </summary>
public sealed class Stack(RunContext run, string section) : IAsyncDisposable
{
    /// <summary>Emulator accounts' zone: a fixed UTC-3 offset all year, so slot starts are easy to write.</summary>
    public const string TimeZone = "America/Argentina/Buenos_Aires";

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<EmulatorControl> _controls = [];

    private string LogName(string name) => $"{section}-{name}";

    public async Task<EmulatorInstance> StartEmulatorAsync(string name = "emulator")
    {
        var clientId = "benchmark-" + Secrets.Key(9) + ".apps.googleusercontent.com";
        var clientSecret = Secrets.Key(18);
        var process = await ServiceProcess.StartAsync("emulator-" + LogName(name), ServiceBinaries.Emulator, new Dictionary<string, string>
        {
            ["EMULATOR_CLIENT_ID"] = clientId,
            ["EMULATOR_CLIENT_SECRET"] = clientSecret,
        }, run.LogDirectory, readyPath: "emulator/accounts"); // the emulator has no /healthz; its control API answers once it listens
        _owned.Add(process);
        var control = new EmulatorControl(process.BaseAddress);
        _controls.Add(control);
        await control.ProbeAsync();
        return new EmulatorInstance(process, control, clientId, clientSecret);
    }

    /// <summary>The SDK's echo server: the floor every tool is compared with.</summary>
    public async Task<ServiceProcess> StartEchoAsync()
    {
        var process = await ServiceProcess.StartAsync(LogName("echo"), ServiceBinaries.Echo, new Dictionary<string, string>(), run.LogDirectory);
        _owned.Add(process);
        return process;
    }

    /// <param name="mirror">BUSY_MIRROR: on (answer availability from the busy-time mirror when fresh) or off (always live freeBusy).</param>
    /// <param name="push">Set GOOGLE_PUSH_URL to this server's /google/notifications, so Google (the emulator) pushes changes.</param>
    public async Task<McpServerInstance> StartMcpServerAsync(string name, EmulatorInstance emulator, bool mirror, bool push)
    {
        var port = ServiceProcess.FreePort();
        var apiKey = Secrets.Key();
        var environment = new Dictionary<string, string>
        {
            ["MCP_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TOKEN_ENCRYPTION_KEY"] = Secrets.FernetKey(),
            ["MCP_API_KEY"] = apiKey,
            ["TOKEN_DB"] = await run.Databases.CreateAsync(section + "-" + name + "-tokens"),
            ["GOOGLE_CLIENT_ID"] = emulator.ClientId,
            ["GOOGLE_CLIENT_SECRET"] = emulator.ClientSecret,
            ["GOOGLE_REDIRECT_URI"] = $"http://127.0.0.1:{port}/oauth/callback",
            ["OAUTH_SUCCESS_REDIRECT_URL"] = "https://calendar.google.com/",
            ["GOOGLE_AUTH_URI"] = emulator.Process.Url("o/oauth2/v2/auth"),
            ["GOOGLE_TOKEN_URI"] = emulator.Process.Url("token"),
            ["GOOGLE_REVOKE_URI"] = emulator.Process.Url("revoke"),
            ["GOOGLE_CALENDAR_API_BASE"] = emulator.Process.Url("calendar/v3/"),
            ["BUSY_MIRROR"] = mirror ? "on" : "off",
        };
        if (push) environment["GOOGLE_PUSH_URL"] = $"http://127.0.0.1:{port}/google/notifications";
        var process = await ServiceProcess.StartAsync("mcp-" + LogName(name), ServiceBinaries.McpServer, environment, run.LogDirectory, port);
        _owned.Add(process);
        return new McpServerInstance(process, apiKey, mirror, push);
    }

    public async Task<BackendInstance> StartBackendAsync(string name, McpServerInstance mcp)
    {
        var adminKey = Secrets.Key(36);
        var customerDb = await run.Databases.CreateAsync(section + "-" + name + "-customers");
        var environment = new Dictionary<string, string>
        {
            ["CUSTOMER_DB"] = customerDb,
            ["MCP_SERVER_URL"] = mcp.Process.BaseAddress.ToString().TrimEnd('/'),
            ["MCP_API_KEY"] = mcp.ApiKey,
            ["ADMIN_PASSWORD"] = Secrets.Key(24),
            ["ADMIN_API_KEY"] = adminKey,
            ["DATA_PROTECTION_KEY"] = Secrets.DataProtectionKey(),
        };
        return new BackendInstance(await StartBackendProcessAsync(name, environment), adminKey, customerDb, environment);
    }

    /// <summary>Stops the backend and starts it again on the same database and settings (nothing it kept in memory survives).</summary>
    public async Task<BackendInstance> RestartBackendAsync(string name, BackendInstance backend)
    {
        _owned.Remove(backend.Process);
        await backend.Process.DisposeAsync();
        return backend with { Process = await StartBackendProcessAsync(name, backend.Environment) };
    }

    private async Task<ServiceProcess> StartBackendProcessAsync(string name, IReadOnlyDictionary<string, string> environment)
    {
        var port = ServiceProcess.FreePort();
        var withPort = new Dictionary<string, string>(environment) { ["BACKEND_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var process = await ServiceProcess.StartAsync("backend-" + LogName(name), ServiceBinaries.Backend, withPort, run.LogDirectory, port);
        _owned.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) await _owned[i].DisposeAsync();
        _owned.Clear();
        foreach (var control in _controls) control.Dispose();
        _controls.Clear();
    }
}
