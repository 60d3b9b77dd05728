using System.Data.Common;
using CalendarConnect.Infrastructure.Leases;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.McpServer.Storage;
using Dapper;

namespace CalendarConnect.McpServer.Booking;

/// <summary>
/// One booking change (book, reschedule, cancel) in flight per lease key, across replicas and processes: a row in
/// <c>booking_write_leases</c> (<see cref="DatabaseLeases"/>), taken with one atomic upsert. Unlike refresh leases the holder is one acquisition, not
/// one server: two bookings on the same replica must exclude each other too. Inside the lease a booking re-checks live
/// busy time and the appointments table, so of overlapping concurrent bookings exactly one gets the time.
/// <para>
/// The lease is short (<see cref="Duration"/>) and renewed by its holder while it works (<see cref="BookingLease"/>),
/// so a holder that dies is taken over within <see cref="Duration"/> on any replica; a holder that loses it stops, and
/// its row that takes a time is written only while it still holds the lease
/// (<see cref="AppointmentStore.TrySaveUnderLeaseAsync"/>), so a holder that outlives its lease writes nothing.
/// </para>
/// <para>
/// A booking first tries to take the lease in one statement, which succeeds only when the lease is free (or expired)
/// and nobody waits for it: the common case, where no other booking for that calendar is in flight, costs one
/// statement to take and one to give back. Only when that fails does it join the line.
/// </para>
/// <para>
/// Waiters are served in arrival order across replicas: each takes a numbered ticket in <c>booking_lease_queue</c>
/// and only the lowest live ticket may take the lease (a newcomer's one-statement take counts as a ticket behind
/// every live one, so it never passes a waiter). In one replica the waiters of a key form a line in ticket order
/// and only its first polls the database (keeping every local ticket alive), so a replica with many waiters does not
/// hammer it. A ticket not kept alive for <see cref="Duration"/> (its replica died) no longer holds anyone back.
/// </para>
/// </summary>
public sealed class BookingLeases(TokenDatabase database, TimeProvider time, WaitClock waits, ILogger<BookingLeases> log)
{
    /// <summary>
    /// How long a lease (and a waiter's ticket) lives without renewal: the longest a dead replica holds a calendar's
    /// bookings back. A few database round trips of renewal fit in it many times over.
    /// </summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(6);

    /// <summary>A third of <see cref="Duration"/>, so two renewals in a row may fail before the lease is lost.</summary>
    public static readonly TimeSpan RenewEvery = Duration / 3;

    /// <summary>How often the first waiter of a replica asks whether its turn has come.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>Lease and ticket times, as <see cref="DatabaseLeases"/> writes them (the fenced writes of <see cref="AppointmentStore"/> compare with them).</summary>
    internal static string LeaseTime(DateTimeOffset value) => DatabaseLeases.Format(value);

    private readonly DatabaseLeases _leases = new(new LeaseTable("booking_write_leases", "lease_key", Duration), database.OpenAsync, time);

    /// <summary>This replica's name on its tickets: its first waiter keeps every one of them alive at once.</summary>
    private readonly string _replica = LeaseHolder.NewIdentity();

    private readonly Dictionary<string, Line> _lines = new(StringComparer.Ordinal);

    /// <summary>Numbers this replica's acquisitions, so each holder is its own (two bookings on one replica exclude each other).</summary>
    private long _acquisitions;

    /// <summary>
    /// Takes the lease on <paramref name="leaseKey"/> at once when it is free and nobody waits for it; else waits in line
    /// for it, at most <paramref name="maxWait"/> (on the wait clock). Returns it held and being renewed; null when the
    /// wait ran out, which is logged with the customer, the time waited and the place in line. A caller that is gone
    /// takes no place in line.
    /// </summary>
    public async Task<BookingLease?> AcquireAsync(string leaseKey, string customerId, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var started = waits.Time.GetTimestamp();
        using var giveUp = waits.After(maxWait);
        var holder = $"{_replica}#{Interlocked.Increment(ref _acquisitions)}";
        if (await TryTakeUncontendedAsync(leaseKey, holder, cancellationToken)) return new BookingLease(this, leaseKey, holder);
        return await WaitInLineAsync(leaseKey, holder, customerId, started, giveUp, cancellationToken);
    }

    /// <summary>
    /// One statement: takes the lease if it is free or expired and no live ticket waits for it (the newcomer counts as
    /// a ticket behind every other). Not cancellable once sent: a lease taken but believed not taken would hold
    /// everyone back until it expired.
    /// </summary>
    private async Task<bool> TryTakeUncontendedAsync(string leaseKey, string holder, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await TakeIfFirstAsync(connection, null, leaseKey, long.MaxValue, holder);
    }

