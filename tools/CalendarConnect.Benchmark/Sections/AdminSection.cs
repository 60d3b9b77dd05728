using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.Benchmark.Google;
using CalendarConnect.Benchmark.Hosting;
using CalendarConnect.Benchmark.Load;
using CalendarConnect.Benchmark.Reporting;
using CalendarConnect.Backend.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarConnect.Benchmark.Sections;

/// <summary>
/// Section 4: the admin list (GET /v1/customer-calendars with an ADMIN_API_KEY bearer) at 10 companies and at
/// many (10,000 by default): a plain page, a search and a status filter, one caller. Companies are added through the
/// backend's own API (POST /v1/customer-calendars/connect, which also asks the MCP server for each company's
/// authorization URL), and one in <see cref="ConnectedEvery"/> is connected through the real consent flow, so whatever
/// the backend and the MCP server keep about companies is written by their own code.
/// </summary>
public sealed class AdminSection(RunContext run)
{
    public const int SmallCount = 10;

    /// <summary>One company in this many has its calendar connected (the others were added but never consented).</summary>
    public const int ConnectedEvery = 10;

    /// <summary>One company in this many is a "Clínica" (what the search looks for).</summary>
    public const int ClinicEvery = 10;

    /// <summary>
    /// Rows per page in every query: the ten companies of the small list all match every query, so each answer has the same
    /// rows at both sizes and the ratio is what the number of companies costs, not a longer page.
    /// </summary>
    public const int PageSize = SmallCount;

    private static readonly (string Name, string PathAndQuery)[] Queries =
    [
        ("plain page", $"/v1/customer-calendars?page_size={PageSize}"),
        ("search (q=clinica)", $"/v1/customer-calendars?q=clinica&page_size={PageSize}"),
        ("status filter (status=connected)", $"/v1/customer-calendars?status=connected&page_size={PageSize}"),
    ];

    public async Task<IReadOnlyList<Table>> RunAsync()
    {
        var options = run.Options;
        var large = options.AdminCompanies;
        await using var stack = new Stack(run, "admin");
        var emulator = await stack.StartEmulatorAsync();
        var mcp = await stack.StartMcpServerAsync("mcp", emulator, mirror: true, push: true);
        var backend = await stack.StartBackendAsync("backend", mcp);
        using var http = Companies.NoRedirects();

        var small = await SeedAsync(http, backend, emulator, mcp, 1, SmallCount, allThroughApi: true);
        var seenSmall = await UntilConnectedAreListedAsync(backend, small.Connected);
        var atSmall = await MeasureQueriesAsync(backend);
        var seeding = await SeedAsync(http, backend, emulator, mcp, SmallCount + 1, large, allThroughApi: false);
        // A fresh backend process reads the large list: nothing it kept from the small one can help it.
        backend = await stack.RestartBackendAsync("backend", backend);
        var seenLarge = await UntilConnectedAreListedAsync(backend, small.Connected + seeding.Connected);
        var atLarge = await MeasureQueriesAsync(backend);

        var table = new Table($"Admin list: GET /v1/customer-calendars at {SmallCount} and {Figures.Count(large)} companies (one caller)",
            "query", $"p50 @{SmallCount}", $"p99 @{SmallCount}", $"p50 @{Figures.Count(large)}", $"p99 @{Figures.Count(large)}", $"p50 ratio {Figures.Count(large)}/{SmallCount}");
        for (var i = 0; i < Queries.Length; i++)
        {
            var (a, b) = (atSmall[i], atLarge[i]);
            table.Add(Queries[i].Name, Figures.Ms(a.P50Ms), Figures.Ms(a.P99Ms), Figures.Ms(b.P50Ms), Figures.Ms(b.P99Ms),
                a.P50Ms > 0 ? Figures.Ratio(b.P50Ms / a.P50Ms) : Figures.NotAvailable);
        }
        table.Note($"wrk, 1 connection, {AdminRunDuration.TotalSeconds:0} s per query and size (after a warm-up of {WarmUpRequests} requests and 2 s, 10 s at most), page size {PageSize}, so every answer has {PageSize} rows at both sizes; " +
            $"answers that were not 2xx: {Figures.Count(atSmall.Concat(atLarge).Sum(r => r.HttpErrors))}.");
        table.Note($"At {SmallCount}: all added through POST /v1/customer-calendars/connect, all named \"Clínica …\" and connected through the consent flow. " +
            $"Up to {Figures.Count(large)}: one in {ConnectedEvery} added through the API ({Figures.Count(seeding.ThroughApi)} in {Figures.Seconds(seeding.ApiTime)}, " +
            $"{Figures.Rate(seeding.ThroughApi / seeding.ApiTime.TotalSeconds)}/s) and connected ({Figures.Seconds(seeding.ConnectTime)}), " +
            $"the other {Figures.Count(seeding.ThroughStorage)} through the backend's CustomerMemory ({Figures.Seconds(seeding.StorageTime)}); " +
            $"one in {ClinicEvery} is named \"Clínica …\". The backend is restarted before the large measurement.");
        foreach (var (seen, expected) in new[] { (seenSmall, small.Connected), (seenLarge, small.Connected + seeding.Connected) })
            if (seen != expected)
                table.Note($"WARNING: the status filter listed {Figures.Count(seen)} connected companies of {Figures.Count(expected)} when measured.");
        return [table];
    }

