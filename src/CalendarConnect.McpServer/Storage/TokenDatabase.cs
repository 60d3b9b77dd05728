using System.Data.Common;
using CalendarConnect.Infrastructure;
using CalendarConnect.Infrastructure.Migrations;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CalendarConnect.McpServer.Storage;

/// <summary>
/// The MCP server's database (TOKEN_DB): a SQLite file (<c>tokens.db</c>, the default, one machine) or a
/// PostgreSQL database (<c>Host=…</c>, <c>Server=…</c> or <c>postgres://…</c>, read by <see cref="DatabaseSetting"/>; several replicas). Opens connections and applies
/// the versioned schema at start-up. The first migration is exactly the original Python system's
/// <c>oauth_tokens</c> table (CREATE IF NOT EXISTS), so an existing tokens.db is adopted as it is and only gains
/// columns. Timestamps are ISO 8601 UTC text on both engines, so rows read the same wherever they live.
/// </summary>
public sealed class TokenDatabase : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly NpgsqlDataSource? _postgres;

    private readonly TimeProvider _time;

    public TokenDatabase(string tokenDb, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        Engine = DatabaseSetting.EngineOf(tokenDb);
        if (Engine == DatabaseEngine.Postgres)
        {
            _connectionString = DatabaseSetting.ToNpgsqlConnectionString(tokenDb);
            _postgres = NpgsqlDataSource.Create(_connectionString);
            Description = DatabaseSetting.Describe(_connectionString);
            return;
        }

        var path = Path.GetFullPath(tokenDb);
        OwnerOnlyFiles.PrepareSqliteDatabase(path); // tokens.db and its -wal/-shm owner-only (0600), whatever the umask
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        Description = path;
    }

    public DatabaseEngine Engine { get; }

    /// <summary>The file path, or host/port/database of PostgreSQL: never a password.</summary>
    public string Description { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null) return await _postgres.OpenConnectionAsync(cancellationToken);
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // Writers wait for each other instead of failing with "database is locked".
        await connection.ExecuteAsync("PRAGMA busy_timeout = 10000;");
        return connection;
    }

    /// <summary>Brings the schema to the latest version (<see cref="TokenSchema"/>); replicas starting together migrate once.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await SchemaMigrator.MigrateAsync(connection, Engine, TokenSchema.Schema, _time, cancellationToken);
    }

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            return await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken)) == 1;
        }
        catch (Exception e) when (e is DbException or IOException or InvalidOperationException or TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}
