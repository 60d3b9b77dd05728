using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;

namespace CalendarConnect.Infrastructure.Migrations;

/// <summary>
/// Brings a database to the latest version of its <see cref="DatabaseSchema"/>: each version not applied yet, in order
/// (not only those above the highest: a version whose row is missing, as in a database put back to an older shape, is
/// applied again), all in one transaction with the rows of the version table. Replicas and processes starting together
/// migrate once: on PostgreSQL under an advisory lock, on SQLite under the write lock the transaction takes at its start
/// (BEGIN IMMEDIATE), and the applied versions are read after the lock is held.
/// </summary>
public static partial class SchemaMigrator
{
    /// <param name="underTheLock">Work of every start that is not a versioned migration, run after them while the lock is held.</param>
    public static async Task MigrateAsync(DbConnection connection, DatabaseEngine engine, DatabaseSchema schema, TimeProvider time,
        CancellationToken cancellationToken, Func<DbConnection, CancellationToken, Task>? underTheLock = null)
    {
        var sqlite = engine == DatabaseEngine.Sqlite;
        if (sqlite) await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        else await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = schema.LockKey }, cancellationToken: cancellationToken));
        try
        {
            await connection.ExecuteAsync($"CREATE TABLE IF NOT EXISTS {schema.VersionTable} (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)");
            await ApplyPendingAsync(connection, sqlite, schema, time, cancellationToken);
            if (underTheLock is not null) await underTheLock(connection, cancellationToken);
        }
        finally
        {
            if (!sqlite) await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = schema.LockKey });
        }
    }

    private static async Task ApplyPendingAsync(DbConnection connection, bool sqlite, DatabaseSchema schema, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken); // SQLite: BEGIN IMMEDIATE
        var applied = (await connection.QueryAsync<int>($"SELECT version FROM {schema.VersionTable}", transaction: transaction)).ToHashSet();
        var pending = schema.Migrations.Where(m => !applied.Contains(m.Version)).ToList();
        if (pending.Count == 0) return;
        // Two ids that differ only by case must not silently become one company: read before any change; the operator decides.
        if (pending.Any(m => m.Version == schema.LowerCasesCustomerIds) &&
            await CustomerIdCollisions.FindAsync(connection, sqlite, cancellationToken, transaction) is { Count: > 0 } collisions)
            throw new StartupException(CustomerIdCollisions.Message(schema.Variable, collisions));
        foreach (var migration in pending)
        {
            foreach (var statement in SqlStatements.Split(migration.For(sqlite ? DatabaseEngine.Sqlite : DatabaseEngine.Postgres)))
            {
                var command = sqlite ? await ForSqliteAsync(connection, statement, transaction) : statement;
                if (command is not null) await connection.ExecuteAsync(new CommandDefinition(command, transaction: transaction, cancellationToken: cancellationToken));
            }
            await connection.ExecuteAsync($"INSERT INTO {schema.VersionTable} (version, applied_at) VALUES (@version, @at)",
                new { version = migration.Version, at = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) }, transaction);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// SQLite has no <c>ADD COLUMN IF NOT EXISTS</c>: the statement without it, or null when the column is there already
    /// (also for a plain <c>ADD COLUMN</c>: a database written by an older copy, such as the original Python system's
    /// tokens.db, may already have a column a migration adds).
    /// </summary>
    private static async Task<string?> ForSqliteAsync(DbConnection connection, string statement, DbTransaction transaction)
    {
        if (AddColumn().Match(statement) is not { Success: true } add) return statement;
        var columns = await connection.QueryAsync<string>($"SELECT name FROM pragma_table_info('{add.Groups["table"].Value}')", transaction: transaction);
        if (columns.Contains(add.Groups["column"].Value, StringComparer.OrdinalIgnoreCase)) return null;
        return add.Groups["ifNotExists"].Success ? statement.Remove(add.Groups["ifNotExists"].Index, add.Groups["ifNotExists"].Length) : statement;
    }

    [GeneratedRegex(@"^ALTER\s+TABLE\s+(?<table>\w+)\s+ADD\s+COLUMN\s+(?<ifNotExists>IF\s+NOT\s+EXISTS\s+)?(?<column>\w+)\s", RegexOptions.IgnoreCase)]
    private static partial Regex AddColumn();
}