    /// <summary>
    /// Takes the lease for <paramref name="holder"/> if it is free or expired and no live ticket is ahead of
    /// <paramref name="behind"/>; true when taken.
    /// </summary>
    private Task<bool> TakeIfFirstAsync(DbConnection connection, DbTransaction? transaction, string leaseKey, long behind, string holder) =>
        _leases.TryAcquireAsync(connection, transaction, leaseKey, holder, new LeaseCondition(
            "NOT EXISTS (SELECT 1 FROM booking_lease_queue WHERE lease_key = @key AND ticket < @behind AND alive_until > @now)", new { behind }));

    private async Task<BookingLease?> WaitInLineAsync(string leaseKey, string holder, string customerId, long started, CancellationTokenSource giveUp,
        CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, giveUp.Token);
        var ticket = await TakeTicketAsync(leaseKey, cancellationToken);
        var line = Join(leaseKey, ticket);
        var taken = false;
        try
        {
            while (true)
            {
                if (line.TurnOf(ticket) is { } moved)
                {
                    await moved.WaitAsync(waiting.Token);
                    continue;
                }

                if (await TryTakeAsync(leaseKey, ticket, holder, waiting.Token))
                {
                    taken = true;
                    return new BookingLease(this, leaseKey, holder);
                }

                await waits.Delay(Poll, waiting.Token);
            }
        }
        catch (OperationCanceledException) when (giveUp.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var place = await PlaceInLineAsync(leaseKey, ticket);
            log.LogWarning("A booking for customer {CustomerId} gave up waiting for its calendar's booking lease after {WaitedSeconds:0.0} s, " +
                "number {Place} in line", customerId, waits.Time.GetElapsedTime(started).TotalSeconds, place);
            return null;
        }
        finally
        {
            Leave(leaseKey, line, ticket);
            if (!taken) await LeaveQueueAsync(ticket);
        }
    }

    private async Task<long> TakeTicketAsync(string leaseKey, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO booking_lease_queue (lease_key, replica, alive_until) VALUES (@leaseKey, @replica, @aliveUntil) RETURNING ticket",
            new { leaseKey, replica = _replica, aliveUntil = LeaseTime(time.GetUtcNow() + Duration) });
    }

    /// <summary>
    /// In one transaction: keeps this replica's tickets for the key alive, and takes the lease if it is free or expired
    /// and no live ticket is ahead of <paramref name="ticket"/> (whose ticket then leaves the line). Each replica's
    /// transaction writes only its own tickets and the lease row, so two replicas polling at once never deadlock.
    /// </summary>
    private async Task<bool> TryTakeAsync(string leaseKey, long ticket, string holder, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var parameters = new { leaseKey, ticket, holder, replica = _replica, now = LeaseTime(now), expiresAt = LeaseTime(now + Duration) };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync("UPDATE booking_lease_queue SET alive_until = @expiresAt WHERE lease_key = @leaseKey AND replica = @replica",
            parameters, transaction);
        if (!await TakeIfFirstAsync(connection, transaction, leaseKey, ticket, holder))
        {
            await transaction.CommitAsync(cancellationToken);
            return false;
        }

        await connection.ExecuteAsync("DELETE FROM booking_lease_queue WHERE ticket = @ticket", parameters, transaction);
        // Not cancellable from here: a lease taken but believed not taken would hold everyone back until it expired.
        await transaction.CommitAsync(CancellationToken.None);
        await ForgetDeadTicketsAsync(connection, parameters);
        return true;
    }

    /// <summary>Tickets of replicas that died while waiting: skipped by everyone already, removed here by the lease's new holder.</summary>
    private async Task ForgetDeadTicketsAsync(DbConnection connection, object parameters)
    {
        try
        {
            await connection.ExecuteAsync("DELETE FROM booking_lease_queue WHERE lease_key = @leaseKey AND alive_until <= @now", parameters);
        }
        catch (DbException e)
        {
            log.LogDebug("Removing dead booking tickets failed ({Error}); the next holder tries again", e.GetType().Name);
        }
    }

    /// <summary>1 + the live tickets ahead of this one.</summary>
    private async Task<long> PlaceInLineAsync(string leaseKey, long ticket)
    {
        try
        {
            await using var connection = await database.OpenAsync(CancellationToken.None);
            return 1 + await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM booking_lease_queue WHERE lease_key = @leaseKey AND ticket < @ticket AND alive_until > @now",
                new { leaseKey, ticket, now = LeaseTime(time.GetUtcNow()) });
        }
        catch (DbException)
        {
            return 0; // unknown: the warning is still worth more than a failure here
        }
    }

    /// <summary>Not cancellable: a ticket left behind would hold the line back until it dies.</summary>
    private async Task LeaveQueueAsync(long ticket)
    {
        try
        {
            await using var connection = await database.OpenAsync(CancellationToken.None);
            await connection.ExecuteAsync("DELETE FROM booking_lease_queue WHERE ticket = @ticket", new { ticket });
        }
        catch (DbException e)
        {
            log.LogWarning("Leaving the booking line failed ({Error}); the ticket drops out within {Seconds} s", e.GetType().Name, Duration.TotalSeconds);
        }
    }

    /// <summary>Extends the lease while <paramref name="holder"/> still has it; false when it was lost (expired, or taken over).</summary>
    internal Task<bool> RenewAsync(string leaseKey, string holder, CancellationToken cancellationToken) =>
        _leases.RenewAsync(leaseKey, holder, cancellationToken);

    internal async Task ReleaseAsync(string leaseKey, string holder)
    {
        try
        {
            await _leases.ReleaseAsync(leaseKey, holder);
        }
        catch (DbException e)
        {
            log.LogWarning("Releasing a booking lease failed ({Error}); it expires within {Seconds} s", e.GetType().Name, Duration.TotalSeconds);
        }
    }

    internal TimeProvider Time => time;

    internal ILogger Log => log;

    private Line Join(string leaseKey, long ticket)
    {
        lock (_lines)
        {
            if (!_lines.TryGetValue(leaseKey, out var line)) _lines[leaseKey] = line = new Line();
            line.Add(ticket);
            return line;
        }
    }

    private void Leave(string leaseKey, Line line, long ticket)
    {
        lock (_lines)
        {
            if (line.Remove(ticket) == 0) _lines.Remove(leaseKey);
        }
    }

    /// <summary>This replica's waiters for one key, in ticket order.</summary>
    private sealed class Line
    {
        private readonly SortedSet<long> _tickets = [];
        private TaskCompletionSource _moved = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Add(long ticket)
        {
            lock (this) _tickets.Add(ticket);
        }

        /// <summary>Null when <paramref name="ticket"/> is first here (it polls the database); else a task that completes when the line moves.</summary>
        public Task? TurnOf(long ticket)
        {
            lock (this) return _tickets.Min == ticket ? null : _moved.Task;
        }

        public int Remove(long ticket)
        {
            lock (this)
            {
                _tickets.Remove(ticket);
                var moved = _moved;
                _moved = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                moved.SetResult();
                return _tickets.Count;
            }
        }
    }
}

