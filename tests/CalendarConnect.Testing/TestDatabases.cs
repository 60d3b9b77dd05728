using Npgsql;

namespace CalendarConnect.Testing;

/// <summary>The two database engines every store test runs against.</summary>
public static class Engines
{
    public const string Sqlite = "sqlite";
    public const string PostgreSql = "postgresql";

}

/// <summary>
/// A fresh, empty database for one test: a SQLite file in a temp folder, or a new database on the real
/// PostgreSQL server that ./scripts/test.sh starts (CALENDARCONNECT_TEST_POSTGRES). Dropped on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "CALENDARCONNECT_TEST_POSTGRES";

    private readonly string? _postgresAdmin;
    private readonly string? _databaseName;
    private readonly string? _folder;

    private TestDatabase(string engine, string location, string? postgresAdmin, string? databaseName, string? folder)
    {
        Engine = engine;
        Location = location;
        _postgresAdmin = postgresAdmin;
        _databaseName = databaseName;
        _folder = folder;
    }

    public string Engine { get; }

    /// <summary>What TOKEN_DB / CUSTOMER_DB is set to: a file path or an Npgsql connection string.</summary>
    public string Location { get; }

    public static async Task<TestDatabase> CreateAsync(string engine, string fileName = "test.db")
    {
        if (engine == Engines.Sqlite)
        {
            var folder = Directory.CreateTempSubdirectory("cc-db-").FullName;
            return new TestDatabase(engine, Path.Combine(folder, fileName), null, null, folder);
        }

        var admin = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrEmpty(admin))
            throw new InvalidOperationException(
                $"{PostgresVariable} is not set. Run the tests with ./scripts/test.sh, which starts PostgreSQL, or set it to a connection string of a role that may CREATE DATABASE.");
        var name = "cc_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var location = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        return new TestDatabase(engine, location, admin, name, null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_postgresAdmin);
        await connection.OpenAsync();
        // WITH (FORCE) cannot end a server background worker (autovacuum) that a non-superuser does not own:
        // such a worker finishes within moments, so try again briefly before leaving the database behind.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException) when (attempt < 20)
            {
                await Task.Delay(250);
            }
            catch (PostgresException)
            {
                return; // a leftover test database is harmless; failing the test for it would not be
            }
        }
    }
}
