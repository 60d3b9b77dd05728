using CalendarConnect.Benchmark.Google;
using CalendarConnect.Benchmark.Hosting;
using CalendarConnect.Benchmark.Load;
using CalendarConnect.Benchmark.Reporting;

namespace CalendarConnect.Benchmark.Sections;

/// <summary>
/// Section 1: read-only tool calls against the SDK's echo tool measured in the same run. Two MCP servers on the same
/// emulator, each with its own token database: one as deployed (BUSY_MIRROR=on, GOOGLE_PUSH_URL set), one with
/// BUSY_MIRROR=off (every availability read asks Google's freeBusy). Reads are spread over companies and dates.
/// </summary>
public sealed class ReadsSection(RunContext run)
{
    public const int CompanyCount = 40;
    public const int DateCount = 10;

    private sealed record Row(string Name, Uri Server, WrkPlan Plan);

    public async Task<IReadOnlyList<Table>> RunAsync()
    {
        var options = run.Options;
        await using var stack = new Stack(run, "reads");
        var emulator = await stack.StartEmulatorAsync();
        var echo = await stack.StartEchoAsync();
        var mirror = await stack.StartMcpServerAsync("mirror", emulator, mirror: true, push: true);
        var live = await stack.StartMcpServerAsync("live", emulator, mirror: false, push: false);

        var companies = Enumerable.Range(1, CompanyCount).Select(i => Companies.Numbered("reads", i)).ToList();
        var dates = BusinessDays.Weekdays(DateCount);
        await Companies.ConnectAllAsync(companies, emulator, [mirror, live]);
        await SeedEventsAsync(emulator.Control, companies, dates);
        Measure.Progress($"{CompanyCount} companies connected to both MCP servers, {DateCount} days with events each");

        // Request i goes to company i mod N, date (i / N) mod D: consecutive calls hit different companies.
        var pairs = Enumerable.Range(0, CompanyCount * DateCount)
            .Select(i => (Company: companies[i % CompanyCount], Date: BusinessDays.Date(dates[i / CompanyCount % DateCount]))).ToList();
        var rows = new List<Row>
        {
            new("echo (SDK floor)", echo.BaseAddress, new CyclePlan("POST", "/mcp", Measure.McpHeaders(null),
                pairs.Select(p => ((string?)null, (string?)McpCaller.Body("echo", new { message = $"{p.Company.CustomerId} {p.Date}" }))).ToList())),
            new("get_current_time", mirror.Process.BaseAddress, new CyclePlan("POST", "/mcp", Measure.McpHeaders(mirror.ApiKey),
                companies.Select(c => ((string?)c.CustomerId, (string?)McpCaller.Body("get_current_time", new { }))).ToList())),
            new("get_available_slots, mirror", mirror.Process.BaseAddress, SlotsPlan(mirror, pairs)),
            new("get_available_slots, live", live.Process.BaseAddress, SlotsPlan(live, pairs)),
        };

        await CheckAsync(echo, mirror, live, pairs[0].Company.CustomerId, pairs[0].Date);
        // The mirror's first sync of 40 calendars may still be running: measure it once it answers reads by itself.
        using (var reader = new McpCaller(mirror.McpEndpoint, mirror.ApiKey))
        {
            var sample = 0;
            var fromMirror = await Measure.UntilServedFromMirrorAsync(emulator.Control, async () =>
            {
                var (company, date) = pairs[sample++ % pairs.Count];
                (await reader.CallAsync(company.CustomerId, "get_available_slots", new { date_iso = date })).EnsureOk("get_available_slots");
            }, TimeSpan.FromSeconds(options.Quick ? 5 : 15));
            Measure.Progress(fromMirror is { } after
                ? $"the mirror MCP server answers reads without Google after {Figures.Seconds(after)}"
                : "the mirror MCP server still asks Google for every read (no busy-time mirror in this build, or not synced yet)");
        }
        foreach (var row in rows)
        {
            var warm = await Wrk.RunAsync(row.Plan, row.Server, 50, options.WarmUp, Path.Combine(run.OutputDirectory, "wrk"));
            Measure.Progress($"warm-up {row.Name}: {Figures.Rate(warm.CallsPerSecond)} calls/s");
        }

        var tables = new List<Table>();
        foreach (var latency in options.LatenciesMs)
        {
            var jitter = latency / 3;
            var table = new Table(latency == 0 ? "Reads, emulator at 0 ms" : $"Reads, emulator at {latency} ± {jitter} ms",
                "tool", "callers", "calls/s", "× echo", "p50", "p99", "errors http/tool", "Google req/1000 calls");
            tables.Add(table);
            if (latency > 0 && !emulator.Control.SupportsLatency)
            {
                foreach (var callers in options.Concurrencies)
                foreach (var row in rows)
                    table.Add(row.Name, callers.ToString(), Figures.NotAvailable, Figures.NotAvailable, Figures.NotAvailable,
                        Figures.NotAvailable, Figures.NotAvailable, Figures.NotAvailable);
                table.Note("n/a (emulator lacks latency control: PUT /emulator/latency answered 404)");
                continue;
            }
            if (emulator.Control.SupportsLatency) await emulator.Control.SetLatencyAsync(latency, jitter);

            foreach (var callers in options.Concurrencies)
            {
                double? echoRate = null;
                foreach (var row in rows)
                {
                    var m = await Measure.RunAsync(run, emulator.Control, row.Plan, row.Server, callers, options.RunDuration);
                    echoRate ??= m.Load.CallsPerSecond;
                    var ratio = echoRate > 0 ? Figures.Ratio(m.Load.CallsPerSecond / echoRate.Value) : Figures.NotAvailable;
                    table.Add(row.Name, callers.ToString(), Figures.Rate(m.Load.CallsPerSecond), ratio, Figures.Ms(m.Load.P50Ms), Figures.Ms(m.Load.P99Ms),
                        $"{Figures.Count(m.Load.HttpErrors)}/{Figures.Count(m.Load.ToolErrors)}", Figures.PerThousand(m.GoogleRequests, m.Load.Requests));
                    Measure.Progress($"{table.Title}: {row.Name}, {callers} callers: {Figures.Rate(m.Load.CallsPerSecond)} calls/s, p50 {Figures.Ms(m.Load.P50Ms)}");
                }
            }
            table.Note($"{options.RunDuration.TotalSeconds:0} s per row; × echo = calls/s over the echo tool's in the same block (same callers, same latency).");
            table.Note("errors: HTTP non-2xx or socket errors / tool results with isError. Google req/1000 calls: OAuth and Calendar API " +
                "requests the emulator received during the row, per 1,000 calls answered (background sync included).");
            table.Note($"mirror = MCP server with BUSY_MIRROR=on and GOOGLE_PUSH_URL; live = BUSY_MIRROR=off. Reads spread over {CompanyCount} companies × {DateCount} days.");
        }
        if (emulator.Control.SupportsLatency) await emulator.Control.SetLatencyAsync(0, 0);
        return tables;
    }

