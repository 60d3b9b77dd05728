using System.Diagnostics;
using System.Text;
using CalendarConnect.Testing;

namespace CalendarConnect.ScaleOut.Tests;

/// <summary>
/// Debian's HAProxy (/usr/sbin/haproxy, installed by ./scripts/test.sh) in the foreground (-db) with a configuration
/// file of its own; ready once each frontend answers the replicas' readiness path with 200. Its output is the access log.
/// </summary>
public sealed class RunningHaproxy : IAsyncDisposable
{
    public const string Executable = "/usr/sbin/haproxy";

    private readonly Process _process;
    private readonly string _folder;
    private readonly StringBuilder _output = new();

    private RunningHaproxy(Process process, string folder)
    {
        _process = process;
        _folder = folder;
    }

    /// <summary>Everything HAProxy wrote so far: its warnings and one access-log line per request.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <param name="readyAt">Addresses that must answer 200 through the balancer before it counts as started.</param>
    public static async Task<RunningHaproxy> StartAsync(string configuration, IEnumerable<Uri> readyAt)
    {
        if (!File.Exists(Executable))
            throw new InvalidOperationException($"{Executable} is missing: run the tests with ./scripts/test.sh, which installs Debian's haproxy.");
        var folder = Directory.CreateTempSubdirectory("cc-haproxy-").FullName;
        var file = Path.Combine(folder, "haproxy.cfg");
        await File.WriteAllTextAsync(file, configuration);
        var start = new ProcessStartInfo(Executable, ["-db", "-f", file])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = folder,
        };
        var process = new Process { StartInfo = start };
        var haproxy = new RunningHaproxy(process, folder);
        process.OutputDataReceived += (_, e) => haproxy.Append(e.Data);
        process.ErrorDataReceived += (_, e) => haproxy.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            foreach (var address in readyAt)
                await Eventually.TrueAsync(async () =>
                {
                    if (process.HasExited) throw new InvalidOperationException($"haproxy exited with {process.ExitCode}:\n{haproxy.Output}\n{configuration}");
                    try { return (await probe.GetAsync(address)).IsSuccessStatusCode; }
                    catch (HttpRequestException) { return false; }
                    catch (TaskCanceledException) { return false; }
                }, $"haproxy answers 200 at {address}", TimeSpan.FromSeconds(20));
        }
        catch
        {
            await haproxy.DisposeAsync();
            throw;
        }

        return haproxy;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
