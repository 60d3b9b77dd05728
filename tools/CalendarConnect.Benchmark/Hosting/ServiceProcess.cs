using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CalendarConnect.Benchmark.Hosting;

/// <summary>The services the benchmark starts, each from its own Release build output (a dll run with <c>dotnet</c>).</summary>
public static class ServiceBinaries
{
    public const string Emulator = "CalendarConnect.GoogleEmulator";
    public const string McpServer = "CalendarConnect.McpServer";
    public const string Backend = "CalendarConnect.Backend";
    public const string Echo = "CalendarConnect.Benchmark.EchoServer";

    /// <summary>The repository root: the folder above this program that holds CalendarConnect.slnx.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The configuration this program was built in (Release from the script); the services were built alongside.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Release";

    public static string DllOf(string project)
    {
        var folder = project == Echo ? "tools" : "src";
        var path = Path.Combine(RepositoryRoot, folder, project, "bin", Configuration, "net10.0", project + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: build first (./scripts/benchmark.sh does: dotnet build -c Release tools/CalendarConnect.Benchmark).");
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CalendarConnect.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CalendarConnect.slnx not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>
/// One service running as its own process on a free loopback port, its output going to a log file. Every process
/// started is remembered so that the end of the run, an error or Ctrl+C stops all of them.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private static volatile bool _shuttingDown;
    private readonly Process _process;

    private ServiceProcess(string name, Process process, int port, string logPath)
    {
        Name = name;
        _process = process;
        Port = port;
        LogPath = logPath;
    }

    public string Name { get; }
    public int Port { get; }
    public string LogPath { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");
    public string Url(string relative) => new Uri(BaseAddress, relative).ToString();
    public int ProcessId => _process.Id;

    /// <summary>A port nobody listens on now (the OS picks it; the service binds it a moment later).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="project"/>'s dll with these settings and waits until <c>GET <paramref name="readyPath"/></c> answers 2xx.</summary>
    public static async Task<ServiceProcess> StartAsync(string name, string project, IReadOnlyDictionary<string, string> environment,
        string logDirectory, int? port = null, string readyPath = "healthz")
    {
        var dll = ServiceBinaries.DllOf(project);
        var chosenPort = port ?? FreePort();
        Directory.CreateDirectory(logDirectory);
        var logPath = Path.Combine(logDirectory, name + ".log");
        // Through sh so the output goes straight to the file: piping it through this process would spend the
        // benchmark's CPU on log lines. exec keeps the process id the service's own.
        var start = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec dotnet \"$0\" >>\"$1\" 2>&1");
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(logPath);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{chosenPort}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        Running[process.Id] = process;
        if (_shuttingDown)
        {
            // Started while the program was being stopped: KillAll may have looked before this one was there.
            KillAll(shuttingDown: true);
            throw new OperationCanceledException("The benchmark is stopping.");
        }
        var service = new ServiceProcess(name, process, chosenPort, logPath);
        await service.WaitReadyAsync(readyPath, TimeSpan.FromSeconds(60));
        return service;
    }

    private async Task WaitReadyAsync(string readyPath, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var started = Stopwatch.StartNew();
        while (started.Elapsed < timeout)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"{Name} exited at start-up (code {_process.ExitCode}); see {LogPath}:\n{Tail(LogPath)}");
            try
            {
                using var response = await http.GetAsync(Url(readyPath));
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{Name} did not answer /{readyPath} within {timeout.TotalSeconds:0} s; see {LogPath}.");
    }

    private static string Tail(string path)
    {
        try
        {
            return string.Join('\n', File.ReadLines(path).TakeLast(15));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        Running.TryRemove(_process.Id, out _);
        await StopAsync(_process);
        _process.Dispose();
    }

    /// <summary>SIGTERM (the host shuts down cleanly), then a kill after a few seconds.</summary>
    private static async Task StopAsync(Process process)
    {
        try
        {
            if (process.HasExited) return;
            using (var term = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString() }, UseShellExecute = false }))
                await term!.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    /// <summary>Kills every service still running (end of a section, error, Ctrl+C). Synchronous: it runs in signal handlers.</summary>
    /// <param name="shuttingDown">The program is ending: a service started from now on is killed at once.</param>
    public static void KillAll(bool shuttingDown = false)
    {
        if (shuttingDown) _shuttingDown = true;
        foreach (var (id, process) in Running)
        {
            try
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
            Running.TryRemove(id, out _);
        }
    }
}