    private static CyclePlan SlotsPlan(McpServerInstance server, IEnumerable<(Company Company, string Date)> pairs) =>
        new("POST", "/mcp", Measure.McpHeaders(server.ApiKey),
            pairs.Select(p => ((string?)p.Company.CustomerId, (string?)McpCaller.Body("get_available_slots", new { date_iso = p.Date }))).ToList());

    /// <summary>Two busy meetings a day (10:00-11:00, 15:00-16:30) and a free-time reminder that blocks nothing.</summary>
    private static async Task SeedEventsAsync(EmulatorControl emulator, IReadOnlyList<Company> companies, IReadOnlyList<DateOnly> dates)
    {
        var events = companies.SelectMany(c => dates.SelectMany(d => new (string Email, object Event)[]
        {
            (c.Email, BusinessDays.BusyEvent(d, 10, 0, 11, 0, "Reunión de equipo")),
            (c.Email, BusinessDays.BusyEvent(d, 15, 0, 16, 30, "Paciente")),
            (c.Email, new
            {
                summary = "Recordatorio",
                transparency = "transparent",
                start = new { dateTime = BusinessDays.At(d, 12, 0) },
                end = new { dateTime = BusinessDays.At(d, 12, 30) },
            }),
        }));
        await Parallel.ForEachAsync(events, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (e, _) => await emulator.AddEventAsync(e.Email, e.Event));
    }

    /// <summary>One call of each row before any load: a failing setup is one clear message, not a table of errors.</summary>
    private static async Task CheckAsync(ServiceProcess echo, McpServerInstance mirror, McpServerInstance live, string customerId, string date)
    {
        using var echoCaller = new McpCaller(new Uri(echo.BaseAddress, "mcp"), null);
        (await echoCaller.CallAsync(null, "echo", new { message = "check" })).EnsureOk("echo");
        foreach (var server in new[] { mirror, live })
        {
            using var caller = new McpCaller(server.McpEndpoint, server.ApiKey);
            (await caller.CallAsync(customerId, "get_current_time", new { })).EnsureOk("get_current_time");
            var slots = await caller.CallAsync(customerId, "get_available_slots", new { date_iso = date });
            slots.EnsureOk("get_available_slots");
        }
    }
}
