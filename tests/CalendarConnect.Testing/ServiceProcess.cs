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
    /// How a built service is started as its own process: <c>dotnet exec</c> of its dll in <paramref name="directory"/>
    /// (by default beside the test assembly; <see cref="PublishedAsync"/> gives its published app's folder), with
    /// <paramref name="environment"/> added to this process's and its output redirected.
    /// </summary>
    public static ProcessStartInfo StartInfo(string assemblyName, IReadOnlyDictionary<string, string?> environment, string workingDirectory,
        string[]? args = null, string? directory = null)
    {
        directory ??= AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = workingDirectory };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add("--runtimeconfig");
        start.ArgumentList.Add(Path.Combine(directory, assemblyName + ".runtimeconfig.json"));
        start.ArgumentList.Add(Path.Combine(directory, assemblyName + ".dll"));
        foreach (var a in args ?? []) start.ArgumentList.Add(a);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return start;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<string>>> Published = new();

    /// <summary>
    /// The folder of <paramref name="project"/>'s <c>dotnet publish</c> output (src/<paramref name="project"/>, already
    /// built in this test run's configuration, so <c>--no-build</c>), made once per test process: the app as an operator
    /// deploys it, with no repository or build output around it.
    /// </summary>
    public static Task<string> PublishedAsync(string project) =>
        Published.GetOrAdd(project, name => new Lazy<Task<string>>(() => PublishAsync(name))).Value;

    private static async Task<string> PublishAsync(string project)
    {
        var output = Directory.CreateTempSubdirectory($"cc-published-{project}-").FullName;
        // Gone with the test process (tens of MB each), whichever test used it last.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(output, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        };
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = RepositoryPaths.Root };
        foreach (var argument in new[] { "publish", Path.Combine("src", project, project + ".csproj"), "--no-build", "-c", configuration, "-o", output, "-nologo" })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(cancel.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish of {project} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        return output;
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
