using System.Data.Common;
using System.Text.Json;
using CalendarConnect.McpServer.Availability;
using CalendarConnect.McpServer.Storage;
using Dapper;
using NodaTime;

namespace CalendarConnect.McpServer.Mirror;

/// <summary>What the mirror knows of one calendar, as reads judge it.</summary>
public sealed record CalendarMirrorState(
    string CalendarId, bool HasSyncToken, Instant? WindowStart, Instant? WindowEnd, Instant? SyncedAt, Instant? DirtySince,
    Instant? PushingUntil)
{
    /// <summary>
    /// Whether busy time between two instants can be answered from the mirror: a completed sync whose window covers the
    /// range, not older than the policy allows (a confirmed push channel lets it be older: changes arrive as
    /// notifications), and no notification waiting longer than the grace for its sync.
    /// </summary>
    public bool IsFreshFor(Instant from, Instant to, Instant now, MirrorPolicy policy)
    {
        if (!HasSyncToken || SyncedAt is not { } synced || WindowStart is not { } windowStart || WindowEnd is not { } windowEnd) return false;
        if (from < windowStart || to > windowEnd) return false;
        if (DirtySince is { } dirty && now - dirty > Duration.FromTimeSpan(policy.NotificationGrace)) return false;
        var pushing = PushingUntil is { } until && until > now;
        return now - synced <= Duration.FromTimeSpan(pushing ? policy.MaxAgeWithPush : policy.MaxAgeWithoutPush);
    }
}

/// <summary>
/// An event as the mirror keeps it: its span (none for a tombstone), whether it blocks time, and Google's <c>updated</c>.
/// <see cref="Cancelled"/> is only used while applying a change (a deleted series takes its instances with it).
/// </summary>
public sealed record MirroredEvent(string EventId, Instant? Start, Instant? End, bool Busy, string Updated, bool Cancelled = false);

/// <summary>A calendar's sync bookkeeping, as the sync reads it before it starts.</summary>
public sealed record CalendarSyncState(string CustomerId, string CalendarId, string? SyncToken, Instant? WindowEnd, Instant? SyncedAt,
    Instant? DirtySince, Instant? WatchRetryAt, Instant? ReadAt, int Failures, Instant? UnannouncedAt = null);

/// <summary>A push channel we opened at Google.</summary>
public sealed record MirrorChannel(string ChannelId, string CustomerId, string CalendarId, string TokenHash, string? ResourceId, Instant? ExpiresAt,
    Instant? ConfirmedAt, Instant CreatedAt);

/// <summary>Everything a replica's in-memory copy holds of one company, read in one go.</summary>
public sealed record CompanyMirrorRows(long Version, IReadOnlyList<CalendarMirrorState> Calendars, IReadOnlyDictionary<string, List<MirroredEvent>> BusyEvents);

/// <summary>
/// The mirror's tables in TOKEN_DB (migration 12), on SQLite and PostgreSQL alike. Every change a read could see bumps
/// the company's row in <c>busy_versions</c> in the same transaction (<see cref="BusyVersions"/>).
/// </summary>
public sealed class MirrorStore(TokenDatabase database, BusyVersions versions)
{
    // Classes with setters, not positional records: the engines disagree on integer widths (SQLite long, PostgreSQL int),
    // which Dapper converts for properties but not for constructor parameters.
#pragma warning disable IDE1006
    private sealed class CalendarRow
    {
        public string customer_id { get; init; } = "";
        public string calendar_id { get; init; } = "";
        public string? sync_token { get; init; }
        public string? window_start { get; init; }
        public string? window_end { get; init; }
        public string? synced_at { get; init; }
        public string? dirty_since { get; init; }
        public string? watch_retry_at { get; init; }
        public string? read_at { get; init; }
        public string? unannounced_at { get; init; }
        public int failures { get; init; }
    }

    private const string CalendarColumns =
        "customer_id, calendar_id, sync_token, window_start, window_end, synced_at, dirty_since, watch_retry_at, read_at, unannounced_at, failures";

