using System.Net;
using System.Text.Json;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Infrastructure;
using CalendarConnect.Infrastructure.Migrations;
using CalendarConnect.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// The admin list at scale, on both engines: search, status filter, counts and pages in SQL; the status filter on
/// the statuses learned from the MCP server's feed (changes seen by the next filtered list, a feed of many pages, a
/// replaced MCP database, the MCP server down, two backends sharing one database); a database from before the
/// search column; PostgreSQL without pg_trgm.
/// </summary>
public class CustomerListTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string[] Ids(JsonElement list) => list.EnumerateArray().Select(e => e.GetProperty("customer_id").GetString()!).ToArray();

    private static async Task<(string[] Ids, int Total)> ListAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("v1/customer-calendars?" + query, Ct);
        var list = await JsonAsync(response);
        return (Ids(list), int.Parse(Assert.Single(response.Headers.GetValues("X-Total-Count")), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Asks for the list and checks the page's ids, in order, and X-Total-Count.</summary>
    private static async Task ExpectAsync(HttpClient client, string query, int total, params string[] ids)
    {
        var (actualIds, actualTotal) = await ListAsync(client, query);
        Assert.True(ids.SequenceEqual(actualIds), $"{query}: expected [{string.Join(", ", ids)}], got [{string.Join(", ", actualIds)}]");
        Assert.True(total == actualTotal, $"{query}: X-Total-Count {actualTotal}, expected {total}");
    }

    /// <summary>
    /// 120 look-alike companies (empresa-001 … empresa-120, "Empresa Número N"), enough that a search matching them
    /// all is answered by reading the rows in order, then eight with names that test the folding and the escaping.
    /// </summary>
    private static async Task<BackendHarness> WithCompaniesAsync(string engine)
    {
        var h = await BackendHarness.StartAsync(engine);
        var memory = h.Server.GetRequiredService<CustomerMemory>();
        for (var i = 1; i <= 120; i++) await memory.UpsertAsync($"empresa-{i:000}", $"contacto{i}@empresa{i}.com", $"Empresa Número {i}", Ct);
        await memory.UpsertAsync("clinica-norte", "agenda@clinica-norte.com", "Clínica Norte", Ct);
        await memory.UpsertAsync("peluqueria-sol", "turnos@sol.com.ar", "PELUQUERÍA SOL", Ct);
        await memory.UpsertAsync("taller-ruiz", "ruiz@taller.com", "Taller Ruiz", Ct);
        Assert.Equal(WhatsAppNumberResult.Saved, await memory.SetWhatsAppNumberAsync("taller-ruiz", "+5491155550000", Ct));
        await memory.UpsertAsync("nandu-viajes", "hola@nandu.travel", "Ñandú Viajes", Ct);
        await memory.UpsertAsync("descuento-100", "ventas@descuento.com", "Descuento 100% S.A.", Ct);
        await memory.UpsertAsync("lab_co", "lab@lab-co.com", "Lab_Co", Ct);
        await memory.UpsertAsync("labxco", "hola@labxco.com", "LabXCo", Ct);
        await memory.UpsertAsync("bar-gaucho", "bar@gaucho.com", "Bar \"El Gaucho\"", Ct);
        return h;
    }

    private static readonly (string Q, string[] Expected, int Total)[] Searches =
    [
        ("clinica", new[] { "clinica-norte" }, 1),                          // accents ignored: "Clínica"
        ("CLÍNICA NORTE", new[] { "clinica-norte" }, 1),                    // case ignored
        ("peluquería", new[] { "peluqueria-sol" }, 1),                      // "PELUQUERÍA SOL"
        ("sol.com.ar", new[] { "peluqueria-sol" }, 1),                      // email
        ("ÑANDÚ", new[] { "nandu-viajes" }, 1),                             // ñ folds to n
        ("+54 9 11 5555-0000", new[] { "taller-ruiz" }, 1),                 // a WhatsApp number as people write it
        ("5491155550000", new[] { "taller-ruiz" }, 1),                      // … and as WhatsApp sends it
        ("5555", new[] { "taller-ruiz" }, 1),
        ("ruí", new[] { "taller-ruiz" }, 1),                                // three characters: the trigram index
        ("ui", new[] { "taller-ruiz" }, 1),                                 // two: every row is read
        ("100%", new[] { "descuento-100" }, 1),                             // % and _ are text, not wildcards
        ("%", new[] { "descuento-100" }, 1),
        ("b_co", new[] { "lab_co" }, 1),
        ("\"el gaucho\"", new[] { "bar-gaucho" }, 1),                        // quotes are text, not an FTS5 phrase
        ("empresa-00", new[] { "empresa-009", "empresa-008", "empresa-007", "empresa-006", "empresa-005", "empresa-004", "empresa-003", "empresa-002", "empresa-001" }, 9),
        ("número 11", new[] { "empresa-119", "empresa-118", "empresa-117", "empresa-116", "empresa-115", "empresa-114", "empresa-113", "empresa-112", "empresa-111", "empresa-110", "empresa-011" }, 11),
        ("<script>", Array.Empty<string>(), 0),
        ("%' OR 1=1 --", Array.Empty<string>(), 0),
        ("search_text : x OR y", Array.Empty<string>(), 0),                             // FTS5 syntax is text too
        ("NEAR(gaucho bar)", Array.Empty<string>(), 0),
        ("^gau*", Array.Empty<string>(), 0),
        ("\"\"\"", Array.Empty<string>(), 0),
        ("\\%_", Array.Empty<string>(), 0),
    ];

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task The_search_means_the_same_on_both_engines(string engine)
    {
        await using var h = await WithCompaniesAsync(engine);
        using var client = h.AdminClient();
        foreach (var (q, expected, total) in Searches) await ExpectAsync(client, "q=" + Uri.EscapeDataString(q), total, expected);

        // A search that matches most companies: the total, and the pages newest first.
        var (firstPage, all) = await ListAsync(client, "q=empresa&page_size=50");
        Assert.Equal(120, all);
        Assert.Equal(Enumerable.Range(71, 50).Reverse().Select(i => $"empresa-{i:000}"), firstPage);
        var (lastPage, _) = await ListAsync(client, "q=EMPRESA&page=3&page_size=50");
        Assert.Equal(Enumerable.Range(1, 20).Reverse().Select(i => $"empresa-{i:000}"), lastPage);
        // Fewer matches, read through the trigram index, paged the same way: 1, 10-19 and 100-120.
        var (secondPage, matches) = await ListAsync(client, "q=" + Uri.EscapeDataString("Número 1") + "&page=2&page_size=22");
        Assert.Equal(32, matches);
        Assert.Equal(["empresa-017", "empresa-016", "empresa-015", "empresa-014", "empresa-013", "empresa-012", "empresa-011", "empresa-010", "empresa-001"],
            secondPage.Skip(1));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task An_edited_company_is_found_by_what_it_is_now(string engine)
    {
        await using var h = await WithCompaniesAsync(engine);
        using var client = h.AdminClient();
        (await client.PatchAsync("v1/customer-calendars/clinica-norte",
            BackendHarness.Json("""{"customer_name":"Óptica Sur","whatsapp_number":"+34 612 345 678"}"""), Ct)).EnsureSuccessStatusCode();
        await ExpectAsync(client, "q=optica", 1, "clinica-norte");
        await ExpectAsync(client, "q=" + Uri.EscapeDataString("612 345 678"), 1, "clinica-norte");
        await ExpectAsync(client, "q=clinica-norte", 1, "clinica-norte"); // the id stays
        Assert.Empty((await ListAsync(client, "q=" + Uri.EscapeDataString("clínica norte"))).Ids);

        // Connect again with another email: the email is searched, the number kept.
        (await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody("clinica-norte", "turnos@optica-sur.es", "Óptica Sur"), Ct))
            .EnsureSuccessStatusCode();
        await ExpectAsync(client, "q=optica-sur.es", 1, "clinica-norte");
        await ExpectAsync(client, "q=34612345678", 1, "clinica-norte");
        Assert.Empty((await ListAsync(client, "q=agenda%40clinica")).Ids);

        // The number cleared: no longer found by it.
        (await client.PatchAsync("v1/customer-calendars/clinica-norte", BackendHarness.Json("""{"whatsapp_number":null}"""), Ct)).EnsureSuccessStatusCode();
        Assert.Empty((await ListAsync(client, "q=34612345678")).Ids);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_search_total_follows_every_change_even_one_made_by_another_backend(string engine)
    {
        await using var h = await WithCompaniesAsync(engine);
        await using var other = await LoopbackServer.StartAsync(Program.BuildApp, BackendHarness.Settings(h.DbLocation, h.Mcp!.BaseAddress.ToString()));
        using var client = h.AdminClient();
        using var otherClient = other.CreateClient();
        otherClient.DefaultRequestHeaders.Authorization = BackendHarness.Basic(BackendHarness.AdminUser, BackendHarness.AdminPassword);

        // Asked twice, so the second answer is the one kept; then each change must show.
        for (var i = 0; i < 2; i++) Assert.Equal(120, (await ListAsync(client, "q=empresa")).Total);
        for (var i = 0; i < 2; i++) await ExpectAsync(client, "q=gaucho", 1, "bar-gaucho");
        (await otherClient.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody("empresa-121", "c121@empresa121.com", "Empresa Número 121"), Ct))
            .EnsureSuccessStatusCode();
        Assert.Equal(121, (await ListAsync(client, "q=empresa")).Total);
        (await otherClient.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody("sur-sa", "hola@sur.com", "Gaucho Sur"), Ct))
            .EnsureSuccessStatusCode();
        await ExpectAsync(client, "q=gaucho", 2, "sur-sa", "bar-gaucho");
        (await otherClient.PatchAsync("v1/customer-calendars/sur-sa", BackendHarness.Json("""{"customer_name":"Sur S.A."}"""), Ct)).EnsureSuccessStatusCode();
        await ExpectAsync(client, "q=gaucho", 1, "bar-gaucho");

        for (var i = 0; i < 2; i++) await ExpectAsync(client, "q=gaucho&status=connected", 0);
        h.Mcp.SetStatus("bar-gaucho", "connected");
        await ExpectAsync(client, "q=gaucho&status=connected", 1, "bar-gaucho");
        await ExpectAsync(client, "q=gaucho&status=not_connected", 0);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task The_status_filter_sees_each_change_at_the_next_list_and_asks_only_about_the_page(string engine)
    {
        await using var h = await WithCompaniesAsync(engine);
        var mcp = h.Mcp!;
        using var client = h.AdminClient();
        Assert.Equal(0, (await ListAsync(client, "status=connected")).Total);

        mcp.SetStatus("empresa-007", "connected", "c7@empresa7.com");
        mcp.SetStatus("taller-ruiz", "connected", "ruiz@taller.com");
        mcp.Requests.Clear();
        var response = await client.GetAsync("v1/customer-calendars?status=connected", Ct);
        var connected = await JsonAsync(response);
        Assert.Equal(["taller-ruiz", "empresa-007"], Ids(connected));
        Assert.Equal("2", Assert.Single(response.Headers.GetValues("X-Total-Count")));
        Assert.All(connected.EnumerateArray(), v => Assert.Equal("connected", v.GetProperty("status").GetString()));
        // One call for the page's statuses, naming its two companies; none per company of the list.
        var batch = Assert.Single(mcp.Requests);
        Assert.StartsWith("/customers/calendar-status?", batch.PathAndQuery);
        Assert.Equal(2, batch.PathAndQuery.Split("customer_id=").Length - 1);

        // The grant dies, then the company is disconnected from the admin console.
        mcp.SetStatus("empresa-007", "needs_reauthorization", "c7@empresa7.com");
        await ExpectAsync(client, "status=needs_reauthorization", 1, "empresa-007");
        await ExpectAsync(client, "status=connected", 1, "taller-ruiz");
        (await client.DeleteAsync("v1/customer-calendars/empresa-007", Ct)).EnsureSuccessStatusCode();
        Assert.Equal(0, (await ListAsync(client, "status=needs_reauthorization")).Total);
        Assert.Equal(127, (await ListAsync(client, "status=not_connected")).Total);
        await ExpectAsync(client, "status=not_connected&q=empresa-007", 1, "empresa-007");

        // With a search: both at once, in SQL.
        mcp.SetStatus("empresa-011", "connected", "c11@empresa11.com");
        mcp.SetStatus("empresa-110", "connected", "c110@empresa110.com");
        await ExpectAsync(client, "status=connected&q=" + Uri.EscapeDataString("número 11"), 2, "empresa-110", "empresa-011");
        await ExpectAsync(client, "status=connected&q=empresa", 2, "empresa-110", "empresa-011");
        await ExpectAsync(client, "status=connected&page_size=1", 3, "taller-ruiz");
        Assert.Equal(0, (await ListAsync(client, "status=unknown")).Total);

        // The MCP server down: the filter answers from the last known statuses (the rows cannot say: unknown), and
        // "unknown" is every company.
        mcp.FailWith = 500;
        var stale = await JsonAsync(await client.GetAsync("v1/customer-calendars?status=connected", Ct));
        Assert.Equal(["taller-ruiz", "empresa-110", "empresa-011"], Ids(stale));
        Assert.All(stale.EnumerateArray(), v => Assert.Equal("unknown", v.GetProperty("status").GetString()));
        Assert.Equal(128, (await ListAsync(client, "status=unknown")).Total);
        mcp.FailWith = null;
        Assert.Equal(0, (await ListAsync(client, "status=unknown")).Total);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_feed_of_many_changes_is_read_page_by_page(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        var memory = h.Server.GetRequiredService<CustomerMemory>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 1_100), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = Ct },
            async (i, ct) => await memory.UpsertAsync($"c-{i:0000}", $"c{i}@empresa.com", $"Empresa {i}", ct));
        // Statuses of companies the backend does not know yet count too, once they are added.
        for (var i = 0; i < 1_150; i++) h.Mcp!.SetStatus($"c-{i:0000}", i % 3 == 0 ? "needs_reauthorization" : "connected");
        using var client = h.AdminClient();

        Assert.Equal(367, (await ListAsync(client, "status=needs_reauthorization")).Total);
        Assert.Equal(733, (await ListAsync(client, "status=connected")).Total);
        var asked = h.Mcp!.FeedRequests.Select(r => r.PathAndQuery).ToList();
        Assert.Contains("/customers/calendar-status/changes?after=500&limit=500", asked);
        Assert.Contains("/customers/calendar-status/changes?after=1000&limit=500", asked);

        for (var i = 1_100; i < 1_150; i++) await memory.UpsertAsync($"c-{i:0000}", $"c{i}@empresa.com", $"Empresa {i}", Ct);
        Assert.Equal(384, (await ListAsync(client, "status=needs_reauthorization")).Total);
        Assert.Equal(766, (await ListAsync(client, "status=connected")).Total);
        Assert.Equal(1_150, (await ListAsync(client, "")).Total);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_replaced_mcp_database_starts_the_statuses_again(string engine)
    {
        await using var h = await WithCompaniesAsync(engine);
        var mcp = h.Mcp!;
        using var client = h.AdminClient();
        for (var i = 1; i <= 5; i++) mcp.SetStatus($"empresa-{i:000}", "connected");
        Assert.Equal(5, (await ListAsync(client, "status=connected")).Total);

        // Another tokens.db: only empresa-002 is connected there, and its feed starts again at 1.
        for (var i = 1; i <= 5; i++) mcp.SetStatus($"empresa-{i:000}", i == 2 ? "connected" : "not_connected");
        mcp.ReplaceFeed();
        await ExpectAsync(client, "status=connected", 1, "empresa-002");
        Assert.Equal(127, (await ListAsync(client, "status=not_connected")).Total);
        mcp.SetStatus("empresa-003", "needs_reauthorization");
        await ExpectAsync(client, "status=needs_reauthorization", 1, "empresa-003");
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Two_backends_on_one_database_share_the_statuses_and_the_cursor(string engine)
    {
        await using var h = await WithCompaniesAsync(engine);
        var mcp = h.Mcp!;
        await using var other = await LoopbackServer.StartAsync(Program.BuildApp, BackendHarness.Settings(h.DbLocation, mcp.BaseAddress.ToString()));
        using var a = h.AdminClient();
        using var b = other.CreateClient();
        b.DefaultRequestHeaders.Authorization = BackendHarness.Basic(BackendHarness.AdminUser, BackendHarness.AdminPassword);

        mcp.SetStatus("clinica-norte", "connected");
        await ExpectAsync(b, "status=connected", 1, "clinica-norte");
        mcp.SetStatus("peluqueria-sol", "connected");
        mcp.FeedRequests.Clear();
        await ExpectAsync(a, "status=connected", 2, "peluqueria-sol", "clinica-norte");
        // A went on from the cursor B stored, never from the start.
        Assert.NotEmpty(mcp.FeedRequests);
        Assert.All(mcp.FeedRequests, r => Assert.DoesNotContain("after=0&", r.PathAndQuery));

        // A company added on one backend is listed, with its status, by the other.
        mcp.SetStatus("nueva-sa", "needs_reauthorization");
        (await b.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody("nueva-sa", "hola@nueva.com", "Nueva S.A."), Ct)).EnsureSuccessStatusCode();
        await ExpectAsync(a, "status=needs_reauthorization", 1, "nueva-sa");
        await ExpectAsync(b, "status=needs_reauthorization&q=nueva", 1, "nueva-sa");
        Assert.Equal(129, (await ListAsync(a, "")).Total);
        Assert.Equal(129, (await ListAsync(b, "")).Total);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_database_from_before_the_search_column_is_upgraded_and_searched(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine, prepare: async database =>
        {
            // As schema version 4 left it, with companies written then.
            var dbEngine = database.Engine == Engines.Sqlite ? DatabaseEngine.Sqlite : DatabaseEngine.Postgres;
            if (dbEngine == DatabaseEngine.Sqlite) Directory.CreateDirectory(Path.GetDirectoryName(database.Location)!);
            await using var connection = BackendHarness.Connect(database);
            await connection.OpenAsync(Ct);
            await SchemaMigrator.MigrateAsync(connection, dbEngine, CustomerSchema.Schema.Before(5), TimeProvider.System, Ct);
            await connection.ExecuteAsync("""
                INSERT INTO customer_memory (customer_id, customer_email, customer_name, created_at, updated_at, whatsapp_number) VALUES
                    ('clinica-norte', 'agenda@clinica-norte.com', 'Clínica Norte', '2025-01-01T10:00:00.0000000+00:00', '2025-01-01T10:00:00.0000000+00:00', NULL),
                    ('taller-ruiz', 'ruiz@taller.com', 'Taller Ruiz', '2025-01-02T10:00:00.0000000+00:00', '2025-01-02T10:00:00.0000000+00:00', '+5491155550000'),
                    ('peluqueria-sol', 'turnos@sol.com.ar', 'PELUQUERÍA SOL', '2025-01-03T10:00:00.0000000+00:00', '2025-01-03T10:00:00.0000000+00:00', NULL);
                """);
        });
        using var client = h.AdminClient();

        await ExpectAsync(client, "", 3, "peluqueria-sol", "taller-ruiz", "clinica-norte");
        await ExpectAsync(client, "q=clinica", 1, "clinica-norte");
        await ExpectAsync(client, "q=" + Uri.EscapeDataString("peluquería"), 1, "peluqueria-sol");
        await ExpectAsync(client, "q=" + Uri.EscapeDataString("+54 9 11 5555-0000"), 1, "taller-ruiz");
        Assert.Equal(3, (await ListAsync(client, "status=not_connected")).Total);
        h.Mcp!.SetStatus("taller-ruiz", "connected");
        await ExpectAsync(client, "status=connected", 1, "taller-ruiz");
        Assert.Equal(2, (await ListAsync(client, "status=not_connected")).Total);

        await using var connection = BackendHarness.Connect(h.Database);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customer_memory WHERE search_text IS NULL;"));
        Assert.Equal(CustomerSchema.Schema.LatestVersion, await connection.ExecuteScalarAsync<int>("SELECT MAX(version) FROM schema_version;"));
    }

    [Fact]
    public async Task PostgreSql_with_pg_trgm_has_the_trigram_indexes()
    {
        await using var h = await BackendHarness.StartAsync(Engines.PostgreSql);
        await using var connection = BackendHarness.Connect(h.Database);
        var indexes = (await connection.QueryAsync<string>("SELECT indexname FROM pg_indexes WHERE tablename = 'customer_memory';")).ToList();
        Assert.Contains("customer_memory_search_trigrams", indexes);
        Assert.Contains("customer_memory_whatsapp_trigrams", indexes);
    }

    [Fact]
    public async Task PostgreSql_without_pg_trgm_starts_says_so_and_searches_the_same()
    {
        var logs = new CapturedLogs();
        await using var h = await BackendHarness.StartAsync(Engines.PostgreSql,
            configure: services => services.AddLogging(l => l.AddProvider(logs)),
            prepare: async database =>
            {
                // An object of the same name makes CREATE EXTENSION fail, as a missing privilege or package would.
                await using var connection = BackendHarness.Connect(database);
                await connection.ExecuteAsync("CREATE FUNCTION public.similarity(text, text) RETURNS real LANGUAGE sql AS 'SELECT 0::real';");
            });
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("CREATE EXTENSION pg_trgm", StringComparison.Ordinal));
        Assert.DoesNotContain(BackendHarness.AdminPassword, logs.All);

        var memory = h.Server.GetRequiredService<CustomerMemory>();
        await memory.UpsertAsync("clinica-norte", "agenda@clinica-norte.com", "Clínica Norte", Ct);
        await memory.UpsertAsync("taller-ruiz", "ruiz@taller.com", "Taller Ruiz", Ct);
        using var client = h.AdminClient();
        await ExpectAsync(client, "q=" + Uri.EscapeDataString("CLÍNICA"), 1, "clinica-norte");
        await ExpectAsync(client, "q=ru", 1, "taller-ruiz");
        await using var connection = BackendHarness.Connect(h.Database);
        Assert.DoesNotContain("customer_memory_search_trigrams",
            await connection.QueryAsync<string>("SELECT indexname FROM pg_indexes WHERE tablename = 'customer_memory';"));
    }

    [Fact]
    public async Task An_unusable_feed_answer_leaves_the_last_known_statuses()
    {
        await using var h = await WithCompaniesAsync(Engines.Sqlite);
        using var client = h.AdminClient();
        h.Mcp!.SetStatus("clinica-norte", "connected");
        await ExpectAsync(client, "status=connected", 1, "clinica-norte");

        h.Mcp.FailWith = 404; // an MCP server without the feed
        var response = await client.GetAsync("v1/customer-calendars?status=connected", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["clinica-norte"], Ids(await JsonAsync(response)));
    }
}
