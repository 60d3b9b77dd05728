using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CalendarConnect.Benchmark.Load;

/// <summary>What one wrk run measured.</summary>
public sealed record WrkResult(
    long Requests, TimeSpan Duration, double P50Ms, double P99Ms, double MaxMs,
    long HttpErrors, long ToolErrors, long Issued, IReadOnlyDictionary<string, long> ErrorCodes)
{
    public double CallsPerSecond => Duration.TotalSeconds > 0 ? Requests / Duration.TotalSeconds : 0;

    public long Code(string code) => ErrorCodes.GetValueOrDefault(code);
}

/// <summary>The requests of one run, in the form bench.lua reads them.</summary>
public abstract record WrkPlan(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers)
{
    internal abstract void WriteData(StringBuilder lua);
}

/// <summary>A fixed set of requests sent in turn, over and over (reads: companies × dates).</summary>
/// <param name="Items">(X-Customer-Id or null, body or null) pairs.</param>
public sealed record CyclePlan(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers,
    IReadOnlyList<(string? CustomerId, string? Body)> Items) : WrkPlan(Method, PathAndQuery, Headers)
{
    internal override void WriteData(StringBuilder lua)
    {
        lua.Append("bench_mode = \"cycle\"\nbench_items = {\n");
        foreach (var (customer, body) in Items) lua.Append("  {").Append(Wrk.LuaString(customer ?? "")).Append(", ").Append(Wrk.LuaString(body ?? "")).Append("},\n");
        lua.Append("}\n");
    }
}

/// <summary>book_appointment calls that each ask for a slot no other call of the run (or of earlier runs) asked for.</summary>
/// <param name="Base">Index of the first (company, start) pair: the earlier runs' issued count, so runs never overlap.</param>
public sealed record BookingPlan(string PathAndQuery, IReadOnlyDictionary<string, string> Headers,
    IReadOnlyList<string> CustomerIds, IReadOnlyList<string> Starts, long Base, string RunId) : WrkPlan("POST", PathAndQuery, Headers)
{
    public long Capacity => (long)CustomerIds.Count * Starts.Count;

    internal override void WriteData(StringBuilder lua)
    {
        lua.Append("bench_mode = \"book\"\nbench_customers = {");
        lua.AppendJoin(", ", CustomerIds.Select(Wrk.LuaString)).Append("}\nbench_starts = {");
        lua.AppendJoin(", ", Starts.Select(Wrk.LuaString)).Append("}\n");
        lua.Append("bench_base = ").Append(Base.ToString(CultureInfo.InvariantCulture)).Append('\n');
        lua.Append("bench_run = ").Append(Wrk.LuaString(RunId)).Append('\n');
    }
}

/// <summary>
/// Runs wrk (one thread, N connections, fixed duration), the load generator the figures were measured with,
/// with bench.lua generating the requests and counting tool errors.
/// </summary>
public static class Wrk
{
    private const string ResultMarker = "BENCHMARK-RESULT ";
    private static int _runs;

    public static async Task<WrkResult> RunAsync(WrkPlan plan, Uri server, int connections, TimeSpan duration, string workDirectory)
    {
        Directory.CreateDirectory(workDirectory);
        var script = Path.Combine(workDirectory, $"wrk-{Interlocked.Increment(ref _runs):000}.lua");
        await File.WriteAllTextAsync(script, Script(plan));
        var seconds = Math.Max(1, (int)Math.Round(duration.TotalSeconds));
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-t1", $"-c{connections}", $"-d{seconds}s", "--timeout", "30s", "-s", script, new Uri(server, plan.PathAndQuery).ToString() })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(ResultMarker, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk exited {process.ExitCode} without a result:\n{output}\n{await stderr}");
        return Parse(line[ResultMarker.Length..]);
    }

    public static WrkResult Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var r = document.RootElement;
        long N(string name) => r.GetProperty(name).GetInt64();
        var codes = r.GetProperty("codes").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
        return new WrkResult(
            N("requests"), TimeSpan.FromMicroseconds(N("duration_us")), N("p50_us") / 1000.0, N("p99_us") / 1000.0, N("max_us") / 1000.0,
            N("status_errors") + N("connect_errors") + N("read_errors") + N("write_errors") + N("timeouts"),
            N("tool_errors"), N("issued"), codes);
    }

    internal static string Script(WrkPlan plan)
    {
        var lua = new StringBuilder();
        lua.Append("bench_method = ").Append(LuaString(plan.Method)).Append('\n');
        lua.Append("bench_path = ").Append(LuaString(plan.PathAndQuery)).Append('\n');
        lua.Append("bench_headers = {");
        lua.AppendJoin(", ", plan.Headers.Select(h => $"[ {LuaString(h.Key)} ] = {LuaString(h.Value)}")).Append("}\n");
        plan.WriteData(lua);
        using var template = typeof(Wrk).Assembly.GetManifestResourceStream("bench.lua")
            ?? throw new InvalidOperationException("bench.lua is not embedded.");
        using var reader = new StreamReader(template);
        lua.Append(reader.ReadToEnd());
        return lua.ToString();
    }

    /// <summary>A Lua long string: no escapes are interpreted inside, so JSON goes in as it is.</summary>
    internal static string LuaString(string value)
    {
        var level = "==";
        while (value.Contains("]" + level + "]", StringComparison.Ordinal)) level += "=";
        return "[" + level + "[" + value + "]" + level + "]";
    }
}
