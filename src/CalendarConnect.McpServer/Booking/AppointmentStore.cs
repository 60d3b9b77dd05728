using CalendarConnect.McpServer.Mirror;
using CalendarConnect.McpServer.Storage;
using Dapper;
using NodaTime;

namespace CalendarConnect.McpServer.Booking;

/// <summary>
/// Where an appointment stands. <c>pending</c>: written before the Google insert, so a booking in flight already blocks
/// its time. <c>hold</c>: the new time of a reschedule in flight, a row of its own (<see cref="EventIds.HoldFor"/>) so
/// the time is taken before Google is asked to move the event.
/// </summary>
public static class AppointmentStatus
{
    public const string Pending = "pending";
    public const string Hold = "hold";
    public const string Confirmed = "confirmed";
    public const string Cancelled = "cancelled";
}

public sealed record Appointment(
    string CustomerId, string EventId, string CalendarId, Instant Start, Instant End, string Status, string? IdempotencyKey,
    string CustomerName, Instant CreatedAt, Instant UpdatedAt, string? RequestHash = null)
{
    public bool IsActive => Status is AppointmentStatus.Pending or AppointmentStatus.Confirmed;
}

/// <summary>
/// The <c>appointments</c> table: every event this system created, per company. It is what makes "only our events
/// can be cancelled or moved" hold (an id is looked up together with the company, so another company's id is simply
/// not found), and the second source of busy time next to freeBusy. Times are ISO UTC text, so ranges compare as text.
/// Every write raises the company's <see cref="BusyVersions"/>: availability reads from the mirror hold these rows in memory.
/// </summary>
public sealed class AppointmentStore(TokenDatabase database, BusyVersions versions, TimeProvider time)
{
    private sealed record Row(string customer_id, string event_id, string calendar_id, string start_utc, string end_utc, string status,
        string? idempotency_key, string customer_name, string created_at, string updated_at, string? request_hash)
    {
        public Appointment ToAppointment() => new(customer_id, event_id, calendar_id, Parse(start_utc), Parse(end_utc), status, idempotency_key,
            customer_name, Parse(created_at), Parse(updated_at), request_hash);
    }

    private const string Columns =
        "customer_id, event_id, calendar_id, start_utc, end_utc, status, idempotency_key, customer_name, created_at, updated_at, request_hash";

    /// <summary>
    /// A pending row or a reschedule hold older than this is no longer a request in flight: a booking change ends within
    /// <see cref="BookingBudget.Total"/> (the tool deadline cuts its work there), so its writer crashed or gave up, and
    /// the next read of that time resolves it at Google. The margin covers clocks of replicas that differ a little and a write sent to
    /// Google just before its cut; the whole stays well within 30 s.
    /// </summary>
    public static readonly Duration StaleAfter = Duration.FromTimeSpan(BookingBudget.Total) + Duration.FromSeconds(10);

