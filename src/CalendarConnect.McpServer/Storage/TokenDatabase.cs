using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace CalendarConnect.McpServer.Storage;

/// <summary>
/// The MCP server's database (TOKEN_DB, <c>tokens.db</c> by default): opens connections and applies the
/// versioned schema at start-up. The first migration is exactly the original Python system's
/// <c>oauth_tokens</c> table (CREATE IF NOT EXISTS), so an existing tokens.db is adopted as it is and
/// only gains columns.
/// </summary>
public sealed class TokenDatabase
{
    private static readonly string[] Migrations =
    [
        // 1: the spec's table, as the original system created it.
        """
        CREATE TABLE IF NOT EXISTS oauth_tokens (
            customer_id TEXT PRIMARY KEY,
            access_token TEXT NOT NULL,
            refresh_token TEXT,
            token_expiry TEXT,
            calendar_email TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        // 2: connection health and the calendar's own time zone (learned from calendars/primary).
        """
        ALTER TABLE oauth_tokens ADD COLUMN status TEXT NOT NULL DEFAULT 'connected';
        ALTER TABLE oauth_tokens ADD COLUMN last_error TEXT;
        ALTER TABLE oauth_tokens ADD COLUMN time_zone TEXT;
        """,
        // 3: pending authorizations. Only a hash of the state is kept, and the PKCE verifier is Fernet-encrypted,
        // so a copy of the database cannot be used to finish someone else's flow.
        """
        CREATE TABLE oauth_states (
            state_hash TEXT PRIMARY KEY,
            customer_id TEXT NOT NULL,
            customer_email TEXT,
            code_verifier TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT
        );
        CREATE INDEX ix_oauth_states_expires_at ON oauth_states (expires_at);
        """,
    ];

    private readonly string _connectionString;

    public TokenDatabase(string tokenDb)
    {
        var path = Path.GetFullPath(tokenDb);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        FilePath = path;
    }

    public string FilePath { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        // Writers wait for each other instead of failing with "database is locked".
        await connection.ExecuteAsync("PRAGMA busy_timeout = 10000;");
        return connection;
    }

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
        var applied = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations")).ToHashSet();
        for (var i = 0; i < Migrations.Length; i++)
        {
            var version = i + 1;
            if (applied.Contains(version)) continue;
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var statement in Migrations[i].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (IsAddOfExistingColumn(connection, statement)) continue;
                await connection.ExecuteAsync(statement, transaction: transaction);
            }

            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @at)",
                new { version, at = DateTimeOffset.UtcNow.ToString("O") }, transaction);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            return await connection.ExecuteScalarAsync<long>("SELECT 1") == 1;
        }
        catch (Exception e) when (e is DbException or IOException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A database written by an older copy may already have a column that a migration adds.</summary>
    private static bool IsAddOfExistingColumn(DbConnection connection, string statement)
    {
        var words = statement.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words is not ["ALTER", "TABLE", var table, "ADD", "COLUMN", var column, ..]) return false;
        return connection.Query<string>($"SELECT name FROM pragma_table_info('{table}')").Contains(column, StringComparer.OrdinalIgnoreCase);
    }
}
