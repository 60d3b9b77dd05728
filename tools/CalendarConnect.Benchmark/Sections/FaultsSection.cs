using System.Diagnostics;
using CalendarConnect.Benchmark.Google;
using CalendarConnect.Benchmark.Hosting;
using CalendarConnect.Benchmark.Load;
using CalendarConnect.Benchmark.Reporting;

namespace CalendarConnect.Benchmark.Sections;

/// <summary>
/// Section 3: Google failing. The token endpoint answering 503 (and hanging) while every access token has expired:
/// how many token requests one company's concurrent calls cause and how long they wait, and whether
/// get_current_time (which needs no Google) waits too. Then freshness: how soon an event created in the company's
/// calendar blocks its slot in get_available_slots answers, with and without push. Each scenario has its own
/// emulator and MCP server, so no fault outlives it.
/// </summary>
public sealed class FaultsSection(RunContext run)
{
    public const int TokenOutageCalls = 30;
    public const int TokenHangCalls = 10;

    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);

    public async Task<IReadOnlyList<Table>> RunAsync()
    {
        var options = run.Options;
        var failures = new Table("Faults: token endpoint failing while access tokens are expired (one company)",
            "scenario", "calls", "answered ok/error", "unanswered", "token requests", "slowest answer", "get_current_time p50", "get_current_time max");
        await TokenFailureAsync(failures, "503 for minutes", TokenOutageCalls, hang: false);
        await TokenFailureAsync(failures, "hanging (never answers)", TokenHangCalls, hang: true);
        failures.Note($"Concurrent get_available_slots calls for one company on an MCP server with BUSY_MIRROR=off (every call needs Google), " +
            $"after POST /emulator/expire-access-tokens and a fault on /token; each call waits at most {options.FaultCap.TotalSeconds:0} s " +
            "(then counted unanswered). token requests: grant_type=refresh_token requests at the emulator during the scenario.");
        failures.Note($"get_current_time: the same company, one call every {ProbeInterval.TotalMilliseconds:0} ms throughout the scenario.");

        var freshness = new Table("Freshness: an event created in the company's calendar blocks its slot in get_available_slots after",
            "MCP server", "blocked after", "answers before the event came from", "Google req/1000 polls");
        var push = FreshnessAsync("BUSY_MIRROR=on, GOOGLE_PUSH_URL set (push)", push: true);
        var noPush = FreshnessAsync("BUSY_MIRROR=on, no GOOGLE_PUSH_URL (no push)", push: false);
        foreach (var row in await Task.WhenAll(push, noPush)) freshness.Add(row);
        freshness.Note($"Event inserted through POST /emulator/accounts/{{email}}/events; the tool polled every {ProbeInterval.TotalMilliseconds:0} ms " +
            $"until the slot is gone, at most {options.FreshnessCap.TotalSeconds:0} s. \"mirror\": reads then cost Google fewer requests than half their number; \"live\": about one each.");
        return [failures, freshness];
    }

    private async Task TokenFailureAsync(Table table, string scenario, int calls, bool hang)
    {
        var cap = run.Options.FaultCap;
        await using var stack = new Stack(run, hang ? "faults-hang" : "faults-503");
        var emulator = await stack.StartEmulatorAsync();
        if (hang && !emulator.Control.SupportsHang)
        {
            table.Add(scenario, calls.ToString(), Figures.NotAvailable, Figures.NotAvailable, Figures.NotAvailable, Figures.NotAvailable,
                Figures.NotAvailable, Figures.NotAvailable);
            table.Note($"{scenario}: n/a (emulator lacks hang faults: POST /emulator/faults with \"hang\" was refused)");
            return;
        }
        var mcp = await stack.StartMcpServerAsync("mcp", emulator, mirror: false, push: false);
        var company = Companies.Numbered("faults", 1);
        await Companies.ConnectAllAsync([company], emulator, [mcp]);
        var date = BusinessDays.Date(BusinessDays.Weekdays(1)[0]);
        using var caller = new McpCaller(mcp.McpEndpoint, mcp.ApiKey);
        (await caller.CallAsync(company.CustomerId, "get_available_slots", new { date_iso = date })).EnsureOk("get_available_slots");
        (await caller.CallAsync(company.CustomerId, "get_current_time", new { })).EnsureOk("get_current_time");

        using var stopProbe = new CancellationTokenSource();
        var probe = ProbeCurrentTimeAsync(mcp, company.CustomerId, cap, stopProbe.Token);
        var logBefore = (await emulator.Control.RequestsAsync()).Count;
        await emulator.Control.ExpireAccessTokensAsync();
        if (hang) await emulator.Control.AddFaultAsync("/token", count: 100_000, hang: true);
        else await emulator.Control.AddFaultAsync("/token", count: 100_000, status: 503);
        Measure.Progress($"token endpoint {scenario}: {calls} concurrent calls");

        var answers = await Task.WhenAll(Enumerable.Range(0, calls).Select(async _ =>
        {
            using var timeout = new CancellationTokenSource(cap);
            var started = Stopwatch.GetTimestamp();
            try
            {
                var answer = await caller.CallAsync(company.CustomerId, "get_available_slots", new { date_iso = date }, timeout.Token);
                return (Answered: true, answer.Ok, Elapsed: Stopwatch.GetElapsedTime(started));
            }
            catch (OperationCanceledException)
            {
                return (Answered: false, Ok: false, Elapsed: Stopwatch.GetElapsedTime(started));
            }
        }));
        await stopProbe.CancelAsync();
        var probeTimes = await probe;
        var log = await emulator.Control.RequestsAsync();
        var tokenRequests = log.Skip(logBefore).Count(r => r.Path.StartsWith("/token", StringComparison.Ordinal) && r.GrantType == "refresh_token");

        var answered = answers.Where(a => a.Answered).ToList();
        var unanswered = answers.Length - answered.Count;
        var slowest = answered.Count == 0 ? "none answered" : Figures.Seconds(answered.Max(a => a.Elapsed));
        if (unanswered > 0) slowest += $" (> {cap.TotalSeconds:0} s for {unanswered})";
        table.Add(scenario, calls.ToString(), $"{answered.Count(a => a.Ok)}/{answered.Count(a => !a.Ok)}", unanswered.ToString(),
            tokenRequests.ToString(), slowest, ProbeFigure(probeTimes, 50), ProbeFigure(probeTimes, 100));
    }

    /// <summary>get_current_time for the company every 100 ms until stopped; each call's time (a call cut off at the cap counts as the cap).</summary>
    private static async Task<IReadOnlyList<double>> ProbeCurrentTimeAsync(McpServerInstance mcp, string customerId, TimeSpan cap, CancellationToken stop)
    {
        using var caller = new McpCaller(mcp.McpEndpoint, mcp.ApiKey);
        var times = new List<double>();
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            using var timeout = new CancellationTokenSource(cap);
            try
            {
                await caller.CallAsync(customerId, "get_current_time", new { }, timeout.Token);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            catch (OperationCanceledException)
            {
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                break;
            }
            try
            {
                await Task.Delay(ProbeInterval, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return times;
    }

    private static string ProbeFigure(IReadOnlyList<double> times, double percentile)
    {
        if (times.Count == 0) return Figures.NotAvailable;
        var sorted = times.Order().ToList();
        return Figures.Ms(Figures.Percentile(sorted, percentile));
    }

    /// <summary>
    /// Connects a company, waits until its slot at 11:00 is offered (and, for up to a few seconds, until reads stop
    /// costing Google requests, i.e. the mirror serves them), creates an event over it in the calendar, then polls.
    /// </summary>
    private static readonly TimeSpan SettleBeforeChange = TimeSpan.FromSeconds(3);

    private async Task<string[]> FreshnessAsync(string label, bool push)
    {
        var cap = run.Options.FreshnessCap;
        await using var stack = new Stack(run, push ? "freshness-push" : "freshness-poll");
        var emulator = await stack.StartEmulatorAsync();
        var mcp = await stack.StartMcpServerAsync("mcp", emulator, mirror: true, push: push);
        var company = Companies.Numbered(push ? "fresh-push" : "fresh-poll", 1);
        await Companies.ConnectAllAsync([company], emulator, [mcp]);
        var day = BusinessDays.Weekdays(1, daysAhead: 3)[0];
        var date = BusinessDays.Date(day);
        var slotStart = BusinessDays.At(day, 11);
        using var caller = new McpCaller(mcp.McpEndpoint, mcp.ApiKey);

        async Task<bool> OfferedAsync(CancellationToken cancellationToken = default)
        {
            var answer = await caller.CallAsync(company.CustomerId, "get_available_slots", new { date_iso = date }, cancellationToken);
            answer.EnsureOk("get_available_slots");
            return answer.Structured is { } s && s.TryGetProperty("slots", out var slots)
                && slots.EnumerateArray().Any(x => x.GetProperty("start").GetString() == slotStart);
        }

        if (!await OfferedAsync()) throw new InvalidOperationException($"{date} 11:00 is not offered before the event exists.");
        // Give the mirror (where there is one) its first sync: wait until reads stop costing Google requests, a few seconds at most.
        var fromMirror = await Measure.UntilServedFromMirrorAsync(emulator.Control, () => OfferedAsync(),
            TimeSpan.FromSeconds(run.Options.Quick ? 5 : 10));
        var servedFrom = fromMirror is null ? "live" : "mirror";
        // A calendar nobody read is synced at once when reads begin; read on for a few seconds so that sync is behind us and
        // the change below meets the steady schedule (a notification with push, the next poll without).
        for (var settle = Stopwatch.StartNew(); settle.Elapsed < SettleBeforeChange;)
        {
            await OfferedAsync();
            await Task.Delay(ProbeInterval);
        }

        await emulator.Control.AddEventAsync(company.Email, BusinessDays.BusyEvent(day, 11, 0, 12, 0, "Turno tomado por teléfono"));
        var created = Stopwatch.StartNew();
        var countBefore = await emulator.Control.RequestCountAsync();
        var polls = 0;
        string blockedAfter;
        while (true)
        {
            polls++;
            using var timeout = new CancellationTokenSource(cap);
            if (!await OfferedAsync(timeout.Token))
            {
                blockedAfter = Figures.Seconds(created.Elapsed);
                break;
            }
            if (created.Elapsed > cap)
            {
                blockedAfter = $"> {cap.TotalSeconds:0} s (still offered)";
                break;
            }
            await Task.Delay(ProbeInterval);
        }
        var google = (await emulator.Control.RequestCountAsync() - countBefore).Total;
        Measure.Progress($"freshness, {label}: blocked after {blockedAfter}");
        return [label, blockedAfter, servedFrom, Figures.PerThousand(google, polls)];
    }
}
