using System.Net;
using System.Text.Json;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Infrastructure;
using CalendarConnect.Infrastructure.Migrations;
using CalendarConnect.Testing;
using Dapper;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// Customer ids are case-insensitive, canonical form lower-case: COMP-A and comp-a are one company wherever the id
/// enters, rows stored before are lower-cased, and two stored ids that differ only by case stop start-up.
/// </summary>
public class CustomerIdCaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task COMP_A_and_comp_a_are_one_company_in_bodies_routes_and_the_assistant(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        using var client = h.AdminClient();

        var first = await JsonAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody("COMP-A", "a@comp-a.com", "Comp A"), Ct));
        Assert.Equal("comp-a", first.GetProperty("customer_id").GetString());
        await JsonAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody("comp-a", "a@comp-a.com", "Comp A S.A."), Ct));
        var row = Assert.Single(await h.RowsAsync());
        Assert.Equal(("comp-a", "Comp A S.A."), (row.CustomerId, row.CustomerName));
        Assert.Contains(h.Mcp!.Requests, r => r.PathAndQuery == "/oauth/authorize" && r.Body.Contains("\"comp-a\"", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Mcp!.Requests, r => r.Body.Contains("COMP-A", StringComparison.Ordinal));

        var one = await JsonAsync(await client.GetAsync("v1/customer-calendars/Comp-A", Ct));
        Assert.Equal("comp-a", one.GetProperty("customer_id").GetString());

        // The assistant's customer_id: COMP-A is the company comp-a, and its conversation is kept under comp-a.
        var reply = await client.PostAsync("v1/assistant/messages",
            BackendHarness.Json("""{"customer_id":"COMP-A","conversation_id":"web-case","text":"hola"}"""), Ct);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        await using var connection = BackendHarness.Connect(h.Database);
        Assert.Equal(["comp-a"], await connection.QueryAsync<string>("SELECT customer_id FROM assistant_conversations"));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task The_migration_lower_cases_the_stored_companies_and_conversations(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine, prepare: database => OlderDatabaseAsync(database, "COMP-A", "Empresa-B"));
        using var client = h.AdminClient();

        Assert.Equal(["comp-a", "empresa-b"], (await h.RowsAsync()).Select(r => r.CustomerId));
        var found = await JsonAsync(await client.GetAsync("v1/customer-calendars/comp-a", Ct));
        Assert.Equal("Empresa comp-a", found.GetProperty("customer_name").GetString());
        await using var connection = BackendHarness.Connect(h.Database);
        Assert.Equal(["comp-a", "empresa-b"], (await connection.QueryAsync<string>("SELECT customer_id FROM assistant_conversations ORDER BY customer_id")).ToList());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Two_stored_ids_that_differ_only_by_case_stop_start_up_naming_them_and_nothing_changes(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine, Path.Combine("nested", "customers.db"));
        await OlderDatabaseAsync(database, "COMP-A", "comp-a");
        var settings = BackendHarness.Settings(database.Location, "http://127.0.0.1:1");
        settings["Logging:LogLevel:Microsoft.Extensions.Hosting"] = "None";

        var error = await Assert.ThrowsAsync<CalendarConnect.Infrastructure.StartupException>(() => LoopbackServer.StartAsync(Program.BuildApp, settings));

        Assert.Equal("CUSTOMER_DB holds companies whose ids differ only by case (COMP-A and comp-a), and customer ids are case-insensitive: " +
                     "decide which id is the company, remove the other's rows or give it another id (in every table with a customer_id column), " +
                     "then start again. Nothing was changed.", error.Message);
        await using var connection = BackendHarness.Connect(database);
        Assert.Equal(["COMP-A", "comp-a"], (await connection.QueryAsync<string>("SELECT customer_id FROM customer_memory")).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(CustomerSchema.CaseInsensitiveIdsVersion, await connection.QueryAsync<int>("SELECT version FROM schema_version"));
    }

    /// <summary>As the versions before the lower-casing one left it, with companies (and a recent conversation each) written then.</summary>
    private static async Task OlderDatabaseAsync(TestDatabase database, params string[] ids)
    {
        var engine = database.Engine == Engines.Sqlite ? DatabaseEngine.Sqlite : DatabaseEngine.Postgres;
        if (engine == DatabaseEngine.Sqlite) Directory.CreateDirectory(Path.GetDirectoryName(database.Location)!);
        await using var connection = BackendHarness.Connect(database);
        await connection.OpenAsync(Ct);
        await SchemaMigrator.MigrateAsync(connection, engine, CustomerSchema.Schema.Before(CustomerSchema.CaseInsensitiveIdsVersion), TimeProvider.System, Ct);
        foreach (var id in ids)
        {
            await connection.ExecuteAsync("""
                INSERT INTO customer_memory (customer_id, customer_email, customer_name, created_at, updated_at)
                    VALUES (@id, @email, @name, '2025-01-01T10:00:00.0000000+00:00', '2025-01-01T10:00:00.0000000+00:00');
                INSERT INTO assistant_conversations (customer_id, conversation_id, state, updated_at)
                    VALUES (@id, 'web-1', NULL, @now);
                """, new { id, now = DateTimeOffset.UtcNow.ToString("O"), email = "hola@" + id.ToLowerInvariant() + ".com", name = "Empresa " + id.ToLowerInvariant() });
        }
    }
}
