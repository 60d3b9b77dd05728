using System.Collections.Concurrent;
using System.Data.Common;
using CalendarConnect.McpServer.Availability;
using CalendarConnect.McpServer.Booking;
using CalendarConnect.McpServer.Configuration;
using CalendarConnect.McpServer.GoogleCalendar;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CalendarConnect.McpServer.Mirror;

/// <summary>Busy time from the mirror: Google's, per the busy rules, and our own appointment rows (pending, held, confirmed).</summary>
public sealed record MirrorRead(IReadOnlyList<BusyInterval> Busy, IReadOnlyList<Appointment> Appointments);

/// <summary>
/// The busy-time mirror as availability reads see it: an in-memory copy per company of what the database holds (busy
/// events of every mirrored calendar, their sync state, our active appointments), so a read needs no database and no
/// Google at all when the mirror is fresh. The copy is reloaded when the company's version changes: at once for changes
/// made by this replica, within <see cref="MirrorPolicy.VersionCheckEvery"/> for the others'. A read the mirror cannot
/// answer (not yet synced, stale, a range outside its window) gets null and goes live; the company is then synced soon.
/// Writes never read from here: booking re-checks live at Google.
/// </summary>
public sealed class CalendarMirror
{
    private readonly MirrorStore _store;
    private readonly AppointmentStore _appointments;
    private readonly MirrorSignals _signals;
    private readonly MirrorPolicy _policy;
    private readonly TimeProvider _time;
    private readonly ILogger<CalendarMirror> _log;
    private readonly bool _enabled;
    private readonly ConcurrentDictionary<string, CompanyCopy> _copies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _loading = new(StringComparer.Ordinal);

    public CalendarMirror(MirrorStore store, AppointmentStore appointments, BusyVersions versions, MirrorSignals signals, MirrorPolicy policy,
        IOptions<McpServerSettings> settings, TimeProvider time, ILogger<CalendarMirror> log)
    {
        _store = store;
        _appointments = appointments;
        _signals = signals;
        _policy = policy;
        _time = time;
        _log = log;
        _enabled = settings.Value.BusyMirror;
        // Our own changes (a booking, a sync saved here) are seen by the very next read on this replica.
        versions.ChangedHere += customerId =>
        {
            if (_copies.TryGetValue(customerId, out var copy)) copy.Outdated = true;
        };
    }

    public bool Enabled => _enabled;

