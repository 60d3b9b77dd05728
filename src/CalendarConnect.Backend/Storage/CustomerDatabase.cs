using System.Data.Common;
using CalendarConnect.Backend.Web;
using CalendarConnect.Infrastructure;
using CalendarConnect.Infrastructure.Migrations;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CalendarConnect.Backend.Storage;

public sealed class CustomerDatabaseOptions
{
    public const string Variable = "CUSTOMER_DB";
    public const string DefaultFileName = "customers.db";

    /// <summary>
    /// A SQLite file path, or a PostgreSQL connection string (<c>Host=…</c>, <c>Server=…</c>) or URL (<c>postgres://…</c>),
    /// read as TOKEN_DB is (<see cref="DatabaseSetting"/>). Unset: customers.db in DATA_DIR.
    /// </summary>
    public string Setting { get; set; } = DataDirectory.DefaultFile(null, DefaultFileName);

    public DatabaseEngine Engine => DatabaseSetting.EngineOf(Setting);

    /// <summary>The problem with the setting, one line naming the variable, or null (checked at start-up through BackendSettings).</summary>
    public string? Problem()
    {
        // The message never repeats the setting: it may hold a password.
        if (Engine == DatabaseEngine.Postgres)
            return DatabaseSetting.ProblemWith(Setting) is { } problem ? $"{Variable} is not a usable PostgreSQL connection string or URL: {problem}" : null;
        return Setting.IndexOfAny(Path.GetInvalidPathChars()) >= 0 ? $"{Variable} is not a valid file path." : null;
    }
}

/// <summary>Opens connections to the customer database and keeps its schema at the latest version.</summary>
public sealed class CustomerDatabase(IOptions<CustomerDatabaseOptions> options, TimeProvider time, ILogger<CustomerDatabase> log) : IAsyncDisposable
{
    private readonly Lazy<string> _connectionString = new(() => BuildConnectionString(options.Value));
    private readonly Lock _gate = new();
    private NpgsqlDataSource? _postgres;
    private volatile bool _schemaReady;

    public DatabaseEngine Engine => options.Value.Engine;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (Engine == DatabaseEngine.Postgres) return await PostgresSource().OpenConnectionAsync(cancellationToken);
        var connection = new SqliteConnection(_connectionString.Value);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// A connection opened synchronously, for the framework's synchronous extension points only (Data Protection's
    /// IXmlRepository, read when the key ring is loaded: at start-up and about once a day).
    /// </summary>
    public DbConnection Open()
    {
        if (Engine == DatabaseEngine.Postgres) return PostgresSource().OpenConnection();
        var connection = new SqliteConnection(_connectionString.Value);
        connection.Open();
        return connection;
    }

    private NpgsqlDataSource PostgresSource()
    {
        if (_postgres is { } source) return source;
        lock (_gate) return _postgres ??= NpgsqlDataSource.Create(_connectionString.Value);
    }

    /// <summary>Brings the schema to the latest version (<see cref="CustomerSchema"/>); replicas starting together migrate once.</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        // Main checks the database before the host starts, and the host's initializer asks again: once is enough.
        if (_schemaReady) return;
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await SchemaMigrator.MigrateAsync(connection, Engine, CustomerSchema.Schema, time, cancellationToken,
                underTheLock: Engine == DatabaseEngine.Postgres ? EnsureTrigramIndexesAsync : null);
            _schemaReady = true;
        }
        catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException or TimeoutException
                                       or System.Net.Sockets.SocketException)
        {
            throw new StartupException($"{CustomerDatabaseOptions.Variable}: cannot open or prepare the customer database at '{DescribeLocation()}': {ex.Message.ReplaceLineEndings(" ")}", ex);
        }
    }

    /// <summary>
    /// PostgreSQL: the trigram indexes that let a substring search (<c>LIKE '%…%'</c>) of the list skip the companies
    /// that cannot match. pg_trgm ships with PostgreSQL and is a trusted extension (since PostgreSQL 13 the database's
    /// owner may create it). Tried at every start, outside the versioned migrations, because whether it can be had
    /// depends on the server: without it the search still answers the same, by reading every company, and the log
    /// says how to add it. GiST rather than GIN: a GIN search reads the whole list of companies of every trigram of
    /// the search, so "empresa-04242" costs as much as the trigrams it shares with every "empresa-…"; GiST's
    /// signatures (64 bytes: a company's search text has some 70 trigrams) find the few companies that match without.
    /// </summary>
    private async Task EnsureTrigramIndexesAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("CREATE EXTENSION IF NOT EXISTS pg_trgm;", cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition("""
                CREATE INDEX IF NOT EXISTS customer_memory_search_trigrams ON customer_memory USING gist (search_text gist_trgm_ops (siglen = 64));
                CREATE INDEX IF NOT EXISTS customer_memory_whatsapp_trigrams ON customer_memory USING gist (whatsapp_number gist_trgm_ops);
                """, cancellationToken: cancellationToken));
        }
        catch (PostgresException ex)
        {
            log.LogWarning("{Variable}: the list's search reads every company because the pg_trgm trigram indexes could not be created " +
                           "({SqlState}: {Message}). A database owner or superuser can run CREATE EXTENSION pg_trgm; the next start creates the indexes.",
                CustomerDatabaseOptions.Variable, ex.SqlState, ex.MessageText);
        }
    }

    /// <summary>The file path, or "PostgreSQL host:port/database": never a password.</summary>
    public string DescribeLocation() => Engine == DatabaseEngine.Sqlite
        ? Path.GetFullPath(options.Value.Setting)
        : DatabaseSetting.Describe(_connectionString.Value);

    private static string BuildConnectionString(CustomerDatabaseOptions options)
    {
        if (options.Engine == DatabaseEngine.Postgres)
        {
            var builder = new NpgsqlConnectionStringBuilder(DatabaseSetting.ToNpgsqlConnectionString(options.Setting));
            if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = "CalendarConnect.Backend";
            return builder.ConnectionString;
        }
        var path = Path.GetFullPath(options.Setting);
        OwnerOnlyFiles.PrepareSqliteDatabase(path); // customers.db and its -wal/-shm owner-only (0600), whatever the umask
        return new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}

/// <summary>
/// Creates or upgrades the schema when the host starts (before Kestrel listens), then writes the search text of the
/// companies that have none yet (rows from before schema version 5), so the first search finds them.
/// </summary>
public sealed class CustomerSchemaInitializer(CustomerDatabase database, CustomerMemory memory, ILogger<CustomerSchemaInitializer> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.EnsureSchemaAsync(cancellationToken);
        var filled = await memory.FillSearchTextAsync(cancellationToken);
        if (filled > 0) log.LogInformation("Wrote the search text of {Count} companies that had none", filled);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddCustomerStorage(this IServiceCollection services)
    {
        services.AddSingleton<CustomerDatabase>();
        services.AddSingleton<CustomerMemory>();
        services.AddHostedService<CustomerSchemaInitializer>();
        return services;
    }
}
