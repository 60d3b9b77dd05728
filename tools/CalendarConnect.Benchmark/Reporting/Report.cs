using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace CalendarConnect.Benchmark.Reporting;

/// <summary>The whole run's output: the machine and date on top, then one table per section.</summary>
public sealed class Report
{
    private readonly List<Table> _tables = [];

    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<Table> Tables => _tables;

    public Report(IReadOnlyList<string> header) => Header = header;

    public void Add(Table table) => _tables.Add(table);

    public string ToText()
    {
        var text = new StringBuilder();
        foreach (var line in Header) text.Append(line).Append('\n');
        foreach (var table in _tables) text.Append('\n').Append(table.ToText());
        return text.ToString();
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        foreach (var line in Header) md.Append(line).Append("  \n");
        md.Append('\n');
        foreach (var table in _tables) md.Append(table.ToMarkdown());
        return md.ToString();
    }

    /// <summary>Cores, CPU, OS, .NET, the commit measured, the database engine, the date.</summary>
    public static IReadOnlyList<string> MachineHeader(string engine, string commandLine)
    {
        var os = ReadOsName() ?? RuntimeInformation.OSDescription;
        var cpu = ReadCpuModel();
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ').Take(3) : [];
        return
        [
            "CalendarConnect benchmark",
            $"Date: {DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC; commit {Git("rev-parse --short HEAD") ?? "unknown"} ({Git("rev-parse --abbrev-ref HEAD") ?? "?"})",
            $"Machine: {Environment.ProcessorCount} cores{(cpu is null ? "" : $" ({cpu})")}, {os}, {RuntimeInformation.FrameworkDescription}, load average at start {string.Join(' ', load)}",
            $"Databases: {engine}; load: wrk, 1 thread, N connections (= callers), JSON-RPC tools/call POSTed to the stateless /mcp endpoint",
            $"Command: {commandLine}",
        ];
    }

    private static string? ReadOsName()
    {
        if (!File.Exists("/etc/os-release")) return null;
        var line = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
        return line?["PRETTY_NAME=".Length..].Trim('"');
    }

    private static string? ReadCpuModel()
    {
        if (!File.Exists("/proc/cpuinfo")) return null;
        var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?[(line.IndexOf(':') + 1)..].Trim();
    }

    private static string? Git(string arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git", arguments)
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                WorkingDirectory = Hosting.ServiceBinaries.RepositoryRoot,
            };
            using var process = Process.Start(start);
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
