using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CalendarConnect.Benchmark;
using CalendarConnect.Benchmark.Hosting;
using CalendarConnect.Benchmark.Reporting;
using CalendarConnect.Benchmark.Sections;

// The CalendarConnect benchmark: starts the Google emulator, MCP servers, the backend and the SDK's echo server as
// separate processes from their Release builds, loads them with wrk and prints the figures as tables (console and
// Markdown). Figures are ratios to the echo tool measured in the same run, next to absolute calls/s and latencies,
// because the machines are shared and noisy. Run it with ./scripts/benchmark.sh.

var (options, error) = BenchmarkOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}
if (options.Help)
{
    Console.WriteLine(BenchmarkOptions.Usage);
    return 0;
}
if (!CommandExists("wrk"))
{
    Console.Error.WriteLine("wrk is not installed: run ./scripts/benchmark.sh (it installs Debian's wrk), or apt-get install -y wrk.");
    return 1;
}
if (options.Postgres is { } postgres && await Databases.CheckPostgresAsync(postgres) is { } postgresError)
{
    Console.Error.WriteLine(postgresError);
    return 1;
}

// Whatever happens (an error, Ctrl+C, a kill, the end), no service is left running.
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopServices);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopServices);
using var onHangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, StopServices);
AppDomain.CurrentDomain.ProcessExit += (_, _) => ServiceProcess.KillAll(shuttingDown: true);

var output = Path.GetFullPath(options.OutputDirectory
    ?? Path.Combine(ServiceBinaries.RepositoryRoot, "benchmark-results", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
Directory.CreateDirectory(output);

await using var databases = new Databases(options.Postgres);
var run = new RunContext(options, databases, output);
var report = new Report(Report.MachineHeader(databases.Engine, ("./scripts/benchmark.sh " + BenchmarkOptions.Describe(args)).TrimEnd()));
foreach (var line in report.Header) Console.WriteLine(line);

var total = Stopwatch.StartNew();
var failed = false;
foreach (var section in Enum.GetValues<Section>().Where(options.Sections.Contains))
{
    Console.WriteLine();
    Console.WriteLine($"== {section} ==");
    var started = Stopwatch.StartNew();
    try
    {
        IReadOnlyList<Table> tables = section switch
        {
            Section.Reads => await new ReadsSection(run).RunAsync(),
            Section.Booking => await new BookingSection(run).RunAsync(),
            Section.Faults => await new FaultsSection(run).RunAsync(),
            Section.Admin => await new AdminSection(run).RunAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(section)),
        };
        foreach (var table in tables)
        {
            report.Add(table);
            Console.WriteLine();
            Console.Write(table.ToText());
        }
    }
    catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TimeoutException or IOException
                               or System.Text.Json.JsonException or OperationCanceledException or FileNotFoundException)
    {
        // One section's failure (a service that would not start, a setup call refused) is reported, and the others run.
        failed = true;
        var table = new Table($"{section}: not measured");
        table.Note(e.Message);
        report.Add(table);
        Console.Error.WriteLine($"{section} failed: {e.Message}");
    }
    finally
    {
        ServiceProcess.KillAll();
    }
    Console.WriteLine($"({section} took {started.Elapsed.TotalSeconds:0} s)");
}

var markdown = Path.Combine(output, "benchmark-results.md");
await File.WriteAllTextAsync(markdown, report.ToMarkdown());
await File.WriteAllTextAsync(Path.Combine(output, "benchmark-results.txt"), report.ToText());
Console.WriteLine();
Console.WriteLine("==================== results ====================");
Console.Write(report.ToText());
Console.WriteLine();
Console.WriteLine($"Total time {total.Elapsed.TotalMinutes:0.0} min. Markdown: {markdown}");
Console.WriteLine($"Service logs and wrk scripts: {output}");
return failed ? 1 : 0;

static void StopServices(PosixSignalContext context)
{
    Console.Error.WriteLine($"{context.Signal}: stopping the services.");
    ServiceProcess.KillAll(shuttingDown: true);
    // Not cancelled: the signal then ends this program as it normally would.
}

static bool CommandExists(string name) =>
    (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
    .Any(dir => File.Exists(Path.Combine(dir, name)));
