using System.Data.Common;
using System.Net;
using CalendarConnect.McpServer.Connections;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.McpServer.TokenVault;
using NodaTime;

namespace CalendarConnect.McpServer.Mirror;

/// <summary>
/// One sync of one mirrored calendar, under its lease: the push channel first (so no change after the sync can go
/// unannounced), then events.list — incremental with the stored syncToken, or full from a day back when there is none,
/// Google answered 410 (the token expired) or the window no longer reaches far enough — and the result saved in one
/// transaction. A failure is recorded and retried after a growing back-off; reads meanwhile go live.
/// </summary>
public sealed class CalendarSync(MirrorStore store, PushChannels channels, CompanyCalendar calendar, GoogleCalendarClient google, TokenStore tokens,
    MirrorPolicy policy, TimeProvider time, ILogger<CalendarSync> log)
{
    /// <summary>Pages of one sync, at most (2,500 events each): a calendar beyond that is not mirrored, reads stay live.</summary>
    public const int MaxPages = 40;

    private const string TooManyEvents = "too_many_events";

    public async Task RunAsync(string customerId, string calendarId, string holder, CancellationToken stopping)
    {
        var now = Now;
        var state = await store.TryLeaseAsync(customerId, calendarId, holder, now, now + Duration.FromTimeSpan(policy.SyncLease), stopping);
        if (state is null) return; // another replica is on it

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        budget.CancelAfter(policy.SyncBudget);
        try
        {
            var (pushing, maintainBy) = await channels.MaintainAsync(state, holder, budget.Token);
            await SyncAsync(state, holder, pushing, maintainBy, budget.Token);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            await FailAsync(state, holder, "timeout", forgetSyncToken: false);
        }
        catch (Exception e) when (e is OperationCanceledException or DbException or TimeoutException)
        {
            // Stopping, or the database is out of reach: the lease runs out by itself, and the next sync starts over.
            log.LogInformation("Sync of calendar {CalendarId} of customer {CustomerId} stopped: {Reason}", calendarId, customerId, e.GetType().Name);
            await TryReleaseAsync(customerId, calendarId, holder);
        }
    }

    private async Task SyncAsync(CalendarSyncState state, string holder, bool pushing, Instant? maintainBy, CancellationToken cancellationToken)
    {
        var startedAt = Now;
        var full = state.SyncToken is null || state.WindowEnd is not { } end || end - startedAt < Duration.FromTimeSpan(policy.MaxReadAhead);
        var fetched = await FetchAsync(state, full ? null : state.SyncToken, startedAt, cancellationToken);
        if (!full && (fetched.Gone || fetched.HasSeriesMaster))
        {
            // 410: the sync token expired (or Google wants a full sync). A series master: singleEvents was not honoured, and
            // a series cannot be expanded here. Either way, start over.
            log.LogInformation("Calendar {CalendarId} of customer {CustomerId} needs a full sync ({Reason})", state.CalendarId, state.CustomerId,
                fetched.Gone ? "sync token expired" : "series master in the changes");
            full = true;
            fetched = await FetchAsync(state, null, startedAt, cancellationToken);
        }

        if (fetched.Problem is { } problem)
        {
            // A calendar too big to mirror is not fetched whole again every few minutes: reads ask Google meanwhile.
            await FailAsync(state, holder, problem, forgetSyncToken: fetched.Gone,
                retryAfter: problem == TooManyEvents ? policy.IdleSyncInterval : null);
            return;
        }

        var summary = await tokens.GetSummaryAsync(state.CustomerId, cancellationToken);
        var zone = fetched.TimeZone is { } zoneId ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId) : null;
        if (zone is null)
        {
            await FailAsync(state, holder, "unknown_time_zone", forgetSyncToken: true);
            return;
        }

        var owner = state.CalendarId.Contains('@') ? state.CalendarId : summary.CalendarEmail;
        var events = fetched.Items.Where(i => i.Id is not null).Select(i => ToMirrored(i, zone, owner, startedAt)).ToList();
        // A sync no notification asked for that finds changes: if they are older than the grace, their notification should
        // have come; if newer, it may still come, and the next sync (soon) judges.
        var grace = Duration.FromTimeSpan(policy.NotificationGrace);
        var unannounced = !full && pushing && state.DirtySince is null
            ? new[] { UnannouncedSince(fetched.Items, state.SyncedAt), state.UnannouncedAt }.Min()
            : null;
        if (unannounced is { } since && since < startedAt - grace)
        {
            // A change no notification announced: the channel is lost (Google drops them now and then) or its messages
            // do not reach us. It is stopped; the next sync opens a new one, and reads lean on it only once its first
            // message arrives. Meanwhile the calendar is polled.
            log.LogWarning("A safety sync of calendar {CalendarId} of customer {CustomerId} found changes no push notification announced; opening a new channel and polling meanwhile",
                state.CalendarId, state.CustomerId);
            await channels.StopAsync(await store.ChannelsOfAsync(state.CustomerId, state.CalendarId, cancellationToken), cancellationToken);
            pushing = false;
            unannounced = null;
            maintainBy = Now;
        }

        var recentlyRead = state.ReadAt is { } readAt && startedAt - readAt < Duration.FromTimeSpan(policy.RecentlyReadWithin);
        var interval = !recentlyRead ? policy.IdleSyncInterval : pushing ? policy.SafetySyncWithPush : policy.PollInterval;
        var next = Now + Duration.FromTimeSpan(interval);
        if (maintainBy < next) next = maintainBy.Value;
        if (unannounced is not null && Now + grace < next) next = Now + grace;
        var (windowStart, windowEnd) = Window(startedAt);
        var saved = await store.SaveSyncAsync(holder, state.CustomerId, state.CalendarId, full, events, fetched.SyncToken!,
            full ? windowStart : null, full ? windowEnd : null, startedAt, next, Now,
            unannounced, cancellationToken);
        if (!saved) log.LogWarning("Sync of calendar {CalendarId} of customer {CustomerId} lost its lease before saving; the next one starts over", state.CalendarId,
            state.CustomerId);
        else if (full) log.LogInformation("Calendar {CalendarId} of customer {CustomerId} fully synced: {Count} events", state.CalendarId, state.CustomerId, events.Count);
    }

    private sealed record Fetched(IReadOnlyList<GoogleEvent> Items, string? SyncToken, string? TimeZone, bool Gone, bool HasSeriesMaster, string? Problem);

    /// <summary>Every page of one events.list (incremental with <paramref name="syncToken"/>, else full from the window's start).</summary>
    private async Task<Fetched> FetchAsync(CalendarSyncState state, string? syncToken, Instant startedAt, CancellationToken cancellationToken)
    {
        var items = new List<GoogleEvent>();
        string? pageToken = null, timeZone = null;
        // A full sync asks for the window only (endless series are expanded that far and no further); an incremental one
        // may not bound time at all, and brings changes wherever they are.
        var (windowStart, windowEnd) = Window(startedAt);
        var timeMin = syncToken is null ? windowStart.ToDateTimeOffset() : (DateTimeOffset?)null;
        var timeMax = syncToken is null ? windowEnd.ToDateTimeOffset() : (DateTimeOffset?)null;
        for (var page = 0; page < MaxPages; page++)
        {
            var (list, refusal, problem) = await calendar.EventCallAsync(state.CustomerId,
                (token, ct) => google.ListEventsForSyncAsync(token, state.CalendarId, syncToken, timeMin, timeMax, pageToken, ct), cancellationToken);
            if (refusal?.Status == HttpStatusCode.Gone) return new Fetched([], null, null, Gone: true, false, "sync_token_expired");
            if (list is null) return new Fetched([], null, null, false, false, refusal is not null ? $"google_{(int)refusal.Status}" : problem!.Code);
            items.AddRange(list.Items ?? []);
            timeZone ??= list.TimeZone;
            if (list.NextSyncToken is { } next)
                return new Fetched(items, next, timeZone, false, items.Any(i => i.Recurrence is { Count: > 0 } && !i.IsCancelled), null);
            if (list.NextPageToken is null) return new Fetched([], null, null, false, false, "no_sync_token");
            pageToken = list.NextPageToken;
        }

        log.LogWarning("Calendar {CalendarId} of customer {CustomerId} has more than {Pages} pages of events; it is not mirrored, reads ask Google",
            state.CalendarId, state.CustomerId, MaxPages);
        return new Fetched([], null, null, false, false, TooManyEvents);
    }

    /// <summary>What a full sync started at <paramref name="startedAt"/> covers: from a day back to the window's length ahead.</summary>
    private (Instant Start, Instant End) Window(Instant startedAt)
    {
        var start = startedAt - Duration.FromTimeSpan(policy.WindowBehind);
        return (start, start + Duration.FromTimeSpan(policy.WindowAhead));
    }

    /// <summary>The event as the mirror keeps it: its span when it blocks time (Google's busy rules), else only that it exists.</summary>
    public static MirroredEvent ToMirrored(GoogleEvent item, DateTimeZone calendarZone, string? ownerEmail, Instant seenAt)
    {
        var span = BusyRules.Span(item, calendarZone);
        var busy = span is not null && BusyRules.Blocks(item, ownerEmail);
        return new MirroredEvent(item.Id!, span?.Start, span?.End, busy, MirrorTime.FromGoogle(item.Updated, seenAt), item.IsCancelled);
    }

    /// <summary>When the earliest change made after the previous sync was made, or null when there was none.</summary>
    private static Instant? UnannouncedSince(IEnumerable<GoogleEvent> changes, Instant? previousSync)
    {
        if (previousSync is not { } since) return null;
        return changes.Select(c => MirrorTime.Parse(c.Updated)).Where(u => u > since).Min();
    }

    private async Task FailAsync(CalendarSyncState state, string holder, string reason, bool forgetSyncToken, TimeSpan? retryAfter = null)
    {
        var failures = state.Failures + 1;
        var retryAt = Now + Duration.FromTimeSpan(retryAfter ?? policy.BackoffAfter(failures));
        log.LogWarning("Sync of calendar {CalendarId} of customer {CustomerId} failed ({Reason}, {Failures} in a row); next try at {RetryAt}; reads ask Google meanwhile",
            state.CalendarId, state.CustomerId, reason, failures, retryAt);
        try
        {
            await store.SaveFailureAsync(holder, state.CustomerId, state.CalendarId, reason, retryAt, forgetSyncToken);
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
        {
            log.LogWarning("The failed sync of calendar {CalendarId} of customer {CustomerId} could not be recorded ({Error})", state.CalendarId,
                state.CustomerId, e.GetType().Name);
        }
    }

    private async Task TryReleaseAsync(string customerId, string calendarId, string holder)
    {
        try
        {
            await store.ReleaseLeaseAsync(customerId, calendarId, holder);
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
        {
            // The lease expires by itself.
        }
    }

    private Instant Now => Instant.FromDateTimeOffset(time.GetUtcNow());
}
