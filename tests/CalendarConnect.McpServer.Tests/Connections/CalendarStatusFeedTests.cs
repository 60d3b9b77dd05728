using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.Infrastructure;
using CalendarConnect.Infrastructure.Migrations;
using CalendarConnect.McpServer.Storage;
using CalendarConnect.McpServer.TokenVault;
using CalendarConnect.Shared;
using CalendarConnect.Testing;
using Dapper;

namespace CalendarConnect.McpServer.Tests.Connections;

/// <summary>
/// GET /customers/calendar-status/changes: every change of a company's connection status, whichever code path made
/// it (callback, a refresh Google refused, reconnection, disconnection), in seq order, paged by a cursor; seeded from
/// the tokens a database already held; never skipping a change committed late by a concurrent writer.
/// </summary>
/// <param name="refusing">One server for the tests of requests it must refuse.</param>
public class CalendarStatusFeedTests(ClassServers refusing) : IClassFixture<ClassServers>
{
    private const string Customer = "empresa-feed";
    private const string Email = "agenda@empresa-feed.com";

    private static async Task<JsonElement> ChangesAsync(HttpClient service, long after, int? limit = null)
    {
        var url = $"/customers/calendar-status/changes?after={after}" + (limit is { } l ? $"&limit={l}" : "");
        using var response = await service.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    private static (string Id, string Status, long Seq)[] Changes(JsonElement answer) =>
        answer.GetProperty("changes").EnumerateArray()
            .Select(c => (c.GetProperty("customer_id").GetString()!, c.GetProperty("status").GetString()!, c.GetProperty("seq").GetInt64()))
            .ToArray();

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task The_feed_follows_connect_revocation_reconnection_and_disconnection(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        using var service = h.ServiceClient();
        var empty = await ChangesAsync(service, 0);
        Assert.Empty(Changes(empty));
        Assert.Equal(0, empty.GetProperty("cursor").GetInt64());
        Assert.False(empty.GetProperty("has_more").GetBoolean());
        var feedId = empty.GetProperty("feed_id").GetString();
        Assert.False(string.IsNullOrEmpty(feedId));

        await h.ConnectAsync(Customer, Email);
        var connected = await ChangesAsync(service, 0);
        var (id, status, seq) = Assert.Single(Changes(connected));
        Assert.Equal((Customer, "connected"), (id, status));
        Assert.Equal(seq, connected.GetProperty("cursor").GetInt64());
        Assert.Equal(seq, connected.GetProperty("last_seq").GetInt64());
        Assert.Equal(feedId, connected.GetProperty("feed_id").GetString());

        // A refresh that succeeds changes tokens, not the status: nothing new in the feed.
        using (var control = h.Emulator.CreateClient())
            (await control.PostAsync("/emulator/expire-access-tokens", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        var day = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        Assert.NotEqual(true, (await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = day })).IsError);
        Assert.Empty(Changes(await ChangesAsync(service, seq)));

        // The company revokes access at Google: the next tool call marks it, and the feed says so.
        using (var control = h.Emulator.CreateClient())
            (await control.PostAsync($"/emulator/accounts/{Uri.EscapeDataString(Email)}/revoke", null, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        Assert.True((await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = day })).IsError);
        var revoked = Assert.Single(Changes(await ChangesAsync(service, seq)));
        Assert.Equal((Customer, "needs_reauthorization"), (revoked.Id, revoked.Status));
        Assert.True(revoked.Seq > seq);

        await h.ConnectAsync(Customer, Email);
        var reconnected = Assert.Single(Changes(await ChangesAsync(service, revoked.Seq)));
        Assert.Equal((Customer, "connected"), (reconnected.Id, reconnected.Status));

        (await service.DeleteAsync($"/customers/{Customer}/calendar", TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        var disconnected = Assert.Single(Changes(await ChangesAsync(service, reconnected.Seq)));
        Assert.Equal((Customer, "not_connected"), (disconnected.Id, disconnected.Status));

        // From the start: one row per company, its latest status.
        Assert.Equal([(Customer, "not_connected", disconnected.Seq)], Changes(await ChangesAsync(service, 0)));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Many_changes_are_read_page_by_page_with_limit(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        var tokens = h.Mcp.GetRequiredService<TokenStore>();
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 25; i++)
            await tokens.SaveGrantAsync($"empresa-{i:00}", "access", "refresh", DateTimeOffset.UtcNow.AddHours(1), $"c{i}@empresa.com", null, null, ct);
        for (var i = 0; i < 25; i += 5) await tokens.MarkNeedsReauthorizationAsync($"empresa-{i:00}", "invalid_grant", ct);
        using var service = h.ServiceClient();

        var seen = new Dictionary<string, string>();
        var seqs = new List<long>();
        long cursor = 0;
        var pages = 0;
        while (true)
        {
            var page = await ChangesAsync(service, cursor, limit: 7);
            var changes = Changes(page);
            Assert.True(changes.Length <= 7);
            foreach (var (id, status, seq) in changes)
            {
                seen[id] = status;
                seqs.Add(seq);
            }
            pages++;
            cursor = page.GetProperty("cursor").GetInt64();
            if (!page.GetProperty("has_more").GetBoolean())
            {
                Assert.Equal(page.GetProperty("last_seq").GetInt64(), cursor);
                break;
            }
            Assert.Equal(7, changes.Length);
        }

        Assert.Equal(4, pages); // 25 companies, each once, at its latest status
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
        Assert.Equal(25, seen.Count);
        for (var i = 0; i < 25; i++) Assert.Equal(i % 5 == 0 ? "needs_reauthorization" : "connected", seen[$"empresa-{i:00}"]);
        Assert.Empty(Changes(await ChangesAsync(service, cursor)));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_reader_following_concurrent_writers_ends_with_every_latest_status(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        var tokens = h.Mcp.GetRequiredService<TokenStore>();
        var ct = TestContext.Current.CancellationToken;
        using var service = h.ServiceClient();
        var known = new Dictionary<string, string>();
        long cursor = 0;
        async Task ReadAsync()
        {
            while (true)
            {
                var page = await ChangesAsync(service, cursor, limit: 5);
                foreach (var (id, status, seq) in Changes(page))
                {
                    Assert.True(seq > cursor, $"seq {seq} after cursor {cursor}");
                    known[id] = status;
                    cursor = seq;
                }
                if (!page.GetProperty("has_more").GetBoolean()) return;
            }
        }

        // Eight writers flip their companies' statuses while the reader follows; a seq committed after a higher one
        // was read would be skipped, and the reader would keep a stale status.
        var writing = Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var round = 0; round < 15; round++)
            {
                var id = $"empresa-{w}-{round % 3}";
                if (round % 2 == 0) await tokens.SaveGrantAsync(id, "access", "refresh", DateTimeOffset.UtcNow.AddHours(1), null, null, null, ct);
                else if (round % 3 == 0) await tokens.MarkNeedsReauthorizationAsync(id, "invalid_grant", ct);
                else await DeleteTokensAsync(h.Database, id);
            }
        }, ct)));
        while (!writing.IsCompleted) await ReadAsync();
        await writing;
        await ReadAsync();

