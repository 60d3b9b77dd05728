using System.Security.Cryptography;
using Npgsql;

namespace CalendarConnect.Benchmark.Hosting;

/// <summary>
/// Fresh, empty databases for the services (TOKEN_DB, CUSTOMER_DB): SQLite files in a temp folder by default, or new
/// databases on a PostgreSQL server (<c>--postgres</c>). Everything made here is removed at the end.
/// </summary>
public sealed class Databases(string? postgresAdmin) : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("calendarconnect-benchmark-").FullName;
    private readonly List<string> _postgresDatabases = [];

    public string Engine => postgresAdmin is null ? "SQLite" : "PostgreSQL";

    /// <summary>What TOKEN_DB or CUSTOMER_DB is set to: a file path, or an Npgsql connection string.</summary>
    public async Task<string> CreateAsync(string name)
    {
        if (postgresAdmin is null) return Path.Combine(_folder, name + ".db");
        var database = "cc_bench_" + name.Replace('-', '_') + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await using (var connection = new NpgsqlConnection(postgresAdmin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }
        _postgresDatabases.Add(database);
        return new NpgsqlConnectionStringBuilder(postgresAdmin) { Database = database }.ConnectionString;
    }

    /// <summary>Called after the services are stopped.</summary>
    public async ValueTask DisposeAsync()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        if (postgresAdmin is null || _postgresDatabases.Count == 0) return;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(postgresAdmin);
        await connection.OpenAsync();
        foreach (var database in _postgresDatabases)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
            try
            {
                await drop.ExecuteNonQueryAsync();
            }
            catch (PostgresException e)
            {
                Console.Error.WriteLine($"Could not drop database {database}: {e.MessageText}");
            }
        }
    }

    /// <summary>Checks the connection string before anything starts, so a typo is one clear line.</summary>
    public static async Task<string?> CheckPostgresAsync(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or InvalidOperationException)
        {
            return $"--postgres: cannot connect ({e.Message}).";
        }
    }
}

/// <summary>Secrets generated for one run; never printed.</summary>
public static class Secrets
{
    /// <summary>A Fernet key: url-safe base64 of 32 random bytes.</summary>
    public static string FernetKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_');

    /// <summary>A backend's DATA_PROTECTION_KEY: base64 of 32 random bytes.</summary>
    public static string DataProtectionKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Random visible ASCII (url-safe base64 without padding) of about <paramref name="bytes"/> × 4/3 characters.</summary>
    public static string Key(int bytes = 36) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