    private sealed class EventRow
    {
        public string calendar_id { get; init; } = "";
        public string event_id { get; init; } = "";
        public string? start_utc { get; init; }
        public string? end_utc { get; init; }
        public int busy { get; init; }
        public string updated { get; init; } = "";
    }
#pragma warning restore IDE1006

    private sealed record ChannelRow(string channel_id, string customer_id, string calendar_id, string token_hash, string? resource_id,
        string? expires_at, string? confirmed_at, string created_at);

    private const string ChannelColumns = "channel_id, customer_id, calendar_id, token_hash, resource_id, expires_at, confirmed_at, created_at";

    // ---- which calendars are mirrored ----

    /// <summary>
    /// Makes the mirrored calendars those of the connected companies (every id of their <c>calendar_ids</c>), or of one
    /// company: adds the missing ones (due now) and removes the others with their events. Returns the channels of removed
    /// calendars, for the caller to stop at Google.
    /// </summary>
    public async Task<IReadOnlyList<MirrorChannel>> ReconcileAsync(string? customerId, Instant now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var filter = customerId is null ? "" : " AND t.customer_id = @customerId";
        var companies = await connection.QueryAsync<(string customer_id, string? settings_json)>(
            $"""
            SELECT t.customer_id, s.settings_json FROM oauth_tokens t LEFT JOIN booking_settings s ON s.customer_id = t.customer_id
            WHERE t.status = 'connected'{filter}
            """, new { customerId });
        var desired = new HashSet<(string, string)>();
        foreach (var (company, json) in companies)
            foreach (var calendarId in CalendarIdsOf(json))
                desired.Add((company, calendarId));

        var existing = (await connection.QueryAsync<(string customer_id, string calendar_id)>(
            "SELECT customer_id, calendar_id FROM mirror_calendars" + (customerId is null ? "" : " WHERE customer_id = @customerId"),
            new { customerId })).ToHashSet();
        var removed = existing.Where(e => !desired.Contains(e)).ToList();
        var added = desired.Where(d => !existing.Contains(d)).ToList();
        if (removed.Count == 0 && added.Count == 0) return [];

        var stopped = new List<MirrorChannel>();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (company, calendarId) in added)
            await connection.ExecuteAsync(
                "INSERT INTO mirror_calendars (customer_id, calendar_id, next_sync_at) VALUES (@company, @calendarId, @now) ON CONFLICT DO NOTHING",
                new { company, calendarId, now = MirrorTime.Format(now) }, transaction);
        foreach (var (company, calendarId) in removed)
        {
            stopped.AddRange((await connection.QueryAsync<ChannelRow>(
                    $"SELECT {ChannelColumns} FROM mirror_channels WHERE customer_id = @company AND calendar_id = @calendarId", new { company, calendarId }, transaction))
                .Select(ToChannel));
            await DeleteCalendarAsync(connection, transaction, company, calendarId);
        }

