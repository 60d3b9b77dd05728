using System.Data.Common;
using System.Text.Json;
using CalendarConnect.Infrastructure;
using Dapper;

namespace CalendarConnect.Backend.Storage;

/// <summary>A company's connection status as the MCP server's feed told it, with the feed's seq of that change.</summary>
public sealed record KnownStatusChange(string CustomerId, string Status, long Seq);

/// <summary>One answer of the MCP server's feed, as <see cref="KnownCalendarStatuses.ApplyAsync"/> takes it.</summary>
/// <param name="AskedAfter">The cursor the answer was asked with.</param>
public sealed record KnownStatusPage(string FeedId, IReadOnlyList<KnownStatusChange> Changes, long AskedAfter, long Cursor, long LastSeq);

/// <summary>What <see cref="KnownCalendarStatuses.ApplyAsync"/> did with a page.</summary>
public enum KnownStatusApply
{
    /// <summary>The changes are stored and the cursor is past them.</summary>
    Applied,

    /// <summary>
    /// The page belongs to another feed than the stored one (the MCP server's database was replaced or went back), or
    /// to a cursor another replica has since reset: nothing applied; read again from the stored cursor.
    /// </summary>
    ReadAgain,
}

/// <summary>
/// The statuses this backend has learned from the MCP server's feed of status changes (GET
/// /customers/calendar-status/changes): customer_calendar_statuses (every company the feed named, with its seq),
/// customer_memory.calendar_status (what the list filters on) and the cursor in customer_status_feed, which every
/// replica sharing CUSTOMER_DB shares. Applying is idempotent: a change older than the one stored is ignored, so
/// replicas may apply the same page, in any order.
/// </summary>
public sealed class KnownCalendarStatuses(CustomerDatabase database)
{
    /// <summary>
    /// PostgreSQL advisory-lock key ("statuses" in ASCII). Applying a page takes it exclusively and inserting a company
    /// shares it, so a company inserted while a change for its id is applied still gets that change.
    /// </summary>
    private const long StatusLockKey = 0x7374617475736573;

    /// <summary>The feed the stored statuses come from (null before the first answer) and the seq they are current to.</summary>
    public async Task<(string? FeedId, long Seq)> ReadCursorAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<CursorRow>(new CommandDefinition(
            "SELECT feed_id, seq FROM customer_status_feed WHERE id = 1;", cancellationToken: cancellationToken));
        return (row.feed_id, row.seq);
    }

    /// <summary>
    /// Stores a page of changes and moves the cursor past it, in one transaction. A page from another feed than the
    /// stored one, or whose newest seq is behind the stored cursor, first forgets every status learned (the companies
    /// are not_connected until the new feed says otherwise) and restarts the cursor at 0.
    /// </summary>
    public async Task<KnownStatusApply> ApplyAsync(KnownStatusPage page, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockAsync(connection, transaction, database.Engine, exclusive: true, cancellationToken);
        var stored = await connection.QuerySingleAsync<CursorRow>(new CommandDefinition(
            "SELECT feed_id, seq FROM customer_status_feed WHERE id = 1;", transaction: transaction, cancellationToken: cancellationToken));
        var storedSeq = stored.seq;
        if (stored.feed_id != page.FeedId || page.LastSeq < stored.seq)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                DELETE FROM customer_calendar_statuses;
                UPDATE customer_memory SET calendar_status = @notConnected WHERE calendar_status <> @notConnected;
                UPDATE customer_status_feed SET feed_id = @feedId, seq = 0 WHERE id = 1;
                """, new { feedId = page.FeedId, notConnected = ConnectionStatus.NotConnected }, transaction, cancellationToken: cancellationToken));
            storedSeq = 0;
        }
        // Read from further than the stored cursor (another replica started the feed again meanwhile): the changes in
        // between would be missed.
        if (page.AskedAfter > storedSeq)
        {
            await transaction.CommitAsync(cancellationToken);
            return KnownStatusApply.ReadAgain;
        }

        if (page.Changes.Count > 0)
        {
            // One change per company (the newest), as JSON: the same statement for any number of changes.
            var changes = JsonSerializer.Serialize(page.Changes
                .GroupBy(c => c.CustomerId, StringComparer.Ordinal)
                .Select(g => g.MaxBy(c => c.Seq)!)
                .Select(c => new Dictionary<string, object> { ["customer_id"] = c.CustomerId, ["status"] = c.Status, ["seq"] = c.Seq }));
            var rows = database.Engine == DatabaseEngine.Sqlite
                ? "SELECT json_extract(value, '$.customer_id') AS customer_id, json_extract(value, '$.status') AS status, json_extract(value, '$.seq') AS seq FROM json_each(@changes) WHERE true"
                : "SELECT customer_id, status, seq FROM jsonb_to_recordset(CAST(@changes AS jsonb)) AS c(customer_id text, status text, seq bigint)";
            await connection.ExecuteAsync(new CommandDefinition($"""
                INSERT INTO customer_calendar_statuses (customer_id, status, seq)
                {rows}
                ON CONFLICT (customer_id) DO UPDATE SET status = excluded.status, seq = excluded.seq
                    WHERE excluded.seq > customer_calendar_statuses.seq;
                UPDATE customer_memory SET calendar_status = s.status
                FROM customer_calendar_statuses s
                WHERE s.customer_id = customer_memory.customer_id AND customer_memory.calendar_status <> s.status
                  AND s.customer_id IN (SELECT customer_id FROM ({rows}) AS changed);
                """, new { changes }, transaction, cancellationToken: cancellationToken));
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE customer_status_feed SET seq = @cursor WHERE id = 1 AND seq < @cursor;",
            new { cursor = page.Cursor }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return KnownStatusApply.Applied;
    }

    /// <summary>PostgreSQL: the status lock for the rest of the transaction (SQLite has one writer at a time anyway).</summary>
    internal static async Task LockAsync(DbConnection connection, DbTransaction transaction, DatabaseEngine engine, bool exclusive,
        CancellationToken cancellationToken)
    {
        if (engine != DatabaseEngine.Postgres) return;
        var function = exclusive ? "pg_advisory_xact_lock" : "pg_advisory_xact_lock_shared";
        await connection.ExecuteAsync(new CommandDefinition($"SELECT {function}(@key);", new { key = StatusLockKey }, transaction,
            cancellationToken: cancellationToken));
    }

#pragma warning disable IDE1006 // Dapper maps columns by name
    private sealed class CursorRow
    {
        public string? feed_id { get; init; }
        public long seq { get; init; }
    }
#pragma warning restore IDE1006
}
