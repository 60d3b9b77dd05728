using CalendarConnect.McpServer.Storage;
using Dapper;
using NodaTime;

namespace CalendarConnect.McpServer.Booking;

/// <summary>Where an appointment stands. <c>pending</c>: written before the Google insert, so a booking in flight already blocks its time.</summary>
public static class AppointmentStatus
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";
    public const string Cancelled = "cancelled";
}

public sealed record Appointment(
    string CustomerId, string EventId, string CalendarId, Instant Start, Instant End, string Status, string? IdempotencyKey,
    string CustomerName, Instant CreatedAt, Instant UpdatedAt)
{
    public bool IsActive => Status is AppointmentStatus.Pending or AppointmentStatus.Confirmed;
}

/// <summary>
/// The <c>appointments</c> table: every event this system created, per company. It is what makes "only our events
/// can be cancelled or moved" hold (an id is looked up together with the company, so another company's id is simply
/// not found), and the second source of busy time next to freeBusy. Times are ISO UTC text, so ranges compare as text.
/// </summary>
public sealed class AppointmentStore(TokenDatabase database, TimeProvider time)
{
    private sealed record Row(string customer_id, string event_id, string calendar_id, string start_utc, string end_utc, string status,
        string? idempotency_key, string customer_name, string created_at, string updated_at)
    {
        public Appointment ToAppointment() => new(customer_id, event_id, calendar_id, Parse(start_utc), Parse(end_utc), status, idempotency_key,
            customer_name, Parse(created_at), Parse(updated_at));
    }

    private const string Columns = "customer_id, event_id, calendar_id, start_utc, end_utc, status, idempotency_key, customer_name, created_at, updated_at";

    public async Task<Appointment?> GetAsync(string customerId, string eventId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(
            $"SELECT {Columns} FROM appointments WHERE customer_id = @customerId AND event_id = @eventId", new { customerId, eventId });
        return row?.ToAppointment();
    }

    /// <summary>Pending and confirmed appointments of the company overlapping [from, to), except <paramref name="exceptEventId"/>.</summary>
    public async Task<IReadOnlyList<Appointment>> ActiveOverlappingAsync(string customerId, Instant from, Instant to, string? exceptEventId,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(
            $"""
            SELECT {Columns} FROM appointments
            WHERE customer_id = @customerId AND status IN ('pending', 'confirmed') AND start_utc < @to AND end_utc > @from
              AND event_id <> @except
            """,
            new { customerId, from = Format(from), to = Format(to), except = exceptEventId ?? "" });
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

    /// <summary>Writes (or rewrites) the row of a booking about to be inserted at Google, as <c>pending</c>.</summary>
    public async Task SavePendingAsync(string customerId, string eventId, string calendarId, Instant start, Instant end, string? idempotencyKey,
        string customerName, CancellationToken cancellationToken)
    {
        var now = Format(Instant.FromDateTimeOffset(time.GetUtcNow()));
        await using var connection = await database.OpenAsync(cancellationToken);
        // Same statement on both engines (SQLite 3.24+ and PostgreSQL share the upsert syntax).
        await connection.ExecuteAsync(
            """
            INSERT INTO appointments (customer_id, event_id, calendar_id, start_utc, end_utc, status, idempotency_key, customer_name, created_at, updated_at)
            VALUES (@customerId, @eventId, @calendarId, @start, @end, 'pending', @idempotencyKey, @customerName, @now, @now)
            ON CONFLICT (customer_id, event_id) DO UPDATE SET calendar_id = excluded.calendar_id, start_utc = excluded.start_utc,
                end_utc = excluded.end_utc, status = 'pending', customer_name = excluded.customer_name, updated_at = excluded.updated_at
            """,
            new { customerId, eventId, calendarId, start = Format(start), end = Format(end), idempotencyKey, customerName, now });
    }

    /// <summary>Records the appointment as it now stands at Google (also for one found there after a lost answer).</summary>
    public async Task SaveAsync(string customerId, string eventId, string calendarId, Instant start, Instant end, string status, string? idempotencyKey,
        string customerName, CancellationToken cancellationToken)
    {
        var now = Format(Instant.FromDateTimeOffset(time.GetUtcNow()));
        // Not cancellable: once Google has the event, the record must follow even if the caller has gone away.
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            """
            INSERT INTO appointments (customer_id, event_id, calendar_id, start_utc, end_utc, status, idempotency_key, customer_name, created_at, updated_at)
            VALUES (@customerId, @eventId, @calendarId, @start, @end, @status, @idempotencyKey, @customerName, @now, @now)
            ON CONFLICT (customer_id, event_id) DO UPDATE SET calendar_id = excluded.calendar_id, start_utc = excluded.start_utc,
                end_utc = excluded.end_utc, status = excluded.status, updated_at = excluded.updated_at
            """,
            new { customerId, eventId, calendarId, start = Format(start), end = Format(end), status, idempotencyKey, customerName, now });
    }

    /// <summary>Forgets a pending booking whose Google insert failed: nothing was created, so nothing may stay blocked.</summary>
    public async Task DeletePendingAsync(string customerId, string eventId)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("DELETE FROM appointments WHERE customer_id = @customerId AND event_id = @eventId AND status = 'pending'",
            new { customerId, eventId });
    }

    public static string Format(Instant instant) => IsoUtc.Format(instant.ToDateTimeOffset());

    private static Instant Parse(string text) => Instant.FromDateTimeOffset(DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture,
        System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal));
}