    /// <summary>
    /// Busy time of these calendars between two instants, if every one of them is mirrored and fresh for that range; else
    /// null (the caller asks Google) and the company is synced soon.
    /// </summary>
    public async ValueTask<MirrorRead?> TryReadAsync(string customerId, IReadOnlyList<string> calendarIds, Instant from, Instant to,
        CancellationToken cancellationToken)
    {
        if (!_enabled) return null;
        CompanyCopy copy;
        try
        {
            copy = await CopyOfAsync(customerId, cancellationToken);
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
        {
            _log.LogInformation("The busy-time mirror of customer {CustomerId} cannot be loaded ({Error}); reading live", customerId, e.GetType().Name);
            return null;
        }

        copy.ReadAt = Environment.TickCount64;
        var now = Now;
        var busy = new List<BusyInterval>();
        foreach (var calendarId in calendarIds)
        {
            if (!copy.Calendars.TryGetValue(calendarId, out var calendar))
            {
                // Not mirrored yet: a new connection, or calendar_ids just changed.
                _signals.Reconcile(customerId);
                return null;
            }

            if (!calendar.State.IsFreshFor(from, to, now, _policy))
            {
                _signals.SyncSoon(customerId);
                return null;
            }

            calendar.AddBusy(from, to, busy);
        }

        return new MirrorRead(busy, copy.Appointments);
    }

    /// <summary>
    /// Our own write as Google answered it (the event, or null for a deletion of <paramref name="eventId"/>), into the
    /// mirror at once. Never fails the write it follows: the next sync brings the same change.
    /// </summary>
    public async Task RecordOwnWriteAsync(string customerId, string calendarId, string eventId, GoogleEvent? written, DateTimeZone zone)
    {
        if (!_enabled) return;
        try
        {
            var item = written is null
                ? new MirroredEvent(eventId, null, null, false, MirrorTime.Format(Now), Cancelled: true)
                : CalendarSync.ToMirrored(written, zone, null, Now);
            await _store.ApplyOwnWriteAsync(customerId, calendarId, item, CancellationToken.None);
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
        {
            _log.LogInformation("Our change to event {EventId} of customer {CustomerId} reaches the mirror at the next sync ({Error})", eventId, customerId,
                e.GetType().Name);
        }
    }

    /// <summary>
    /// Forgets everything mirrored of the company (a new grant, maybe of another Google account, or a disconnection) and
    /// has its calendars mirrored again if it is connected. Channels still open are stopped in the background (with the
    /// company's current grant: Google refuses to stop another account's channel, which then expires by itself).
    /// </summary>
    public async Task ForgetCompanyAsync(string customerId, CancellationToken cancellationToken)
    {
        _signals.StopLater(await _store.ForgetCompanyAsync(customerId, cancellationToken));
        _signals.Reconcile(customerId);
    }

    /// <summary>
    /// Compares each copy with the database's version and reloads the changed ones that are being read; drops copies nobody
    /// read for a while; records which companies were read (so the replica that syncs them keeps them polled).
    /// </summary>
    public async Task RefreshCopiesAsync(CancellationToken cancellationToken)
    {
        if (_copies.IsEmpty) return;
        var evictBefore = Environment.TickCount64 - (long)_policy.EvictAfter.TotalMilliseconds;
        foreach (var (id, idle) in _copies.Where(c => c.Value.ReadAt < evictBefore).ToList()) _copies.TryRemove(new(id, idle));

        var current = await _store.VersionsAsync(_copies.Keys.ToList(), cancellationToken);
        foreach (var (customerId, version) in current)
        {
            if (!_copies.TryGetValue(customerId, out var copy) || copy.Version == version) continue;
            // Reloaded here, so reads keep answering from the old copy meanwhile instead of waiting.
            await LoadOnceAsync(customerId, c => c is null || c.Version != version, cancellationToken);
        }

        var persistBefore = Environment.TickCount64 - (long)TimeSpan.FromMinutes(1).TotalMilliseconds;
        var read = _copies.Where(c => c.Value.ReadAt > c.Value.ReadPersistedAt && c.Value.ReadPersistedAt < persistBefore).ToList();
        if (read.Count > 0)
        {
            await _store.MarkReadAsync(read.Select(r => r.Key).ToList(), Now, Now - Duration.FromTimeSpan(_policy.RecentlyReadWithin), cancellationToken);
            foreach (var (_, copy) in read) copy.ReadPersistedAt = Environment.TickCount64;
        }
    }

    private async ValueTask<CompanyCopy> CopyOfAsync(string customerId, CancellationToken cancellationToken) =>
        _copies.TryGetValue(customerId, out var copy) && !copy.Outdated
            ? copy
            : await LoadOnceAsync(customerId, c => c is null || c.Outdated, cancellationToken);

    /// <summary>One load per company at a time: whoever waited for another's load uses it unless it still <paramref name="needsLoad"/>.</summary>
    private async Task<CompanyCopy> LoadOnceAsync(string customerId, Func<CompanyCopy?, bool> needsLoad, CancellationToken cancellationToken)
    {
        var gate = _loading.GetOrAdd(customerId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            _copies.TryGetValue(customerId, out var copy);
            return needsLoad(copy) ? await ReloadAsync(customerId, copy, cancellationToken) : copy!;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<CompanyCopy> ReloadAsync(string customerId, CompanyCopy? previous, CancellationToken cancellationToken)
    {
        if (previous is not null) previous.Outdated = false; // a change during the load marks it again
        var since = Now - Duration.FromTimeSpan(_policy.WindowBehind);
        var rows = await _store.LoadCompanyAsync(customerId, since, cancellationToken);
        var appointments = await _appointments.ActiveEndingAfterAsync(customerId, since, cancellationToken);
        var copy = new CompanyCopy(rows.Version,
            rows.Calendars.ToDictionary(c => c.CalendarId,
                c => new CalendarCopy(c, rows.BusyEvents.GetValueOrDefault(c.CalendarId) ?? []), StringComparer.Ordinal),
            appointments)
        {
            ReadAt = previous?.ReadAt ?? Environment.TickCount64,
            ReadPersistedAt = previous?.ReadPersistedAt ?? 0,
            Outdated = previous?.Outdated ?? false,
        };
        _copies[customerId] = copy;
        return copy;
    }

    private Instant Now => Instant.FromDateTimeOffset(_time.GetUtcNow());

    private sealed class CompanyCopy(long version, IReadOnlyDictionary<string, CalendarCopy> calendars, IReadOnlyList<Appointment> appointments)
    {
        public long Version { get; } = version;
        public IReadOnlyDictionary<string, CalendarCopy> Calendars { get; } = calendars;
        public IReadOnlyList<Appointment> Appointments { get; } = appointments;
        public volatile bool Outdated;
        public long ReadAt;
        public long ReadPersistedAt;
    }

    /// <summary>One calendar's busy events sorted by start, with the longest one's length, so a range is found by binary search.</summary>
    private sealed class CalendarCopy
    {
        private readonly BusyInterval[] _busy;
        private readonly Duration _longest;

        public CalendarCopy(CalendarMirrorState state, IEnumerable<MirroredEvent> events)
        {
            State = state;
            _busy = events.Where(e => e is { Start: not null, End: not null } && e.End > e.Start)
                .Select(e => new BusyInterval(e.Start!.Value, e.End!.Value)).OrderBy(b => b.Start).ToArray();
            _longest = _busy.Length == 0 ? Duration.Zero : _busy.Max(b => b.End - b.Start);
        }

        public CalendarMirrorState State { get; }

        public void AddBusy(Instant from, Instant to, List<BusyInterval> into)
        {
            // Only events starting after from - longest can reach into [from, to).
            var first = LowerBound(from - _longest);
            for (var i = first; i < _busy.Length && _busy[i].Start < to; i++)
                if (_busy[i].End > from) into.Add(_busy[i]);
        }

        private int LowerBound(Instant start)
        {
            int low = 0, high = _busy.Length;
            while (low < high)
            {
                var mid = (low + high) >>> 1;
                if (_busy[mid].Start < start) low = mid + 1;
                else high = mid;
            }

            return low;
        }
    }
}
