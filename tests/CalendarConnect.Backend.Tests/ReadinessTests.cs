using System.Net;
using CalendarConnect.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests;

/// <summary>GET /readyz answers whether the customer database is reachable; /healthz only that the process answers.</summary>
public class ReadinessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Readyz_is_503_without_a_stack_trace_while_the_database_is_gone_and_healthz_stays_200(string engine)
    {
        var logs = new CapturedLogs();
        await using var h = await BackendHarness.StartAsync(engine, configure: s => s.AddLogging(l => l.AddProvider(logs)));
        using var client = h.Server.CreateClient();

        var ready = await JsonAsync(await client.GetAsync("readyz", Ct));
        Assert.Equal("ready", ready.GetProperty("status").GetString());

        await MakeUnreachableAsync(h.Database);

        var notReady = await ProblemAsync(await client.GetAsync("readyz", Ct), HttpStatusCode.ServiceUnavailable);
        Assert.Equal("The customer database is not reachable.", notReady.GetProperty("detail").GetString());
        Assert.Equal("ok", (await JsonAsync(await client.GetAsync("healthz", Ct))).GetProperty("status").GetString());
        var logged = Assert.Single(logs.Lines, l => l.Contains("customer_database"));
        Assert.Contains("CUSTOMER_DB at '", logged);
        Assert.DoesNotContain("   at ", logged);
        Assert.DoesNotContain("Password", logged, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task With_the_database_hung_readyz_answers_503_within_its_limit_instead_of_waiting_with_it()
    {
        await using var database = await TestDatabase.CreateAsync(Engines.PostgreSql, "customers.db");
        await using var relay = TcpRelay.To(database);
        await using var h = await BackendHarness.StartAsync(Engines.PostgreSql,
            extraSettings: new Dictionary<string, string?> { ["CUSTOMER_DB"] = relay.ConnectionString(database) });
        using var client = h.Server.CreateClient();
        Assert.Equal("ready", (await JsonAsync(await client.GetAsync("readyz", Ct))).GetProperty("status").GetString());

        await relay.FreezeAsync();
        // The driver's own cancellation of a query to a hung server took most of a minute; the client's bound turns a
        // probe that waits with the database into a failure instead of a stuck test.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(TimeSpan.FromSeconds(30));
        var notReady = await ProblemAsync(await client.GetAsync("readyz", bound.Token), HttpStatusCode.ServiceUnavailable);
        Assert.Equal("The customer database is not reachable.", notReady.GetProperty("detail").GetString());
        Assert.Equal("ok", (await JsonAsync(await client.GetAsync("healthz", bound.Token))).GetProperty("status").GetString());
        await relay.CutAsync(); // the server's stop then finds its connections gone, not hung
    }

    /// <summary>A defect (here: the database used after it was disposed) is not reported as an unreachable database.</summary>
    [Fact]
    public async Task A_defect_in_the_check_is_not_reported_as_an_unreachable_database()
    {
        await using var testDatabase = await TestDatabase.CreateAsync(Engines.PostgreSql);
        var database = new CalendarConnect.Backend.Storage.CustomerDatabase(
            Microsoft.Extensions.Options.Options.Create(new CalendarConnect.Backend.Storage.CustomerDatabaseOptions { Setting = testDatabase.Location }),
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<CalendarConnect.Backend.Storage.CustomerDatabase>.Instance);
        await database.EnsureSchemaAsync(Ct);
        var check = new CalendarConnect.Backend.Web.CustomerDatabaseHealthCheck(database);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy,
            (await check.CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext(), Ct)).Status);

        await database.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => check.CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext(), Ct));
    }

    /// <summary>A browser signed in as the admin sends its cookie everywhere: probes and assets must not need the database for it.</summary>
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Healthz_and_assets_answer_with_an_admin_cookie_while_the_database_is_gone(string engine)
    {
        await using var h = await BackendHarness.StartAsync(engine);
        using var browser = SharedKeyRingTests.Browser(h.Server, new CookieContainer());
        await BackendHarness.SignInAsync(browser);

        await MakeUnreachableAsync(h.Database);

        Assert.Equal("ok", (await JsonAsync(await browser.GetAsync("healthz", Ct))).GetProperty("status").GetString());
        await ProblemAsync(await browser.GetAsync("readyz", Ct), HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("assets/admin.css", Ct)).StatusCode);
    }

    /// <summary>
    /// SQLite: its folder is removed (new connections cannot open the file). PostgreSQL: this test's own database is
    /// dropped, so its name no longer exists; the shared server keeps running.
    /// </summary>
    private static async Task MakeUnreachableAsync(TestDatabase database)
    {
        if (database.Engine == Engines.Sqlite)
        {
            Directory.Delete(Path.GetDirectoryName(database.Location)!, recursive: true);
            SqliteConnection.ClearAllPools();
            return;
        }
        var name = new NpgsqlConnectionStringBuilder(database.Location).Database;
        await using var admin = new NpgsqlConnection(Environment.GetEnvironmentVariable(TestDatabase.PostgresVariable));
        await admin.OpenAsync(Ct);
        await using var drop = new NpgsqlCommand($"DROP DATABASE {name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync(Ct);
    }
}