        var ids = Enumerable.Range(0, 8).SelectMany(w => Enumerable.Range(0, 3).Select(r => $"empresa-{w}-{r}")).ToList();
        var actual = await tokens.GetSummariesAsync(ids, ct);
        foreach (var summary in actual)
            Assert.Equal(summary.Status, known.GetValueOrDefault(summary.CustomerId, ConnectionStatus.NotConnected));
    }

    private static async Task DeleteTokensAsync(TokenDatabase database, string customerId)
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("DELETE FROM oauth_tokens WHERE customer_id = @customerId", new { customerId });
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task The_migration_seeds_the_feed_from_the_tokens_already_stored(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine, "tokens.db");
        await using var database = new TokenDatabase(db.Location);
        var feedVersion = TokenSchema.Schema.Migrations.Single(m => m.Sqlite.Contains("CREATE TABLE calendar_status_changes", StringComparison.Ordinal)).Version;
        await using (var connection = await database.OpenAsync())
        {
            // A database as the version before the feed left it, with two companies' tokens.
            await SchemaMigrator.MigrateAsync(connection, database.Engine, TokenSchema.Schema.Before(feedVersion), TimeProvider.System, CancellationToken.None);
            await connection.ExecuteAsync("""
                INSERT INTO oauth_tokens (customer_id, access_token, created_at, updated_at, status)
                VALUES ('zeta', 'x', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'connected'),
                       ('alfa', 'x', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 'needs_reauthorization')
                """);
        }

        await database.MigrateAsync();

        var feed = new CalendarConnect.McpServer.Connections.CalendarStatusFeed(database);
        var seeded = await feed.ReadAsync(0, 100, CancellationToken.None);
        Assert.Equal([("alfa", "needs_reauthorization", 1L), ("zeta", "connected", 2L)],
            seeded.Changes.Select(c => (c.CustomerId, c.Status, c.Seq)).ToArray());
        await using (var connection = await database.OpenAsync())
            await connection.ExecuteAsync("UPDATE oauth_tokens SET status = 'connected' WHERE customer_id = 'alfa'");
        var next = await feed.ReadAsync(seeded.Cursor, 100, CancellationToken.None);
        Assert.Equal([("alfa", "connected", 3L)], next.Changes.Select(c => (c.CustomerId, c.Status, c.Seq)).ToArray());
    }

    [Theory]
    [InlineData("after=-1")]
    [InlineData("after=abc")]
    [InlineData("after=1e3")]
    [InlineData("after=99999999999999999999")]
    [InlineData("after=1&after=2")]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=%2B5")]
    public async Task Bad_parameters_are_a_400_problem(string query)
    {
        var h = await refusing.ForAsync();
        using var service = h.ServiceClient();
        using var response = await service.GetAsync("/customers/calendar-status/changes?" + query, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_feed_needs_the_service_key()
    {
        var h = await refusing.ForAsync();
        using var anonymous = h.Mcp.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await anonymous.GetAsync("/customers/calendar-status/changes", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public void Migration_statements_keep_trigger_and_function_bodies_whole()
    {
        var statements = SqlStatements.Split("""
            CREATE TABLE a (x TEXT);
            CREATE TRIGGER t AFTER INSERT ON a
            BEGIN
                INSERT INTO b VALUES (NEW.x);
                DELETE FROM c WHERE backend = 1;
            END;
            CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM 1;
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER u AFTER DELETE ON a FOR EACH ROW EXECUTE FUNCTION f()
            """);
        Assert.Equal(4, statements.Count);
        Assert.StartsWith("CREATE TRIGGER t", statements[1]);
        Assert.EndsWith("END", statements[1]);
        Assert.EndsWith("$$", statements[2]);
        Assert.StartsWith("CREATE TRIGGER u", statements[3]);

        // The migrations written before triggers split exactly as a plain split at ';' did.
        foreach (var engine in new[] { DatabaseEngine.Sqlite, DatabaseEngine.Postgres })
            foreach (var migration in TokenSchema.Schema.Migrations.Select(m => m.For(engine)).Where(m => !m.Contains("TRIGGER", StringComparison.Ordinal)))
                Assert.Equal(migration.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), SqlStatements.Split(migration));
    }
}
