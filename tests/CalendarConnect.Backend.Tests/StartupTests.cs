using System.Diagnostics;
using CalendarConnect.Testing;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.Tests;

public class StartupTests
{
    /// <summary>Every schema version, each applied once, in order: "1,2,…".</summary>
    private static readonly string AllVersions =
        string.Join(",", CalendarConnect.Backend.Storage.CustomerSchema.Schema.Migrations.Select(m => m.Version));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("MCP_API_KEY", "")]
    [InlineData("MCP_API_KEY", " a-long-enough-service-key ")]
    [InlineData("MCP_API_KEY", "a-long-enough-service-key\n")]
    [InlineData("ADMIN_PASSWORD", "")]
    [InlineData("ADMIN_USER", "ad:min")]
    [InlineData("MCP_SERVER_URL", "not a url")]
    [InlineData("ADMIN_API_KEY", "too-short-key")]
    [InlineData("ADMIN_API_KEY", "0123456789abcdef0123456789abcdef0123,")]
    [InlineData("ADMIN_API_KEY", "0123456789abcdef 0123456789abcdef0123")]
    [InlineData("ADMIN_API_KEY", "0123456789abcdef0123456789abcdef0123,0123456789abcdef0123456789abcdef0123")]
    [InlineData("DATA_PROTECTION_KEY", "")]
    [InlineData("DATA_PROTECTION_KEY", "c2hvcnQ=")]
    [InlineData("DATA_PROTECTION_KEY", "AxAa8NXAEofOiSxTrA1H84GirUW8GGMDpr+fTyLfqRY=,")]
    [InlineData("TRUSTED_PROXIES", "10.0.0.0/33")]
    [InlineData("TRUSTED_PROXIES", "10.0.0.1/8")]
    [InlineData("TRUSTED_PROXIES", "proxy.internal")]
    [InlineData("TRUSTED_PROXIES", "10.0.0.5,,10.0.0.6")]
    [InlineData("CUSTOMER_DB", "Host=localhost;Password=s3cret-pw;Nonsense Key=1;Database=customers")]
    [InlineData("CUSTOMER_DB", "postgres://user:s3cret-pw@localhost:5432/customers?sslmode=sometimes")]
    [InlineData("CUSTOMER_DB", "postgres://user:s3cret-pw@localhost:5432/")]
    [InlineData("CUSTOMER_DB", "postgres://user:s3cret-pw@localhost:notaport/customers")]
    [InlineData("BACKEND_PORT", "80a")]
    [InlineData("ADMIN_SESSION_IDLE_MINUTES", "4")]
    public async Task Bad_configuration_fails_start_up_naming_the_variable(string variable, string value)
    {
        var folder = BackendHarness.NewTempFolder();
        var settings = BackendHarness.Settings(Path.Combine(folder, "c.db"), "http://127.0.0.1:1");
        settings[variable] = value;
        settings["Logging:LogLevel:Microsoft.Extensions.Hosting"] = "None"; // the host logs the expected failure with a trace

        // Each variable is read and checked once (MCP_* by the assistant's options, which the backend's client uses too):
        // one bad setting is one line.
        var error = Assert.IsType<OptionsValidationException>(await Assert.ThrowsAnyAsync<Exception>(() => LoopbackServer.StartAsync(Program.BuildApp, settings)));

        Assert.StartsWith(variable, Assert.Single(error.Failures));
        if (variable == "MCP_API_KEY" && value.Length > 0) Assert.Contains("may contain only visible ASCII characters", error.Message);
        if (variable == "ADMIN_API_KEY") Assert.DoesNotContain("0123456789abcdef", error.Message); // never the key itself
        if (variable == "DATA_PROTECTION_KEY") Assert.DoesNotContain("AxAa8NXA", error.Message);
        if (variable == "CUSTOMER_DB")
        {
            Assert.Contains("PostgreSQL", error.Message);
            Assert.DoesNotContain("s3cret-pw", error.Message);
        }
    }

    [Fact]
    public async Task The_schema_is_created_once_and_kept_across_restarts()
    {
        var folder = BackendHarness.NewTempFolder();
        var settings = BackendHarness.Settings(Path.Combine(folder, "a", "b", "customers.db"), "http://127.0.0.1:1");
        await using (var first = await LoopbackServer.StartAsync(Program.BuildApp, settings))
        {
            using var client = first.CreateClient();
            client.DefaultRequestHeaders.Authorization = BackendHarness.Basic(BackendHarness.AdminUser, BackendHarness.AdminPassword);
            // MCP is down: the company is saved, the answer is 502.
            await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct);
        }
        await using (var second = await LoopbackServer.StartAsync(Program.BuildApp, settings))
        {
            using var client = second.CreateClient();
            client.DefaultRequestHeaders.Authorization = BackendHarness.Basic(BackendHarness.AdminUser, BackendHarness.AdminPassword);
            var list = await ResponseAssert.JsonAsync(await client.GetAsync("v1/customer-calendars", Ct));
            Assert.Equal("empresa-abc-123", Assert.Single(list.EnumerateArray()).GetProperty("customer_id").GetString());
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder, "a", "b", "customers.db")};Pooling=False");
        await connection.OpenAsync(Ct);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(version) FROM schema_version";
        Assert.Equal(AllVersions, await command.ExecuteScalarAsync(Ct));
    }

    /// <summary>Without CUSTOMER_DB, customers.db is made in DATA_DIR, next to the MCP server's tokens.db.</summary>
    [Fact]
    public async Task Without_CUSTOMER_DB_the_database_is_customers_db_in_DATA_DIR()
    {
        var folder = BackendHarness.NewTempFolder();
        var settings = BackendHarness.Settings("unused", "http://127.0.0.1:1");
        settings["CUSTOMER_DB"] = null;
        settings["DATA_DIR"] = Path.Combine(folder, "data");
        await using (var server = await LoopbackServer.StartAsync(Program.BuildApp, settings))
        {
            using var client = server.CreateClient();
            client.DefaultRequestHeaders.Authorization = BackendHarness.Basic(BackendHarness.AdminUser, BackendHarness.AdminPassword);
            await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct); // MCP down: 502, company saved
        }
        Assert.True(File.Exists(Path.Combine(folder, "data", "customers.db")));
    }

    /// <summary>Server= is Npgsql's synonym of Host=: CUSTOMER_DB reads it as TOKEN_DB does, as PostgreSQL.</summary>
    [Theory]
    [InlineData("Server=db.internal;Database=customers", CalendarConnect.Infrastructure.DatabaseEngine.Postgres)]
    [InlineData("Host=db.internal;Database=customers", CalendarConnect.Infrastructure.DatabaseEngine.Postgres)]
    [InlineData("postgresql://u@db.internal/customers", CalendarConnect.Infrastructure.DatabaseEngine.Postgres)]
    [InlineData("data/customers.db", CalendarConnect.Infrastructure.DatabaseEngine.Sqlite)]
    public void CUSTOMER_DB_engines(string setting, CalendarConnect.Infrastructure.DatabaseEngine engine) =>
        Assert.Equal(engine, new CalendarConnect.Backend.Storage.CustomerDatabaseOptions { Setting = setting }.Engine);

    [Fact]
    public async Task An_unreachable_postgresql_fails_start_up_naming_host_port_and_database_but_never_the_password()
    {
        var settings = BackendHarness.Settings("postgres://calendarconnect:s3cret-pw@127.0.0.1:1/customers?Timeout=2", "http://127.0.0.1:1");
        settings["Logging:LogLevel:Microsoft.Extensions.Hosting"] = "None";
        var error = await Assert.ThrowsAsync<CalendarConnect.Infrastructure.StartupException>(() => LoopbackServer.StartAsync(Program.BuildApp, settings));
        Assert.StartsWith("CUSTOMER_DB", error.Message);
        Assert.Contains("PostgreSQL 127.0.0.1:1/customers", error.Message);
        Assert.DoesNotContain("s3cret-pw", error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    /// <summary>Replicas starting together on one PostgreSQL: the advisory lock lets one migrate, the others wait and see it done.</summary>
    [Fact]
    public async Task Replicas_starting_together_on_postgresql_migrate_once()
    {
        await using var db = await TestDatabase.CreateAsync(Engines.PostgreSql);
        // The URL form, as operators write it.
        var b = new Npgsql.NpgsqlConnectionStringBuilder(db.Location);
        var url = $"postgres://{Uri.EscapeDataString(b.Username!)}:{Uri.EscapeDataString(b.Password!)}@{b.Host}:{b.Port}/{b.Database}?sslmode=disable";
        var settings = BackendHarness.Settings(url, "http://127.0.0.1:1");
        var servers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => LoopbackServer.StartAsync(Program.BuildApp, settings)));
        try
        {
            using var client = servers[0].CreateClient();
            client.DefaultRequestHeaders.Authorization = BackendHarness.Basic(BackendHarness.AdminUser, BackendHarness.AdminPassword);
            await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct); // MCP down: 502, company saved
            using var other = servers[3].CreateClient();
            other.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
            var list = await ResponseAssert.JsonAsync(await other.GetAsync("v1/customer-calendars", Ct));
            Assert.Equal("empresa-abc-123", Assert.Single(list.EnumerateArray()).GetProperty("customer_id").GetString());
        }
        finally
        {
            foreach (var server in servers) await server.DisposeAsync();
        }
        await using var connection = new Npgsql.NpgsqlConnection(db.Location);
        await connection.OpenAsync(Ct);
        await using var command = new Npgsql.NpgsqlCommand("SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_version", connection);
        Assert.Equal(AllVersions, await command.ExecuteScalarAsync(Ct));
        await using var columns = new Npgsql.NpgsqlCommand(
            "SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'customer_memory'", connection);
        Assert.Equal("customer_id:text,customer_email:text,customer_name:text,created_at:text,updated_at:text,whatsapp_number:text,search_text:text,calendar_status:text", await columns.ExecuteScalarAsync(Ct));
    }

    /// <summary>The real executable prints exactly one line naming the variable, no stack trace, and exits 1.</summary>
    [Theory]
    [InlineData("MCP_API_KEY")]
    [InlineData("ADMIN_PASSWORD")]
    [InlineData("DATA_PROTECTION_KEY")]
    public async Task Main_prints_one_clear_line_and_exits_1(string missing)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "CalendarConnect.Backend.dll");
        var folder = BackendHarness.NewTempFolder();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = folder };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add("--runtimeconfig");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CalendarConnect.Backend.runtimeconfig.json"));
        start.ArgumentList.Add(dll);
        foreach (var (key, value) in BackendHarness.Settings(Path.Combine(folder, "c.db"), "http://127.0.0.1:1"))
            start.Environment[key] = value;
        start.Environment[missing] = "";
        start.Environment["BACKEND_PORT"] = BackendHarness.UnusedPort().ToString();

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw; }

        var output = (await stderr).Trim() + (await stdout).Trim();
        Assert.Equal(1, process.ExitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(missing, line);
        ResponseAssert.NoStackTrace(line);
    }
}
