using CalendarConnect.Benchmark.Google;
using CalendarConnect.Benchmark.Hosting;
using CalendarConnect.Benchmark.Load;

namespace CalendarConnect.Benchmark.Sections;

/// <summary>A wrk run and the Google requests the emulator received while it ran.</summary>
public sealed record Measured(WrkResult Load, long GoogleRequests);

public static class Measure
{
    /// <summary>Pause between runs, so one run's last answers and closing connections do not land in the next.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(500);

    public static async Task<Measured> RunAsync(RunContext run, EmulatorControl emulator, WrkPlan plan, Uri server, int callers, TimeSpan duration)
    {
        await Task.Delay(Settle);
        var before = await emulator.RequestCountAsync();
        var load = await Wrk.RunAsync(plan, server, callers, duration, Path.Combine(run.OutputDirectory, "wrk"));
        var after = await emulator.RequestCountAsync();
        return new Measured(load, (after - before).Total);
    }

    public static Dictionary<string, string> McpHeaders(string? bearer)
    {
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = "application/json",
            ["Accept"] = McpCaller.Accept,
        };
        if (bearer is not null) headers["Authorization"] = "Bearer " + bearer;
        return headers;
    }

    /// <summary>
    /// Reads until one costs the emulator no request, i.e. the MCP server answers from its busy-time mirror, or until
    /// <paramref name="cap"/>. Returns how long that took, or null when every read went to Google (no mirror, or not fresh).
    /// </summary>
    public static async Task<TimeSpan?> UntilServedFromMirrorAsync(EmulatorControl emulator, Func<Task> read, TimeSpan cap)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (started.Elapsed < cap)
        {
            var before = await emulator.RequestCountAsync();
            await read();
            if ((await emulator.RequestCountAsync() - before).Total == 0) return started.Elapsed;
            await Task.Delay(250);
        }
        return null;
    }

    /// <summary>One line of progress on the console while a section runs.</summary>
    public static void Progress(string line) => Console.WriteLine("  · " + line);
}
