using CalendarConnect.McpServer.Mirror;
using CalendarConnect.McpServer.Storage;
using Dapper;

namespace CalendarConnect.McpServer.SystemStatus;

/// <summary>The failures counted in a window: the total of each kind (every kind present, 0 when none), and the latest buckets.</summary>
public sealed record GoogleFailureSummary(IReadOnlyDictionary<string, long> ByKind, IReadOnlyList<GoogleFailureBucket> Latest);

/// <summary>
/// The table google_failures of tokens.db (migration 18): one row per company, kind and minute, written by every replica
/// (counts are added, so two replicas' failures of one minute add up), read by the status view of any of them.
/// </summary>
public sealed class GoogleFailureStore(TokenDatabase database)
{
    // Classes with setters, not positional records: Dapper converts the engines' integer widths for properties only.
#pragma warning disable IDE1006
    private sealed class FailureRow
    {
        public string customer_id { get; init; } = "";
        public string kind { get; init; } = "";
        public string minute { get; init; } = "";
        public long failures { get; init; }
        public string reason { get; init; } = "";
        public long? http_status { get; init; }
        public string last_at { get; init; } = "";
    }

    private sealed class KindTotal
    {
        public string kind { get; init; } = "";
        public long total { get; init; }
    }
#pragma warning restore IDE1006

    /// <summary>Adds the counts to the stored ones; the later failure's reason, status and time win.</summary>
    public async Task AddAsync(IReadOnlyList<GoogleFailureBucket> buckets, CancellationToken cancellationToken)
    {
        if (buckets.Count == 0) return;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var bucket in buckets)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO google_failures (customer_id, kind, minute, failures, reason, http_status, last_at)
                VALUES (@customerId, @kind, @minute, @failures, @reason, @httpStatus, @lastAt)
                ON CONFLICT (customer_id, kind, minute) DO UPDATE SET
                    failures = google_failures.failures + excluded.failures,
                    reason = CASE WHEN excluded.last_at >= google_failures.last_at THEN excluded.reason ELSE google_failures.reason END,
                    http_status = CASE WHEN excluded.last_at >= google_failures.last_at THEN excluded.http_status ELSE google_failures.http_status END,
                    last_at = CASE WHEN excluded.last_at >= google_failures.last_at THEN excluded.last_at ELSE google_failures.last_at END
                """,
                new
                {
                    customerId = bucket.CustomerId,
                    kind = bucket.Kind,
                    minute = MirrorTime.Format(bucket.Minute),
                    failures = bucket.Failures,
                    reason = bucket.Reason,
                    httpStatus = (long?)bucket.HttpStatus,
                    lastAt = MirrorTime.Format(bucket.LastAt),
                },
                transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Deletes the minutes before <paramref name="before"/>; how many rows went.</summary>
    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM google_failures WHERE minute < @before",
            new { before = MirrorTime.Format(GoogleFailures.MinuteOf(before)) }, cancellationToken: cancellationToken));
    }

    /// <summary>The minutes from the one holding <paramref name="since"/> on: totals per kind and the <paramref name="latest"/> most recent buckets.</summary>
    public async Task<GoogleFailureSummary> ReadAsync(DateTimeOffset since, int latest, CancellationToken cancellationToken)
    {
        var from = MirrorTime.Format(GoogleFailures.MinuteOf(since));
        await using var connection = await database.OpenAsync(cancellationToken);
        var totals = await connection.QueryAsync<KindTotal>(new CommandDefinition(
            "SELECT kind, SUM(failures) AS total FROM google_failures WHERE minute >= @from GROUP BY kind", new { from }, cancellationToken: cancellationToken));
        var rows = await connection.QueryAsync<FailureRow>(new CommandDefinition("""
            SELECT customer_id, kind, minute, failures, reason, http_status, last_at FROM google_failures
            WHERE minute >= @from ORDER BY last_at DESC, customer_id, kind LIMIT @latest
            """, new { from, latest }, cancellationToken: cancellationToken));
        var byKind = GoogleFailureKinds.All.ToDictionary(k => k, _ => 0L);
        foreach (var total in totals) byKind[total.kind] = total.total;
        return new GoogleFailureSummary(byKind, rows.Select(ToBucket).ToList());
    }

    private static GoogleFailureBucket ToBucket(FailureRow row) => new(row.customer_id, row.kind, ParseTime(row.minute), row.failures, row.reason,
        row.http_status is { } status ? (int)status : null, ParseTime(row.last_at));

    private static DateTimeOffset ParseTime(string text) => MirrorTime.Parse(text)?.ToDateTimeOffset() ?? DateTimeOffset.MinValue;
}
