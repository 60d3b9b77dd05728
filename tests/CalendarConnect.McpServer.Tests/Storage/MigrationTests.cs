using CalendarConnect.McpServer.Storage;
using CalendarConnect.Testing;
using Dapper;

namespace CalendarConnect.McpServer.Tests.Storage;

/// <summary>The schema is applied once, whoever starts first, on both engines.</summary>
public class MigrationTests
{
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Servers_starting_together_apply_each_migration_once(string engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine, "tokens.db");
        var databases = Enumerable.Range(0, 4).Select(_ => new TokenDatabase(db.Location)).ToList();
        try
        {
            await Task.WhenAll(databases.Select(d => d.MigrateAsync()));
            await using var connection = await databases[0].OpenAsync();
            var versions = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version")).ToList();
            Assert.Equal(TokenSchema.Schema.Migrations.Select(m => m.Version), versions);
            // And again, as at every later start: nothing to do, nothing fails.
            await databases[1].MigrateAsync();
        }
        finally
        {
            foreach (var d in databases) await d.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("acme%0A")]
    [InlineData("acme%0D%0A")]
    public async Task A_customer_id_with_a_trailing_newline_is_refused(string id)
    {
        await using var h = await McpServerHarness.StartAsync();
        using var service = h.ServiceClient();
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await service.GetAsync($"/customers/{id}/calendar-status")).StatusCode);
    }
}
