using System.Globalization;
using CalendarConnect.Benchmark.Google;
using CalendarConnect.Benchmark.Hosting;
using CalendarConnect.Benchmark.Load;
using CalendarConnect.Benchmark.Reporting;

namespace CalendarConnect.Benchmark.Sections;

/// <summary>
/// Section 2: book_appointment under load, every call for a slot no other call asked for (companies × days × hours,
/// unique idempotency keys), against an MCP server as deployed (BUSY_MIRROR=on, GOOGLE_PUSH_URL set). A booking
/// always re-checks Google live and takes the company's booking lease, so its cost is Google round trips.
/// </summary>
public sealed class BookingSection(RunContext run)
{
    /// <summary>Enough companies that 100 callers rarely wait for the same company's lease.</summary>
    public const int CompanyCount = 150;

    /// <summary>Weekdays of slots per company: 9 starts a day, well inside the 60-day horizon.</summary>
    public const int DayCount = 38;

    public async Task<IReadOnlyList<Table>> RunAsync()
    {
        var options = run.Options;
        await using var stack = new Stack(run, "booking");
        var emulator = await stack.StartEmulatorAsync();
        var mcp = await stack.StartMcpServerAsync("mcp", emulator, mirror: true, push: true);
        var companies = Enumerable.Range(1, CompanyCount).Select(i => Companies.Numbered("book", i)).ToList();
        await Companies.ConnectAllAsync(companies, emulator, [mcp]);
        var starts = BusinessDays.SlotStarts(DayCount);
        var runId = "bench-" + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
        var customerIds = companies.Select(c => c.CustomerId).ToList();
        Measure.Progress($"{CompanyCount} companies connected; {Figures.Count((long)CompanyCount * starts.Count)} distinct free slots");

        // Slot 0 of company 0 by hand: a failing setup is one clear message.
        using (var caller = new McpCaller(mcp.McpEndpoint, mcp.ApiKey))
        {
            var first = await caller.CallAsync(customerIds[0], "book_appointment",
                new { start_iso = starts[0], customer_name = "Cliente 0", idempotency_key = runId + "-0" });
            first.EnsureOk("book_appointment");
        }
        long next = 1;

        BookingPlan Plan() => new("/mcp", Measure.McpHeaders(mcp.ApiKey), customerIds, starts, next, runId);
        var warm = await Wrk.RunAsync(Plan(), mcp.Process.BaseAddress, 50, options.WarmUp, Path.Combine(run.OutputDirectory, "wrk"));
        next += warm.Issued;
        Measure.Progress($"warm-up book_appointment: {Figures.Rate(warm.CallsPerSecond)} calls/s");

        var table = new Table("Booking: book_appointment, every call a distinct free slot",
            "emulator", "callers", "calls/s", "booked", "slot_taken", "other errors", "p50", "p99", "Google req/1000 calls");
        var capacityExceeded = false;
        foreach (var latency in options.LatenciesMs)
        {
            var jitter = latency / 3;
            var label = latency == 0 ? "0 ms" : $"{latency} ± {jitter} ms";
            if (latency > 0 && !emulator.Control.SupportsLatency)
            {
                foreach (var callers in options.Concurrencies)
                    table.Add(label, callers.ToString(), Figures.NotAvailable, Figures.NotAvailable, Figures.NotAvailable, Figures.NotAvailable,
                        Figures.NotAvailable, Figures.NotAvailable, Figures.NotAvailable);
                table.Note($"{label}: n/a (emulator lacks latency control: PUT /emulator/latency answered 404)");
                continue;
            }
            if (emulator.Control.SupportsLatency) await emulator.Control.SetLatencyAsync(latency, jitter);
            foreach (var callers in options.Concurrencies)
            {
                var plan = Plan();
                var m = await Measure.RunAsync(run, emulator.Control, plan, mcp.Process.BaseAddress, callers, options.RunDuration);
                next += m.Load.Issued;
                capacityExceeded |= next > plan.Capacity;
                var slotTaken = m.Load.Code("slot_taken");
                var booked = m.Load.Requests - m.Load.ToolErrors - m.Load.HttpErrors;
                table.Add(label, callers.ToString(), Figures.Rate(m.Load.CallsPerSecond), Figures.Count(booked), Figures.Count(slotTaken),
                    OtherErrors(m.Load), Figures.Ms(m.Load.P50Ms), Figures.Ms(m.Load.P99Ms), Figures.PerThousand(m.GoogleRequests, m.Load.Requests));
                Measure.Progress($"book_appointment, {label}, {callers} callers: {Figures.Rate(m.Load.CallsPerSecond)} calls/s, {booked} booked, p50 {Figures.Ms(m.Load.P50Ms)}");
            }
        }
        if (emulator.Control.SupportsLatency) await emulator.Control.SetLatencyAsync(0, 0);
        table.Note($"{options.RunDuration.TotalSeconds:0} s per row; MCP server with BUSY_MIRROR=on and GOOGLE_PUSH_URL; {CompanyCount} companies, " +
            "request g books company g mod N at the next free hour (Mon-Fri 09:00-17:00 starts), a unique idempotency key each.");
        table.Note("other errors: HTTP non-2xx or socket errors, and tool errors other than slot_taken (by calendarconnect/error_code).");
        if (capacityExceeded) table.Note("WARNING: more calls than distinct slots: later calls repeated earlier slots (slot_taken is then expected).");
        return [table];
    }

    private static string OtherErrors(WrkResult load)
    {
        var other = load.ErrorCodes.Where(c => c.Key != "slot_taken").OrderByDescending(c => c.Value).ToList();
        var total = load.HttpErrors + other.Sum(c => c.Value);
        if (total == 0) return "0";
        var detail = string.Join(", ", other.Select(c => $"{c.Key} {Figures.Count(c.Value)}"));
        if (load.HttpErrors > 0) detail = $"http {Figures.Count(load.HttpErrors)}" + (detail.Length > 0 ? ", " + detail : "");
        return $"{Figures.Count(total)} ({detail})";
    }
}
