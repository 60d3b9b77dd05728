using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.Infrastructure;
using CalendarConnect.McpServer.Storage;
using CalendarConnect.Testing;
using Dapper;

namespace CalendarConnect.McpServer.Tests.Storage;

/// <summary>
/// Customer ids are case-insensitive, canonical form lower-case: COMP-A and comp-a are one company wherever the id
/// enters, rows stored before are lower-cased, and two stored ids that differ only by case stop start-up.
/// </summary>
public class CustomerIdCaseTests
{
    // An event booked before ids were canonical carries the id as it was then in calendarconnect_customer_id at Google.
    [Theory]
    [InlineData("comp-a", true)]
    [InlineData("COMP-A", true)]
    [InlineData("Comp-A", true)]
    [InlineData("comp-b", false)]
    [InlineData(null, false)]
    public void An_event_marked_with_the_id_in_another_case_is_the_company_s(string? marker, bool ours) =>
        Assert.Equal(ours, CalendarConnect.McpServer.OAuth.CustomerIds.SameCompany(marker, "comp-a"));

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task COMP_A_and_comp_a_are_one_company_in_routes_headers_queries_and_bodies(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync("COMP-A", "contacto@comp-a.com"); // the authorize body's customer_id

        using var service = h.ServiceClient();
        var status = await service.GetFromJsonAsync<JsonElement>("/customers/comp-a/calendar-status");
        Assert.Equal("connected", status.GetProperty("status").GetString());
        Assert.Equal("comp-a", status.GetProperty("customer_id").GetString());
        var upper = await service.GetFromJsonAsync<JsonElement>("/customers/Comp-A/calendar-status");
        Assert.Equal("comp-a", upper.GetProperty("customer_id").GetString());
        Assert.Equal("connected", upper.GetProperty("status").GetString());
        var batch = await service.GetFromJsonAsync<JsonElement>("/customers/calendar-status?customer_id=COMP-A");
        Assert.Equal("connected", batch[0].GetProperty("status").GetString());

        // X-Customer-Id COMP-A reaches comp-a.
        var tool = await h.CallAsync("COMP-A", "get_calendar_status");
        Assert.Equal("connected", tool.StructuredContent!.Value.GetProperty("status").GetString());

        await using var connection = await h.Database.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["comp-a"], await connection.QueryAsync<string>("SELECT customer_id FROM oauth_tokens"));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task The_migration_lower_cases_every_stored_id(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine, "tokens.db");
        await using var database = new TokenDatabase(db.Location);
        await database.MigrateAsync(TestContext.Current.CancellationToken);
        await using (var connection = await database.OpenAsync(TestContext.Current.CancellationToken))
        {
            await StoreAsync(connection, "COMP-A", "Empresa-B");
            await ForgetCaseMigrationAsync(connection);
        }

        await database.MigrateAsync(TestContext.Current.CancellationToken);

        await using var check = await database.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["comp-a", "empresa-b"], (await check.QueryAsync<string>("SELECT customer_id FROM booking_settings ORDER BY customer_id")).ToList());
        Assert.Equal(["comp-a", "empresa-b"], (await check.QueryAsync<string>("SELECT customer_id FROM mcp_keys ORDER BY customer_id")).ToList());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Two_stored_ids_that_differ_only_by_case_stop_start_up_naming_them_and_nothing_changes(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine, "tokens.db");
        await using var database = new TokenDatabase(db.Location);
        await database.MigrateAsync(TestContext.Current.CancellationToken);
        await using (var connection = await database.OpenAsync(TestContext.Current.CancellationToken))
        {
            await StoreAsync(connection, "COMP-A", "empresa-b");
            await connection.ExecuteAsync("INSERT INTO mcp_keys (key_id, customer_id, key_hash, label, created_at) VALUES ('mk_other', 'comp-a', 'hash-other', NULL, '2025-01-01T00:00:00Z')");
            await ForgetCaseMigrationAsync(connection);
        }

        var error = await Assert.ThrowsAsync<StartupException>(() => database.MigrateAsync(TestContext.Current.CancellationToken));
        Assert.Equal("TOKEN_DB holds companies whose ids differ only by case (COMP-A and comp-a), and customer ids are case-insensitive: " +
                     "decide which id is the company, remove the other's rows or give it another id (in every table with a customer_id column), " +
                     "then start again. Nothing was changed.", error.Message);
        Assert.Equal("Start-up error: " + error.Message, StartupFailure.Describe(error));

        await using var check = await database.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["COMP-A", "comp-a", "empresa-b"], (await check.QueryAsync<string>("SELECT customer_id FROM mcp_keys ORDER BY customer_id")).Order(StringComparer.Ordinal).ToList());
    }

    private static async Task StoreAsync(System.Data.Common.DbConnection connection, params string[] ids)
    {
        foreach (var id in ids)
        {
            await connection.ExecuteAsync("INSERT INTO booking_settings (customer_id, settings_json, updated_at) VALUES (@id, '{}', '2025-01-01T00:00:00Z')", new { id });
            await connection.ExecuteAsync("INSERT INTO mcp_keys (key_id, customer_id, key_hash, label, created_at) VALUES (@key, @id, @hash, NULL, '2025-01-01T00:00:00Z')",
                new { key = "mk_" + id, id, hash = "hash-" + id });
        }
    }

    /// <summary>The database as a version before the lower-casing migration left it: that migration not yet applied.</summary>
    private static async Task ForgetCaseMigrationAsync(System.Data.Common.DbConnection connection) =>
        await connection.ExecuteAsync("DELETE FROM schema_migrations WHERE version = @version", new { version = TokenSchema.Schema.LowerCasesCustomerIds });
}
