using System.Data.Common;
using System.Globalization;
using Dapper;

namespace CalendarConnect.Infrastructure.Leases;

/// <summary>A table of leases: one row per key (<paramref name="KeyColumn"/>, holder, expires_at), each living <paramref name="Duration"/> unless renewed.</summary>
public sealed record LeaseTable(string Name, string KeyColumn, TimeSpan Duration);

/// <summary>
/// A further condition for taking a lease (say, nobody waits ahead in a line): SQL over <c>@key</c>, <c>@now</c> and
/// <paramref name="Parameters"/>.
/// </summary>
public sealed record LeaseCondition(string Sql, object Parameters);

/// <summary>
/// Leases in a database, so that across replicas and processes at most one holder works on a key at a time: taken with
/// one atomic upsert when the key's lease is free, expired or already the holder's; renewed by the holder while it
/// works; given back by deleting the row. A lease expires by itself, so a holder that died blocks nobody for longer
/// than the table's duration. Times are fixed-width UTC text to the millisecond (<see cref="Format"/>), which orders
/// as time does on both engines.
/// </summary>
public sealed class DatabaseLeases(LeaseTable table, Func<CancellationToken, Task<DbConnection>> open, TimeProvider time)
{
    public TimeSpan Duration => table.Duration;

    /// <summary>'2025-01-20T12:00:00.250Z': whole seconds would cut a lease of a few seconds short by up to one.</summary>
    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Takes the lease on <paramref name="key"/> for <paramref name="holder"/>; true when it is now the holder's.</summary>
    public async Task<bool> TryAcquireAsync(string key, string holder, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        return await TryAcquireAsync(connection, null, key, holder);
    }

    /// <summary>
    /// Takes the lease in one statement on the caller's connection (and transaction), when it is free, expired or the
    /// holder's, and <paramref name="condition"/> holds. Not cancellable once sent: a lease taken but believed not taken
    /// would hold everyone back until it expired.
    /// </summary>
    public async Task<bool> TryAcquireAsync(DbConnection connection, DbTransaction? transaction, string key, string holder, LeaseCondition? condition = null)
    {
        var now = time.GetUtcNow();
        var parameters = new DynamicParameters(condition?.Parameters);
        parameters.AddDynamicParams(new { key, holder, now = Format(now), expiresAt = Format(now + table.Duration) });
        // SQLite needs the WHERE of an INSERT … SELECT before ON CONFLICT (it has one); both engines take the statement.
        var taken = await connection.QuerySingleOrDefaultAsync<string>(
            $"""
            INSERT INTO {table.Name} ({table.KeyColumn}, holder, expires_at)
            SELECT @key, @holder, @expiresAt
            WHERE {condition?.Sql ?? "1 = 1"}
            ON CONFLICT ({table.KeyColumn}) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE {table.Name}.expires_at <= @now OR {table.Name}.holder = excluded.holder
            RETURNING holder
            """, parameters, transaction);
        return taken == holder;
    }

    /// <summary>Extends the lease while <paramref name="holder"/> still has it; false when it was lost (expired, or taken over).</summary>
    public async Task<bool> RenewAsync(string key, string holder, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await open(cancellationToken);
        return await connection.ExecuteAsync(
            $"UPDATE {table.Name} SET expires_at = @expiresAt WHERE {table.KeyColumn} = @key AND holder = @holder AND expires_at > @now",
            new { key, holder, now = Format(now), expiresAt = Format(now + table.Duration) }) == 1;
    }

    /// <summary>Whether someone other than <paramref name="holder"/> holds a live lease on <paramref name="key"/>.</summary>
    public async Task<bool> IsHeldByAnotherAsync(string key, string holder, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(
            $"SELECT COUNT(*) FROM {table.Name} WHERE {table.KeyColumn} = @key AND holder <> @holder AND expires_at > @now",
            new { key, holder, now = Format(time.GetUtcNow()) }) > 0;
    }

    /// <summary>Gives the lease back if <paramref name="holder"/> has it. Not cancellable: a lease must be given back even when the work that took it was cancelled.</summary>
    public async Task ReleaseAsync(string key, string holder)
    {
        await using var connection = await open(CancellationToken.None);
        await connection.ExecuteAsync($"DELETE FROM {table.Name} WHERE {table.KeyColumn} = @key AND holder = @holder", new { key, holder });
    }
}