/// <summary>
/// A booking lease held, renewed every <see cref="BookingLeases.RenewEvery"/> (on the business clock) until it is
/// disposed, which gives it back. <see cref="Lost"/> fires when a renewal finds the lease gone (it expired, say the
/// database was out of reach for longer than <see cref="BookingLeases.Duration"/>, and someone else took it): the
/// holder must stop, and its fenced writes would fail anyway.
/// </summary>
public sealed class BookingLease : IAsyncDisposable
{
    private readonly BookingLeases _owner;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;

    internal BookingLease(BookingLeases owner, string key, string holder)
    {
        _owner = owner;
        Key = key;
        Holder = holder;
        _renewing = RenewAsync();
    }

    public string Key { get; }

    public string Holder { get; }

    public CancellationToken Lost => _lost.Token;

    private async Task RenewAsync()
    {
        using var timer = new PeriodicTimer(BookingLeases.RenewEvery, _owner.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    if (await _owner.RenewAsync(Key, Holder, _stop.Token)) continue;
                    _owner.Log.LogWarning("A booking lease was lost while its booking worked; the booking stops");
                    await _lost.CancelAsync();
                    return;
                }
                catch (Exception e) when (!_stop.IsCancellationRequested)
                {
                    // The next tick tries again: the lease still has two thirds of its time, and the writes are fenced.
                    _owner.Log.LogWarning("Renewing a booking lease failed ({Error}); retrying", e.GetType().Name);
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // Disposed: the booking is done (a renewal cut short by it may fail in any way; it no longer matters).
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewing;
        await _owner.ReleaseAsync(Key, Holder);
        _stop.Dispose();
        _lost.Dispose();
    }
}
