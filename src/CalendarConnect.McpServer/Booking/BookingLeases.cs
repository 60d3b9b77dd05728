using System.Diagnostics;
using CalendarConnect.McpServer.Storage;
using Dapper;

namespace CalendarConnect.McpServer.Booking;

/// <summary>
/// One booking change (book, reschedule) in flight per company, across replicas and processes: a row in
/// <c>booking_leases</c>, taken with one atomic upsert (the <c>RefreshLeases</c> pattern). Unlike refresh leases the
/// holder is one acquisition, not one server: two bookings on the same replica must exclude each other too.
/// Inside the lease a booking re-checks live busy time and the appointments table, so of overlapping concurrent
/// bookings exactly one gets the time. A lease expires by itself, so a crashed holder blocks a company for at most
/// <see cref="Duration"/>; a holder that outlives it writes nothing, because its row is written only while it still holds the lease.
/// </summary>
public sealed class BookingLeases(TokenDatabase database, TimeProvider time)
{
    /// <summary>Longer than a booking's Google calls with their retries (a few budgets of 8 s), short enough after a crash.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The most a booking or reschedule works under the lease (every Google call included), well under
    /// <see cref="Duration"/>. Safety does not rest on it (the row that takes the time is written only while the lease
    /// is still ours, see <see cref="AppointmentStore.TrySaveUnderLeaseAsync"/>), but it keeps a slow Google from
    /// holding every other booking of the company back, and from losing the lease to them.
    /// </summary>
    public static readonly TimeSpan WorkBudget = TimeSpan.FromSeconds(40);

    /// <summary>How long a booking waits for the company's lease before telling the caller to try again.</summary>
    public static readonly TimeSpan WaitBudget = TimeSpan.FromSeconds(30);

    /// <summary>The lease's holder token, or null when <see cref="WaitBudget"/> passed. Waits are real time: the business clock may be frozen in tests.</summary>
    public async Task<string?> AcquireAsync(string customerId, CancellationToken cancellationToken)
    {
        var holder = Guid.NewGuid().ToString("N");
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            if (await TryAcquireAsync(customerId, holder, cancellationToken)) return holder;
            if (Stopwatch.GetElapsedTime(started) > WaitBudget) return null;
            // Short, jittered polls: a booking holds the lease for a few Google round trips, and waiters should not move in lockstep.
            await Task.Delay(TimeSpan.FromMilliseconds(20 + Random.Shared.Next(40)), cancellationToken);
        }
    }

    private async Task<bool> TryAcquireAsync(string customerId, string holder, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        var taken = await connection.QuerySingleOrDefaultAsync<string>(
            """
            INSERT INTO booking_leases (customer_id, holder, expires_at) VALUES (@customerId, @holder, @expiresAt)
            ON CONFLICT (customer_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE booking_leases.expires_at < @now
            RETURNING holder
            """,
            new { customerId, holder, expiresAt = IsoUtc.Format(now + Duration), now = IsoUtc.Format(now) });
        return taken == holder;
    }

    public async Task ReleaseAsync(string customerId, string holder)
    {
        // Not cancellable: a lease must be given back even when the request that took it was cancelled.
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("DELETE FROM booking_leases WHERE customer_id = @customerId AND holder = @holder", new { customerId, holder });
    }
}