    private TimeSpan AdminRunDuration => run.Options.Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(5);

    private async Task<IReadOnlyList<WrkResult>> MeasureQueriesAsync(BackendInstance backend)
    {
        var headers = new Dictionary<string, string>
        {
            ["Authorization"] = "Bearer " + backend.AdminApiKey,
            ["Accept"] = "application/json",
        };
        var results = new List<WrkResult>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", backend.AdminApiKey);
        foreach (var (name, pathAndQuery) in Queries)
        {
            await WarmUpAsync(http, new Uri(backend.Process.BaseAddress, pathAndQuery));
            var plan = new CyclePlan("GET", pathAndQuery, headers, [(null, null)]);
            var result = await Wrk.RunAsync(plan, backend.Process.BaseAddress, 1, AdminRunDuration, Path.Combine(run.OutputDirectory, "wrk"));
            results.Add(result);
            Measure.Progress($"admin list, {name}: p50 {Figures.Ms(result.P50Ms)} ({result.Requests} requests)");
        }
        return results;
    }

    /// <param name="ThroughApi">Companies added with POST /v1/customer-calendars/connect (and how long that took).</param>
    /// <param name="ThroughStorage">Companies added with the backend's CustomerMemory (never connected).</param>
    /// <summary>
    /// Waits (a minute at most) until the status filter lists every connected company, so the measurement does not
    /// include a backend still learning statuses; returns how many it listed.
    /// </summary>
    private static async Task<int> UntilConnectedAreListedAsync(BackendInstance backend, int expected)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", backend.AdminApiKey);
        var started = Stopwatch.StartNew();
        var listed = -1;
        while (started.Elapsed < TimeSpan.FromMinutes(1))
        {
            using var response = await http.GetAsync(backend.Process.Url("v1/customer-calendars?status=connected&page_size=1"));
            if (response.IsSuccessStatusCode && response.Headers.TryGetValues("X-Total-Count", out var values)
                && int.TryParse(values.FirstOrDefault(), out listed) && listed == expected)
                return listed;
            await Task.Delay(500);
        }
        Measure.Progress($"admin: the status filter lists {listed} connected companies, {expected} expected");
        return listed;
    }

    /// <summary>
    /// At least <see cref="WarmUpRequests"/> requests and two seconds (ten at most), so the JIT has compiled the page's
    /// code at full optimization and the pools are filled, for a slow page too.
    /// </summary>
    private static async Task WarmUpAsync(HttpClient http, Uri url)
    {
        var started = Stopwatch.StartNew();
        for (var i = 0; (i < WarmUpRequests || started.Elapsed < TimeSpan.FromSeconds(2)) && started.Elapsed < TimeSpan.FromSeconds(10); i++)
        {
            using var response = await http.GetAsync(url);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"GET {url.PathAndQuery} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private const int WarmUpRequests = 30;

    private sealed record Seeding(int ThroughApi, TimeSpan ApiTime, int ThroughStorage, TimeSpan StorageTime, int Connected, TimeSpan ConnectTime);

    /// <summary>
    /// Companies <paramref name="first"/>..<paramref name="last"/>. Those to be connected (and, with <paramref name="allThroughApi"/>,
    /// all) are added through the backend's API, then consented; the rest through the backend's own storage class, which is
    /// what the API's connect does first and is many times faster than the whole API call (that also asks the MCP server for an
    /// authorization URL).
    /// </summary>
    private static async Task<Seeding> SeedAsync(HttpClient http, BackendInstance backend, EmulatorInstance emulator, McpServerInstance mcp,
        int first, int last, bool allThroughApi)
    {
        var numbers = Enumerable.Range(first, last - first + 1).ToList();
        var connect = numbers.Where(IsConnected).ToList();
        var throughApi = allThroughApi ? numbers : connect;
        var throughStorage = allThroughApi ? [] : numbers.Except(connect).ToList();
        var links = new System.Collections.Concurrent.ConcurrentDictionary<int, string>();

        var api = Stopwatch.StartNew();
        await Parallel.ForEachAsync(throughApi, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (n, ct) =>
        {
            var company = AdminCompany(n);
            using var request = new HttpRequestMessage(HttpMethod.Post, backend.Process.Url("v1/customer-calendars/connect"))
            {
                Content = JsonContent.Create(new { customer_id = company.CustomerId, customer_email = company.Email, customer_name = company.Name }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", backend.AdminApiKey);
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"POST /v1/customer-calendars/connect for {company.CustomerId} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            if (IsConnected(n))
            {
                var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                links[n] = body.GetProperty("authorization_url").GetString()!;
            }
        });
        api.Stop();

        var storage = Stopwatch.StartNew();
        if (throughStorage.Count > 0)
        {
            await using var provider = BackendStorage(backend.CustomerDb);
            var memory = provider.GetRequiredService<CustomerMemory>();
            await Parallel.ForEachAsync(throughStorage, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (n, ct) =>
            {
                var company = AdminCompany(n);
                await memory.UpsertAsync(company.CustomerId, company.Email, company.Name, ct);
            });
        }
        storage.Stop();

        var connecting = Stopwatch.StartNew();
        await Parallel.ForEachAsync(links, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (link, _) =>
        {
            var company = AdminCompany(link.Key);
            await emulator.Control.CreateAccountAsync(company.Email, Stack.TimeZone);
            await Companies.ConsentAndCallbackAsync(http, link.Value, company.Email, mcp);
        });
        connecting.Stop();
        Measure.Progress($"admin: companies {first}-{last}: {throughApi.Count} through the API in {Figures.Seconds(api.Elapsed)}, " +
            $"{throughStorage.Count} through CustomerMemory in {Figures.Seconds(storage.Elapsed)}, {links.Count} connected in {Figures.Seconds(connecting.Elapsed)}");
        return new Seeding(throughApi.Count, api.Elapsed, throughStorage.Count, storage.Elapsed, links.Count, connecting.Elapsed);
    }

    /// <summary>The first ten companies (each query finds all of them), then one in <see cref="ConnectedEvery"/>.</summary>
    private static bool IsConnected(int n) => n <= SmallCount || n % ConnectedEvery == 1;

    /// <summary>The backend's own storage registration (CUSTOMER_DB, CustomerMemory) in this process; the backend made the schema.</summary>
    private static ServiceProvider BackendStorage(string customerDb)
    {
        var services = new ServiceCollection();
        // The backend's settings class fills these options from CUSTOMER_DB; here they are given directly.
        services.Configure<CustomerDatabaseOptions>(o => o.Setting = customerDb);
        services.AddSingleton(TimeProvider.System);
        services.AddLogging();
        services.AddCustomerStorage();
        return services.BuildServiceProvider();
    }

    private static Company AdminCompany(int n)
    {
        var company = Companies.Numbered("admin", n);
        return n <= SmallCount || n % ClinicEvery == 0 ? company with { Name = $"Clínica Dental {n:00000}" } : company;
    }
}
