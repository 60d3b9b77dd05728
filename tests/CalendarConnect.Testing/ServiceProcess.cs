using System.Diagnostics;

namespace CalendarConnect.Testing;

/// <summary>Runs one of our built services as a real process (as a user would start it) and collects its output.</summary>
public static class ServiceProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public string[] Lines => (StandardError + "\n" + StandardOutput).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>
    /// How a built service is started as its own process: <c>dotnet exec</c> of its dll beside the test assembly, with
    /// <paramref name="environment"/> added to this process's and its output redirected.
    /// </summary>
    public static ProcessStartInfo StartInfo(string assemblyName, IReadOnlyDictionary<string, string?> environment, string workingDirectory,
        string[]? args = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add("--runtimeconfig");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assemblyName + ".runtimeconfig.json"));
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll"));
        foreach (var a in args ?? []) start.ArgumentList.Add(a);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return start;
    }

    /// <param name="assemblyName">e.g. "CalendarConnect.McpServer", whose dll sits beside the test assembly.</param>
    public static async Task<Result> RunAsync(string assemblyName, IReadOnlyDictionary<string, string?> environment, string workingDirectory,
        TimeSpan timeout, string[]? args = null)
    {
        var start = StartInfo(assemblyName, environment, workingDirectory, args);

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{assemblyName} did not exit within {timeout}.");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