    public async Task<Appointment?> GetAsync(string customerId, string eventId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            $"SELECT {Columns} FROM appointments WHERE customer_id = @customerId AND event_id = @eventId", new { customerId, eventId });
        return row?.ToAppointment();
    }

    /// <summary>
    /// Pending, held and confirmed rows overlapping [from, to) of the company, and of any company that books into one of
    /// <paramref name="calendarKeys"/> (<see cref="CalendarKeys"/>: another company on the same Google calendar), except
    /// <paramref name="exceptEventId"/> and its hold.
    /// </summary>
    public async Task<IReadOnlyList<Appointment>> ActiveOverlappingAsync(string customerId, IReadOnlyList<string> calendarKeys, Instant from, Instant to,
        string? exceptEventId, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(new { customerId, from = Format(from), to = Format(to), except = exceptEventId ?? "",
            exceptHold = exceptEventId is null ? "" : EventIds.HoldFor(exceptEventId) });
        // One parameter per key, the same text on both engines (Dapper would send PostgreSQL an array instead).
        var keys = calendarKeys.Select((key, i) =>
        {
            parameters.Add($"calendarKey{i}", key);
            return $"@calendarKey{i}";
        }).ToList();
        var sameCalendar = keys.Count == 0 ? "" : $" OR calendar_key IN ({string.Join(", ", keys)})";
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(
            $"""
            SELECT {Columns} FROM appointments
            WHERE (customer_id = @customerId{sameCalendar}) AND status IN ('pending', 'hold', 'confirmed')
              AND start_utc < @to AND end_utc > @from AND event_id <> @except AND event_id <> @exceptHold
            """,
            parameters);
        return rows.Select(r => r.ToAppointment()).ToList();
    }

    /// <summary>Pending, held and confirmed rows of the company that end after <paramref name="since"/>: what the mirror's copy keeps.</summary>
    public async Task<IReadOnlyList<Appointment>> ActiveEndingAfterAsync(string customerId, Instant since, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(
            $"SELECT {Columns} FROM appointments WHERE customer_id = @customerId AND status IN ('pending', 'hold', 'confirmed') AND end_utc > @since",
            new { customerId, since = Format(since) });
        return rows.Select(r => r.ToAppointment()).ToList();
    }

    /// <summary>Appointments of the company starting in [from, to), oldest first; pending ones are not shown (they may never happen).</summary>
    public async Task<IReadOnlyList<Appointment>> ListAsync(string customerId, Instant from, Instant to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(
            $"""
            SELECT {Columns} FROM appointments
            WHERE customer_id = @customerId AND status IN ('confirmed', 'cancelled') AND start_utc >= @from AND start_utc < @to
            ORDER BY start_utc, event_id
            """,
            new { customerId, from = Format(from), to = Format(to) });
        return rows.Select(r => r.ToAppointment()).ToList();
    }

    /// <summary>
    /// Writes (or rewrites) a <c>pending</c> row (a booking about to be inserted at Google) or a <c>hold</c> (the new
    /// time of a reschedule), only if <paramref name="lease"/> is still held, and renews the lease in the same
    /// transaction. The renewal locks the lease row (PostgreSQL) or the database (SQLite), so no other holder can take
    /// the lease between the check and the write: whoever takes it next reads this row and sees the time taken. False
    /// when the lease was lost meanwhile (expired and taken over) and nothing was written. The row records the lease's
    /// key as its <c>calendar_key</c>: the Google calendar it takes time in, for every company that books into it.
    /// </summary>
    public async Task<bool> TrySaveUnderLeaseAsync(BookingLease lease, string customerId, string eventId, string calendarId, Instant start, Instant end,
        string status, string? idempotencyKey, string customerName, string? requestHash, CancellationToken cancellationToken)
    {
        var utcNow = time.GetUtcNow();
        var now = Format(Instant.FromDateTimeOffset(utcNow));
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var renewed = await connection.ExecuteAsync(
            "UPDATE booking_write_leases SET expires_at = @expiresAt WHERE lease_key = @key AND holder = @holder AND expires_at > @leaseNow",
            new { key = lease.Key, holder = lease.Holder, expiresAt = BookingLeases.LeaseTime(utcNow + BookingLeases.Duration),
                leaseNow = BookingLeases.LeaseTime(utcNow) }, transaction);
        if (renewed != 1) return false;
        // Same statement on both engines (SQLite 3.24+ and PostgreSQL share the upsert syntax).
        await connection.ExecuteAsync(
            """
            INSERT INTO appointments (customer_id, event_id, calendar_id, start_utc, end_utc, status, idempotency_key, customer_name, created_at,
                updated_at, request_hash, calendar_key)
            VALUES (@customerId, @eventId, @calendarId, @start, @end, @status, @idempotencyKey, @customerName, @now, @now, @requestHash, @calendarKey)
            ON CONFLICT (customer_id, event_id) DO UPDATE SET calendar_id = excluded.calendar_id, start_utc = excluded.start_utc,
                end_utc = excluded.end_utc, status = excluded.status, customer_name = excluded.customer_name, updated_at = excluded.updated_at,
                request_hash = COALESCE(appointments.request_hash, excluded.request_hash), calendar_key = excluded.calendar_key
            """,
            new { customerId, eventId, calendarId, start = Format(start), end = Format(end), status, idempotencyKey, customerName, now, requestHash,
                calendarKey = lease.Key },
            transaction);
        await versions.BumpAsync(connection, transaction, customerId);
        await transaction.CommitAsync(cancellationToken);
        versions.Changed(customerId);
        return true;
    }

    /// <summary>Records the appointment as it now stands at Google (also for one found there after a lost answer).</summary>
    public Task SaveAsync(string customerId, string eventId, string calendarId, Instant start, Instant end, string status, string? idempotencyKey,
        string customerName, CancellationToken cancellationToken, string? requestHash = null)
    {
        var now = Format(Instant.FromDateTimeOffset(time.GetUtcNow()));
        // Not cancellable: once Google has the event, the record must follow even if the caller has gone away.
        return WriteAsync(customerId, (connection, transaction) => connection.ExecuteAsync(
            """
            INSERT INTO appointments (customer_id, event_id, calendar_id, start_utc, end_utc, status, idempotency_key, customer_name, created_at,
                updated_at, request_hash)
            VALUES (@customerId, @eventId, @calendarId, @start, @end, @status, @idempotencyKey, @customerName, @now, @now, @requestHash)
            ON CONFLICT (customer_id, event_id) DO UPDATE SET calendar_id = excluded.calendar_id, start_utc = excluded.start_utc,
                end_utc = excluded.end_utc, status = excluded.status, updated_at = excluded.updated_at,
                request_hash = COALESCE(appointments.request_hash, excluded.request_hash)
            """,
            new { customerId, eventId, calendarId, start = Format(start), end = Format(end), status, idempotencyKey, customerName, now, requestHash },
            transaction));
    }

    /// <summary>Forgets a pending booking whose Google insert failed: nothing was created, so nothing may stay blocked.</summary>
    public Task DeletePendingAsync(string customerId, string eventId) =>
        WriteAsync(customerId, (connection, transaction) => connection.ExecuteAsync(
            "DELETE FROM appointments WHERE customer_id = @customerId AND event_id = @eventId AND status = 'pending'", new { customerId, eventId },
            transaction));

    /// <summary>Forgets a pending row or hold that is stale, only if nobody rewrote it since it was read (a retry renews <c>updated_at</c>).</summary>
    public Task DeleteStaleAsync(Appointment stale) =>
        WriteAsync(stale.CustomerId, (connection, transaction) => connection.ExecuteAsync(
            """
            DELETE FROM appointments WHERE customer_id = @customerId AND event_id = @eventId AND status IN ('pending', 'hold')
              AND updated_at = @updatedAt
            """,
            new { customerId = stale.CustomerId, eventId = stale.EventId, updatedAt = Format(stale.UpdatedAt) }, transaction));

    /// <summary>Gives back the new time a reschedule held, once the move is recorded or known not to have happened.</summary>
    public Task DeleteHoldAsync(string customerId, string eventId) =>
        WriteAsync(customerId, (connection, transaction) => connection.ExecuteAsync(
            "DELETE FROM appointments WHERE customer_id = @customerId AND event_id = @holdId AND status = 'hold'",
            new { customerId, holdId = EventIds.HoldFor(eventId) }, transaction));

    /// <summary>A write and the company's busy version in one transaction (one commit), announced here once it is committed.</summary>
    private async Task WriteAsync(string customerId, Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Task> write)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
        await write(connection, transaction);
        await versions.BumpAsync(connection, transaction, customerId);
        await transaction.CommitAsync(CancellationToken.None);
        versions.Changed(customerId);
    }

    public static string Format(Instant instant) => IsoUtc.Format(instant.ToDateTimeOffset());

    private static Instant Parse(string text) => Instant.FromDateTimeOffset(DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture,
        System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal));
}
