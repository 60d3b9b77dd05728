using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CalendarConnect.ScaleOut.Tests;

/// <summary>One try of an operation: when it started (since the log began), how long it took, and why it failed (null: it did not).</summary>
public sealed record Attempt(TimeSpan StartedAt, TimeSpan Elapsed, string? Failure)
{
    public bool Succeeded => Failure is null;
    public TimeSpan EndedAt => StartedAt + Elapsed;
}

/// <summary>One thing a caller wanted done (a booking, a read), with its tries in order; done when the last one succeeded.</summary>
public sealed record Operation(string Caller, string Kind, IReadOnlyList<Attempt> Attempts)
{
    public bool Succeeded => Attempts[^1].Succeeded;
    public bool FailedAtLeastOnce => Attempts.Any(a => !a.Succeeded);

    /// <summary>Whether its first try was under way at some moment of [from, to].</summary>
    public bool InFlightDuring(TimeSpan from, TimeSpan to) => Attempts[0].StartedAt <= to && Attempts[0].EndedAt >= from;
}

/// <summary>
/// What the callers of the steady traffic did, as a caller sees it: each operation is tried until a try succeeds
/// (at most <see cref="MaxAttempts"/> tries, each cut after <see cref="AttemptTimeout"/>), and every try is recorded.
/// </summary>
public sealed class TrafficLog
{
    /// <summary>Above the MCP server's 10 s tool deadline plus the way there and back (README: "e.g. 15 s").</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(15);

    public const int MaxAttempts = 5;

    private readonly long _origin = Stopwatch.GetTimestamp();
    private readonly ConcurrentQueue<Operation> _operations = new();
    private int _succeeded;

    /// <summary>Time since the log began: the clock every attempt and the kill are placed on.</summary>
    public TimeSpan Now => Stopwatch.GetElapsedTime(_origin);

    public int Succeeded => Volatile.Read(ref _succeeded);

    public IReadOnlyList<Operation> Operations => _operations.ToList();

    /// <param name="attempt">One try; returns null when it succeeded, else what went wrong (an exception counts as a failure too).</param>
    public async Task<Operation> RunAsync(string caller, string kind, Func<CancellationToken, Task<string?>> attempt)
    {
        var attempts = new List<Attempt>();
        do
        {
            var started = Now;
            string? failure;
            using (var timeout = new CancellationTokenSource(AttemptTimeout))
            {
                try { failure = await attempt(timeout.Token); }
                catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException
                                               or ModelContextProtocol.McpException or System.Text.Json.JsonException or InvalidOperationException)
                {
                    failure = $"{ex.GetType().Name}: {ex.Message.Split('\n')[0]}";
                }
            }

            attempts.Add(new Attempt(started, Now - started, failure));
        } while (!attempts[^1].Succeeded && attempts.Count < MaxAttempts);

        var operation = new Operation(caller, kind, attempts);
        _operations.Enqueue(operation);
        if (operation.Succeeded) Interlocked.Increment(ref _succeeded);
        return operation;
    }

    /// <summary>Per kind: operations, requests (tries), failed tries, retries, and p50/p99 of every try's latency.</summary>
    public string Figures()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"kind",-14} {"operations",10} {"requests",9} {"failures",9} {"retries",8} {"p50 ms",8} {"p99 ms",8}");
        foreach (var kind in Operations.GroupBy(o => o.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var tries = kind.SelectMany(o => o.Attempts).ToList();
            var latencies = tries.Select(a => a.Elapsed.TotalMilliseconds).Order().ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{kind.Key,-14} {kind.Count(),10} {tries.Count,9} {tries.Count(a => !a.Succeeded),9} {tries.Count - kind.Count(),8} " +
                $"{Percentile(latencies, 50),8:F0} {Percentile(latencies, 99),8:F0}");
        }

        return text.ToString();
    }

    /// <summary>Nearest rank.</summary>
    private static double Percentile(IReadOnlyList<double> sorted, double percentile) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