        foreach (var company in added.Select(a => a.Item1).Concat(removed.Select(r => r.Item1)).Distinct())
            await versions.BumpAsync(connection, transaction, company);
        await transaction.CommitAsync(cancellationToken);
        foreach (var company in added.Select(a => a.Item1).Concat(removed.Select(r => r.Item1)).Distinct()) versions.Changed(company);
        return stopped;
    }

    /// <summary>Forgets everything mirrored of a company (disconnected, or connected again, maybe to another Google account).</summary>
    public async Task<IReadOnlyList<MirrorChannel>> ForgetCompanyAsync(string customerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var channels = (await connection.QueryAsync<ChannelRow>($"SELECT {ChannelColumns} FROM mirror_channels WHERE customer_id = @customerId", new { customerId },
            transaction)).Select(ToChannel).ToList();
        foreach (var table in new[] { "mirror_events", "mirror_channels", "mirror_calendars" })
            await connection.ExecuteAsync($"DELETE FROM {table} WHERE customer_id = @customerId", new { customerId }, transaction);
        await versions.BumpAsync(connection, transaction, customerId);
        await transaction.CommitAsync(cancellationToken);
        versions.Changed(customerId);
        return channels;
    }

    private static async Task DeleteCalendarAsync(DbConnection connection, DbTransaction transaction, string customerId, string calendarId)
    {
        foreach (var table in new[] { "mirror_events", "mirror_channels", "mirror_calendars" })
            await connection.ExecuteAsync($"DELETE FROM {table} WHERE customer_id = @customerId AND calendar_id = @calendarId",
                new { customerId, calendarId }, transaction);
    }

    /// <summary>The calendar ids a company's stored settings name (the defaults when it saved none); none when they no longer validate.</summary>
    private static IReadOnlyList<string> CalendarIdsOf(string? settingsJson)
    {
        if (settingsJson is null) return BookingSettings.Default.CalendarIds;
        try
        {
            using var document = JsonDocument.Parse(settingsJson);
            return BookingSettingsJson.Parse(document.RootElement).Settings?.CalendarIds ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    // ---- the sync's bookkeeping ----

    /// <summary>The last sync of the calendar synced longest ago (null when none was ever synced); for telemetry.</summary>
    public async Task<Instant?> OldestSyncAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Fixed-width UTC text (MirrorTime): the smallest is the oldest, on both engines.
        return MirrorTime.Parse(await connection.ExecuteScalarAsync<string?>("SELECT MIN(synced_at) FROM mirror_calendars"));
    }

    /// <summary>Calendars due for a sync and not being synced by anyone, most overdue first.</summary>
    public async Task<IReadOnlyList<(string CustomerId, string CalendarId)>> DueAsync(Instant now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string customer_id, string calendar_id)>(
            """
            SELECT customer_id, calendar_id FROM mirror_calendars
            WHERE next_sync_at <= @now AND (lease_until IS NULL OR lease_until < @now)
            ORDER BY next_sync_at LIMIT @limit
            """, new { now = MirrorTime.Format(now), limit });
        return rows.Select(r => (r.customer_id, r.calendar_id)).ToList();
    }

    /// <summary>Takes the calendar's sync lease (also renews one we hold): only its holder syncs it or changes its channels.</summary>
    public async Task<CalendarSyncState?> TryLeaseAsync(string customerId, string calendarId, string holder, Instant now, Instant until,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var taken = await connection.ExecuteAsync(
            """
            UPDATE mirror_calendars SET lease_holder = @holder, lease_until = @until
            WHERE customer_id = @customerId AND calendar_id = @calendarId AND (lease_until IS NULL OR lease_until < @now OR lease_holder = @holder)
            """, new { customerId, calendarId, holder, now = MirrorTime.Format(now), until = MirrorTime.Format(until) });
        if (taken != 1) return null;
        var row = await connection.QuerySingleAsync<CalendarRow>(
            $"SELECT {CalendarColumns} FROM mirror_calendars WHERE customer_id = @customerId AND calendar_id = @calendarId", new { customerId, calendarId });
        return new CalendarSyncState(row.customer_id, row.calendar_id, row.sync_token, MirrorTime.Parse(row.window_end), MirrorTime.Parse(row.synced_at),
            MirrorTime.Parse(row.dirty_since), MirrorTime.Parse(row.watch_retry_at), MirrorTime.Parse(row.read_at), row.failures,
            MirrorTime.Parse(row.unannounced_at));
    }

    public async Task ReleaseLeaseAsync(string customerId, string calendarId, string holder)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            "UPDATE mirror_calendars SET lease_holder = NULL, lease_until = NULL WHERE customer_id = @customerId AND calendar_id = @calendarId AND lease_holder = @holder",
            new { customerId, calendarId, holder });
    }

    /// <summary>
    /// Saves a sync's result, only while <paramref name="holder"/> still holds the lease. A full sync replaces every
    /// event of the calendar; an incremental one applies each change unless the stored copy is newer (our own write may
    /// have recorded it after this sync asked Google). A notification that came in after the sync started keeps the
    /// calendar dirty and due at once. False when the lease was lost and nothing was saved.
    /// </summary>
    /// <param name="unannouncedAt">When a change no notification announced (yet) was made; kept until a notification comes or a later sync judges it.</param>
    public async Task<bool> SaveSyncAsync(string holder, string customerId, string calendarId, bool full, IReadOnlyList<MirroredEvent> events,
        string syncToken, Instant? windowStart, Instant? windowEnd, Instant startedAt, Instant nextSyncAt, Instant now, Instant? unannouncedAt,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var updated = await connection.ExecuteAsync(
            $"""
            UPDATE mirror_calendars SET sync_token = @syncToken, synced_at = @startedAt, failures = 0, last_error = NULL,
                {(full ? "window_start = @windowStart, window_end = @windowEnd," : "")}
                unannounced_at = CASE WHEN notified_at >= @startedAt THEN NULL ELSE @unannouncedAt END,
                dirty_since = CASE WHEN notified_at >= @startedAt THEN notified_at ELSE NULL END,
                next_sync_at = CASE WHEN notified_at >= @startedAt THEN @now ELSE @nextSyncAt END,
                lease_holder = NULL, lease_until = NULL
            WHERE customer_id = @customerId AND calendar_id = @calendarId AND lease_holder = @holder
            """,
            new
            {
                customerId, calendarId, holder, syncToken, startedAt = MirrorTime.Format(startedAt), now = MirrorTime.Format(now),
                nextSyncAt = MirrorTime.Format(nextSyncAt),
                windowStart = windowStart is { } ws ? MirrorTime.Format(ws) : null, windowEnd = windowEnd is { } we ? MirrorTime.Format(we) : null,
                unannouncedAt = unannouncedAt is { } u ? MirrorTime.Format(u) : null,
            }, transaction);
        if (updated != 1) return false;

        // A full sync replaces what the calendar held, except our own writes recorded after it asked Google (newer than
        // its listing); the upserts below keep the newer of each event.
        if (full)
            await connection.ExecuteAsync(
                "DELETE FROM mirror_events WHERE customer_id = @customerId AND calendar_id = @calendarId AND updated < @startedAt",
                new { customerId, calendarId, startedAt = MirrorTime.Format(startedAt) }, transaction);
        foreach (var item in events)
        {
            await UpsertEventAsync(connection, transaction, customerId, calendarId, item);
            // A deleted series may come as its master's tombstone only: its instances ("{id}_{start}") are gone too.
            if (!full && item.Cancelled)
                await connection.ExecuteAsync(
                    """
                    UPDATE mirror_events SET busy = 0, updated = @updated
                    WHERE customer_id = @customerId AND calendar_id = @calendarId AND event_id LIKE @instances ESCAPE '\' AND updated <= @updated
                    """, new { customerId, calendarId, updated = item.Updated, instances = EscapeLike(item.EventId) + "\\_%" }, transaction);
        }

        await versions.BumpAsync(connection, transaction, customerId);
        await transaction.CommitAsync(cancellationToken);
        versions.Changed(customerId);
        return true;
    }

    private static string EscapeLike(string value) => value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    /// <summary>Records a failed sync: due again after a growing back-off; <paramref name="forgetSyncToken"/> forces the next one to be full.</summary>
    public async Task SaveFailureAsync(string holder, string customerId, string calendarId, string reason, Instant nextSyncAt, bool forgetSyncToken)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            $"""
            UPDATE mirror_calendars SET failures = failures + 1, last_error = @reason, next_sync_at = @nextSyncAt,
                {(forgetSyncToken ? "sync_token = NULL," : "")} lease_holder = NULL, lease_until = NULL
            WHERE customer_id = @customerId AND calendar_id = @calendarId AND lease_holder = @holder
            """, new { customerId, calendarId, holder, reason, nextSyncAt = MirrorTime.Format(nextSyncAt) });
    }

    /// <summary>A notification said the calendar changed: it is dirty (reads stop trusting it after the grace) and due now, unless backing off.</summary>
    public async Task MarkDirtyAsync(string customerId, string calendarId, Instant now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var at = MirrorTime.Format(now);
        var changed = await connection.ExecuteAsync(
            """
            UPDATE mirror_calendars SET dirty_since = COALESCE(dirty_since, @at), notified_at = @at, unannounced_at = NULL,
                next_sync_at = CASE WHEN failures > 0 AND next_sync_at > @at THEN next_sync_at ELSE @at END
            WHERE customer_id = @customerId AND calendar_id = @calendarId
            """, new { customerId, calendarId, at }, transaction);
        if (changed == 1) await versions.BumpAsync(connection, transaction, customerId);
        await transaction.CommitAsync(cancellationToken);
        if (changed == 1) versions.Changed(customerId);
    }

    /// <summary>Calendars of a company that a read found stale: due now (the read itself went live).</summary>
    public async Task MarkDueAsync(string customerId, Instant now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var at = MirrorTime.Format(now);
        await connection.ExecuteAsync(
            """
            UPDATE mirror_calendars SET next_sync_at = @at, read_at = @at
            WHERE customer_id = @customerId AND next_sync_at > @at AND failures = 0
            """, new { customerId, at });
    }

    /// <summary>
    /// Remembers that companies were read lately, so whoever syncs their calendars keeps them polled (a few writes a
    /// minute at most). A calendar idle until now was scheduled far ahead: it is due at once, and polled from then on.
    /// </summary>
    public async Task MarkReadAsync(IReadOnlyCollection<string> customerIds, Instant now, Instant idleBefore, CancellationToken cancellationToken)
    {
        if (customerIds.Count == 0) return;
        await using var connection = await database.OpenAsync(cancellationToken);
        var at = MirrorTime.Format(now);
        var idle = MirrorTime.Format(idleBefore);
        await connection.ExecuteAsync(
            """
            UPDATE mirror_calendars SET read_at = @at,
                next_sync_at = CASE WHEN (read_at IS NULL OR read_at < @idle) AND failures = 0 AND next_sync_at > @at THEN @at ELSE next_sync_at END
            WHERE customer_id = @customerId
            """, customerIds.Select(customerId => new { customerId, at, idle }));
    }

    /// <summary>Our own write (booking, move, cancel) as Google answered it: in the mirror at once, not at the next sync.</summary>
    public async Task ApplyOwnWriteAsync(string customerId, string calendarId, MirroredEvent item, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var mirrored = await connection.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM mirror_calendars WHERE customer_id = @customerId AND calendar_id = @calendarId", new { customerId, calendarId }, transaction);
        if (mirrored == 0) return;
        if (item.Cancelled)
        {
            // Google's answer to a deletion has no `updated`: stamp it after whatever is stored, so no listing made before
            // the deletion brings the event back, whichever way our clock and Google's disagree.
            var stored = MirrorTime.Parse(await connection.ExecuteScalarAsync<string?>(
                "SELECT updated FROM mirror_events WHERE customer_id = @customerId AND calendar_id = @calendarId AND event_id = @eventId",
                new { customerId, calendarId, eventId = item.EventId }, transaction));
            var now = MirrorTime.Parse(item.Updated)!.Value;
            if (stored is { } previous && previous >= now) item = item with { Updated = MirrorTime.Format(previous + Duration.FromMilliseconds(1)) };
        }

        await UpsertEventAsync(connection, transaction, customerId, calendarId, item);
        await versions.BumpAsync(connection, transaction, customerId);
        await transaction.CommitAsync(cancellationToken);
        versions.Changed(customerId);
    }

    private static Task UpsertEventAsync(DbConnection connection, DbTransaction transaction, string customerId, string calendarId, MirroredEvent item) =>
        // The same statement on both engines; an older answer never overwrites a newer one.
        connection.ExecuteAsync(
            """
            INSERT INTO mirror_events (customer_id, calendar_id, event_id, start_utc, end_utc, busy, updated)
            VALUES (@customerId, @calendarId, @eventId, @start, @end, @busy, @updated)
            ON CONFLICT (customer_id, calendar_id, event_id) DO UPDATE SET start_utc = excluded.start_utc, end_utc = excluded.end_utc,
                busy = excluded.busy, updated = excluded.updated
            WHERE mirror_events.updated <= excluded.updated
            """,
            new
            {
                customerId, calendarId, eventId = item.EventId,
                start = item.Start is { } s ? MirrorTime.Format(s) : null, end = item.End is { } e ? MirrorTime.Format(e) : null,
                busy = item.Busy ? 1 : 0, updated = item.Updated,
            }, transaction);

    // ---- push channels ----

    /// <summary>
    /// Records a channel before Google is asked to open it, so its first ("sync") notification already finds it; only while
    /// <paramref name="holder"/> holds the calendar's lease (a calendar forgotten meanwhile gets no channel). False when not.
    /// </summary>
    public async Task<bool> AddChannelAsync(MirrorChannel channel, string holder, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            """
            INSERT INTO mirror_channels (channel_id, customer_id, calendar_id, token_hash, resource_id, expires_at, created_at)
            SELECT @channelId, @customerId, @calendarId, @tokenHash, NULL, NULL, @createdAt
            WHERE EXISTS (SELECT 1 FROM mirror_calendars WHERE customer_id = @customerId AND calendar_id = @calendarId AND lease_holder = @holder)
            """, new { channelId = channel.ChannelId, customerId = channel.CustomerId, calendarId = channel.CalendarId, tokenHash = channel.TokenHash,
                createdAt = MirrorTime.Format(channel.CreatedAt), holder }) == 1;
    }

    /// <summary>
    /// Google opened the channel: its resource id and expiration are known. False when the channel's row is gone (the
    /// company was forgotten meanwhile): the caller stops the channel at Google.
    /// </summary>
    public async Task<bool> OpenedChannelAsync(MirrorChannel channel, string? resourceId, Instant expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var found = await connection.ExecuteAsync("UPDATE mirror_channels SET resource_id = @resourceId, expires_at = @expiresAt WHERE channel_id = @channelId",
            new { channelId = channel.ChannelId, resourceId, expiresAt = MirrorTime.Format(expiresAt) }, transaction);
        if (found == 0) return false;
        await connection.ExecuteAsync("UPDATE mirror_calendars SET watch_retry_at = NULL WHERE customer_id = @customerId AND calendar_id = @calendarId",
            new { customerId = channel.CustomerId, calendarId = channel.CalendarId }, transaction);
        await versions.BumpAsync(connection, transaction, channel.CustomerId);
        await transaction.CommitAsync(cancellationToken);
        versions.Changed(channel.CustomerId);
        return true;
    }

    /// <summary>Google refused the channel: polling until <paramref name="retryAt"/>.</summary>
    public async Task FailedChannelAsync(string channelId, string customerId, string calendarId, Instant retryAt)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("DELETE FROM mirror_channels WHERE channel_id = @channelId", new { channelId });
        await connection.ExecuteAsync("UPDATE mirror_calendars SET watch_retry_at = @retryAt WHERE customer_id = @customerId AND calendar_id = @calendarId",
            new { customerId, calendarId, retryAt = MirrorTime.Format(retryAt) });
    }

    public async Task<MirrorChannel?> GetChannelAsync(string channelId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ChannelRow>($"SELECT {ChannelColumns} FROM mirror_channels WHERE channel_id = @channelId", new { channelId });
        return row is null ? null : ToChannel(row);
    }

    public async Task<IReadOnlyList<MirrorChannel>> ChannelsOfCompanyAsync(string customerId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ChannelRow>($"SELECT {ChannelColumns} FROM mirror_channels WHERE customer_id = @customerId", new { customerId }))
            .Select(ToChannel).ToList();
    }

    public async Task<IReadOnlyList<MirrorChannel>> ChannelsOfAsync(string customerId, string calendarId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ChannelRow>(
            $"SELECT {ChannelColumns} FROM mirror_channels WHERE customer_id = @customerId AND calendar_id = @calendarId ORDER BY created_at",
            new { customerId, calendarId })).Select(ToChannel).ToList();
    }

    /// <summary>A notification arrived through the channel: Google delivers to us, so reads may lean on it (or, null, no longer).</summary>
    public async Task SetChannelConfirmedAsync(MirrorChannel channel, Instant? confirmedAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE mirror_channels SET confirmed_at = @at WHERE channel_id = @channelId",
            new { channelId = channel.ChannelId, at = confirmedAt is { } confirmed ? MirrorTime.Format(confirmed) : null }, transaction);
        await versions.BumpAsync(connection, transaction, channel.CustomerId);
        await transaction.CommitAsync(cancellationToken);
        versions.Changed(channel.CustomerId);
    }

    public async Task DeleteChannelAsync(string channelId)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("DELETE FROM mirror_channels WHERE channel_id = @channelId", new { channelId });
    }

    private static MirrorChannel ToChannel(ChannelRow row) => new(row.channel_id, row.customer_id, row.calendar_id, row.token_hash, row.resource_id,
        MirrorTime.Parse(row.expires_at), MirrorTime.Parse(row.confirmed_at), MirrorTime.Parse(row.created_at) ?? Instant.MinValue);

    // ---- what reads see ----

    /// <summary>One company's mirror as reads need it: each calendar's state and its busy events ending after <paramref name="since"/>.</summary>
    public async Task<CompanyMirrorRows> LoadCompanyAsync(string customerId, Instant since, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var version = await connection.ExecuteScalarAsync<long?>("SELECT version FROM busy_versions WHERE customer_id = @customerId", new { customerId }) ?? 0;
        var calendars = await connection.QueryAsync<CalendarRow>(
            $"SELECT {CalendarColumns} FROM mirror_calendars WHERE customer_id = @customerId", new { customerId });
        // A channel counts only once a notification proved that Google's messages reach us.
        var pushing = (await connection.QueryAsync<ChannelRow>(
                $"SELECT {ChannelColumns} FROM mirror_channels WHERE customer_id = @customerId AND confirmed_at IS NOT NULL AND expires_at IS NOT NULL", new { customerId }))
            .GroupBy(c => c.calendar_id).ToDictionary(g => g.Key, g => g.Max(c => MirrorTime.Parse(c.expires_at)));
        var events = await connection.QueryAsync<EventRow>(
            """
            SELECT calendar_id, event_id, start_utc, end_utc, busy, updated FROM mirror_events
            WHERE customer_id = @customerId AND busy = 1 AND end_utc > @since
            """, new { customerId, since = MirrorTime.Format(since) });
        var busy = new Dictionary<string, List<MirroredEvent>>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (!busy.TryGetValue(e.calendar_id, out var list)) busy[e.calendar_id] = list = [];
            list.Add(new MirroredEvent(e.event_id, MirrorTime.Parse(e.start_utc), MirrorTime.Parse(e.end_utc), true, e.updated));
        }

        return new CompanyMirrorRows(version,
            calendars.Select(c => new CalendarMirrorState(c.calendar_id, c.sync_token is not null, MirrorTime.Parse(c.window_start),
                MirrorTime.Parse(c.window_end), MirrorTime.Parse(c.synced_at), MirrorTime.Parse(c.dirty_since),
                pushing.GetValueOrDefault(c.calendar_id))).ToList(),
            busy);
    }

    /// <summary>Every event of a calendar the mirror holds, busy or not (tests and diagnostics).</summary>
    public async Task<IReadOnlyList<MirroredEvent>> EventsOfAsync(string customerId, string calendarId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<EventRow>(
                "SELECT calendar_id, event_id, start_utc, end_utc, busy, updated FROM mirror_events WHERE customer_id = @customerId AND calendar_id = @calendarId",
                new { customerId, calendarId }))
            .Select(e => new MirroredEvent(e.event_id, MirrorTime.Parse(e.start_utc), MirrorTime.Parse(e.end_utc), e.busy == 1, e.updated)).ToList();
    }

    public Task<IReadOnlyDictionary<string, long>> VersionsAsync(IReadOnlyCollection<string> customerIds, CancellationToken cancellationToken) =>
        versions.ReadAsync(customerIds, cancellationToken);
}
