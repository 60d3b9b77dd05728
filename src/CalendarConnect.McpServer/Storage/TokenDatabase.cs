using System.Data.Common;
using System.Text.RegularExpressions;
using CalendarConnect.Infrastructure;
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

    public TokenDatabase(string tokenDb)
    {
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

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        if (Engine == DatabaseEngine.Sqlite) await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        else await connection.ExecuteAsync("SELECT pg_advisory_lock(@key)", new { key = MigrationLockKey }); // replicas migrate one at a time
        try
        {
            await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
            var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations")).ToHashSet();
            var migrations = TokenSchema.For(Engine);
            // A pending migration may be the one that lower-cases customer ids: two ids that differ only by case must not
            // silently become one company (read before any change; the operator decides).
            if (applied.Count < migrations.Count &&
                await CustomerIdCollisions.FindAsync(connection, Engine == DatabaseEngine.Sqlite, cancellationToken) is { Count: > 0 } collisions)
                throw new StartupException(CustomerIdCollisions.Message("TOKEN_DB", collisions));
            for (var i = 0; i < migrations.Count; i++)
            {
                var version = i + 1;
                if (applied.Contains(version)) continue;
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                // Another process on the same SQLite file may have applied it while we waited for the write lock.
                if (await connection.ExecuteScalarAsync<int?>("SELECT version FROM schema_migrations WHERE version = @version",
                        new { version }, transaction) is not null)
                    continue;
                foreach (var statement in SqlStatements.Split(migrations[i]))
                {
                    if (Engine == DatabaseEngine.Sqlite && IsAddOfExistingSqliteColumn(connection, statement)) continue;
                    await connection.ExecuteAsync(statement, transaction: transaction);
                }

                await connection.ExecuteAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @at)",
                    new { version, at = IsoUtc.Format(DateTimeOffset.UtcNow) }, transaction);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (Engine == DatabaseEngine.Postgres) await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = MigrationLockKey });
        }
    }

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            return await connection.ExecuteScalarAsync<int>("SELECT 1") == 1;
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

    /// <summary>An arbitrary, fixed advisory-lock key: "calendar" in ASCII.</summary>
    private const long MigrationLockKey = 0x63616c656e646172;

    /// <summary>A database written by an older copy may already have a column that a migration adds.</summary>
    private static bool IsAddOfExistingSqliteColumn(DbConnection connection, string statement)
    {
        var words = statement.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (words is not ["ALTER", "TABLE", var table, "ADD", "COLUMN", var column, ..]) return false;
        return connection.Query<string>($"SELECT name FROM pragma_table_info('{table}')").Contains(column, StringComparer.OrdinalIgnoreCase);
    }
}

/// <summary>A migration's statements, separated by ';'.</summary>
public static partial class SqlStatements
{
    /// <summary>
    /// Splits at each ';' that ends a statement, keeping whole the bodies that hold ';' themselves: a PostgreSQL
    /// dollar-quoted function body (<c>$$ … $$</c>) and a SQLite trigger's <c>BEGIN … END</c>.
    /// </summary>
    public static IReadOnlyList<string> Split(string script)
    {
        var statements = new List<string>();
        var start = 0;
        var inDollarQuote = false;
        for (var i = 0; i < script.Length; i++)
        {
            if (script[i] == '$' && i + 1 < script.Length && script[i + 1] == '$')
            {
                inDollarQuote = !inDollarQuote;
                i++;
                continue;
            }
            if (script[i] != ';' || inDollarQuote) continue;
            var statement = script[start..i].Trim();
            if (OpenTrigger().IsMatch(statement) && !TriggerEnd().IsMatch(statement)) continue; // a ';' inside BEGIN … END
            if (statement.Length > 0) statements.Add(statement);
            start = i + 1;
        }
        var last = script[start..].Trim();
        if (last.Length > 0) statements.Add(last);
        return statements;
    }

    [GeneratedRegex(@"^CREATE\s+TRIGGER\b.*\bBEGIN\b", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex OpenTrigger();

    [GeneratedRegex(@"\bEND\z", RegexOptions.IgnoreCase)]
    private static partial Regex TriggerEnd();
}
