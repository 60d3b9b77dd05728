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
    /// Reads in bursts until a burst costs the emulator fewer requests than half its reads, i.e. the MCP server answers
    /// from its busy-time mirror (a few requests of background sync may still come in), or until <paramref name="cap"/>.
    /// Returns how long that took, or null when the reads kept going to Google (no mirror, or not fresh yet).
    /// </summary>
    public static async Task<TimeSpan?> UntilServedFromMirrorAsync(EmulatorControl emulator, Func<Task> read, TimeSpan cap, int burst = 10)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (started.Elapsed < cap)
        {
            var before = await emulator.RequestCountAsync();
            for (var i = 0; i < burst; i++) await read();
            if ((await emulator.RequestCountAsync() - before).Total * 2 < burst) return started.Elapsed;
            await Task.Delay(250);
        }
        return null;
    }

    /// <summary>One line of progress on the console while a section runs.</summary>
    public static void Progress(string line) => Console.WriteLine("  · " + line);
}
