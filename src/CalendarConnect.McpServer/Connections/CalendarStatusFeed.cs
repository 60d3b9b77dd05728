using System.Text.Json.Serialization;
using CalendarConnect.McpServer.Storage;
using Dapper;

namespace CalendarConnect.McpServer.Connections;

/// <summary>One company's latest connection status in the feed, and the seq it was recorded with.</summary>
public sealed record CalendarStatusChange(
    [property: JsonPropertyName("customer_id")] string CustomerId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("seq")] long Seq);

/// <summary>
/// GET /customers/calendar-status/changes answer: the changes after the reader's cursor, in seq order, and the cursor
/// to ask with next time.
/// </summary>
/// <param name="FeedId">Names this feed; another value than the reader's means the database was replaced: start again from 0.</param>
/// <param name="Cursor">The seq of the last change answered (the cursor asked with when there is none).</param>
/// <param name="HasMore">More changes follow the cursor: ask again at once.</param>
/// <param name="LastSeq">The newest seq in the feed; below the reader's cursor means the feed went back (a restored backup).</param>
public sealed record CalendarStatusChanges(
    [property: JsonPropertyName("feed_id")] string FeedId,
    [property: JsonPropertyName("changes")] IReadOnlyList<CalendarStatusChange> Changes,
    [property: JsonPropertyName("cursor")] long Cursor,
    [property: JsonPropertyName("has_more")] bool HasMore,
    [property: JsonPropertyName("last_seq")] long LastSeq);

/// <summary>
/// The table calendar_status_changes: one row per company that ever had tokens, with its latest status. Database
/// triggers on oauth_tokens write it (TokenSchema migration 13), in the same transaction as the status itself, so
/// no code path can change a status without the feed knowing; this class only reads it.
/// </summary>
public sealed class CalendarStatusFeed(TokenDatabase database)
{
    public const int DefaultLimit = 500;
    public const int MaxLimit = 1000;

    public async Task<CalendarStatusChanges> ReadAsync(long after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // One row more than asked says whether more follow.
        var rows = (await connection.QueryAsync<ChangeRow>(new CommandDefinition(
            "SELECT customer_id, status, seq FROM calendar_status_changes WHERE seq > @after ORDER BY seq LIMIT @take",
            new { after, take = limit + 1 }, cancellationToken: cancellationToken))).ToList();
        // Read after the changes, so it is never below the last one answered.
        var feed = await connection.QuerySingleAsync<FeedRow>(new CommandDefinition(
            "SELECT (SELECT feed_id FROM calendar_status_feed LIMIT 1) AS feed_id, (SELECT COALESCE(MAX(seq), 0) FROM calendar_status_changes) AS last_seq",
            cancellationToken: cancellationToken));
        var changes = rows.Take(limit).Select(r => new CalendarStatusChange(r.customer_id, r.status, r.seq)).ToList();
        return new CalendarStatusChanges(feed.feed_id, changes, changes.Count > 0 ? changes[^1].Seq : after, rows.Count > limit, feed.last_seq);
    }

#pragma warning disable IDE1006 // Dapper maps columns by name
    private sealed record ChangeRow(string customer_id, string status, long seq);

    private sealed record FeedRow(string feed_id, long last_seq);
#pragma warning restore IDE1006
}
