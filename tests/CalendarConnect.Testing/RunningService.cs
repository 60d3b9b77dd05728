using System.Diagnostics;
using System.Text;

namespace CalendarConnect.Testing;

/// <summary>
/// One of our built services running as its own process, started from environment variables alone, as a published
/// app is started by an operator or an orchestrator: ready once its readiness path answers 200. Stops with SIGTERM
/// (<see cref="StopAsync"/>, a graceful stop) or dies at once (<see cref="Kill"/>, a crash).
/// </summary>
public sealed class RunningService : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private RunningService(string name, Process process, Uri address)
    {
        Name = name;
        _process = process;
        Address = address;
    }

    public string Name { get; }

    /// <summary>Where the service listens (http://127.0.0.1:port).</summary>
    public Uri Address { get; }

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Everything the process wrote to stdout and stderr so far, in order.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>
    /// Starts <paramref name="assemblyName"/> (its dll beside the test assembly, or in <paramref name="fromDirectory"/>,
    /// e.g. its published app from <see cref="ServiceProcess.PublishedAsync"/>) with exactly <paramref name="environment"/>
    /// added to this process's, listening where ASPNETCORE_HTTP_PORTS says (a free port is chosen), and waits until it
    /// is ready: <paramref name="readyPath"/> answers 200 (the emulator, not a production service, has no /readyz).
    /// </summary>
    public static async Task<RunningService> StartAsync(string name, string assemblyName, IReadOnlyDictionary<string, string?> environment,
        string workingDirectory, string readyPath = "/readyz", TimeSpan? readyWithin = null, string? fromDirectory = null)
    {
        var port = LoopbackServer.FreePort();
        var start = ServiceProcess.StartInfo(assemblyName, environment, workingDirectory, directory: fromDirectory);
        start.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Not the test runner's own environment name (Development would turn on developer pages).
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var service = new RunningService(name, process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                if (process.HasExited) throw new InvalidOperationException($"{name} exited with {process.ExitCode} before it was ready:\n{service.Output}");
                try { return (await probe.GetAsync(new Uri(service.Address, readyPath))).IsSuccessStatusCode; }
                catch (HttpRequestException) { return false; }
                catch (TaskCanceledException) { return false; }
            }, $"{name} answers 200 at {readyPath}", readyWithin ?? TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException timeout)
        {
            await service.DisposeAsync();
            // What the process said is the only clue to why it never became ready.
            throw new TimeoutException($"{timeout.Message}\n{service.Output}", timeout);
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }

        return service;
    }

    /// <summary>SIGTERM, as an orchestrator stops a container, then waits for the process to exit by itself.</summary>
    public async Task<int> StopAsync(TimeSpan within)
    {
        if (!_process.HasExited) Terminate(_process.Id);
        using var timeout = new CancellationTokenSource(within);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>Ends the process at once (SIGKILL): a crash, with no chance to finish anything.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private static void Terminate(int processId)
    {
        // .NET has no API to send SIGTERM; kill(1) is on every Linux machine the tests run on.
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            { UseShellExecute = false })!;
        kill.WaitForExit();
    }
}
