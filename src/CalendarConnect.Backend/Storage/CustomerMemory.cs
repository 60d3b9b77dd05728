using System.Globalization;
using Dapper;

namespace CalendarConnect.Backend.Storage;

/// <param name="WhatsAppNumber">The company's WhatsApp business number in E.164 ("+5491155550000"), or null.</param>
public sealed record CustomerRecord(
    string CustomerId, string CustomerEmail, string CustomerName, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    string? WhatsAppNumber = null);

/// <summary>Why a WhatsApp number could not be saved.</summary>
public enum WhatsAppNumberResult { Saved, UnknownCustomer, TakenByAnotherCustomer }

/// <summary>The outcome of <see cref="CustomerMemory.UpdateAsync"/>: the saved company, or why nothing was saved.</summary>
/// <param name="Holder">
/// With TakenByAnotherCustomer: the customer_id that holds the number, or null when it could not be found (the
/// unique index refused the number but its holder let go of it before it could be read).
/// </param>
public sealed record CustomerUpdate(WhatsAppNumberResult Result, CustomerRecord? Customer, string? Holder);

/// <summary>The table customer_memory: the companies the admin registered (never any Google token).</summary>
public sealed class CustomerMemory(CustomerDatabase database, TimeProvider time)
{
    private const string Columns = "customer_id, customer_email, customer_name, created_at, updated_at, whatsapp_number";
    private const string InsertColumns = "customer_id, customer_email, customer_name, created_at, updated_at";

    /// <summary>Inserts the company or updates its email and name; created_at is kept.</summary>
    public async Task<CustomerRecord> UpsertAsync(string customerId, string customerEmail, string customerName,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<Row>(new CommandDefinition($"""
            INSERT INTO customer_memory ({InsertColumns})
            VALUES (@customerId, @customerEmail, @customerName, @now, @now)
            ON CONFLICT (customer_id) DO UPDATE SET
                customer_email = excluded.customer_email,
                customer_name  = excluded.customer_name,
                updated_at     = excluded.updated_at
            RETURNING {Columns};
            """, new { customerId, customerEmail, customerName, now = time.GetUtcNow().ToString("O") },
            cancellationToken: cancellationToken));
        return row.ToRecord();
    }

    public async Task<CustomerRecord?> FindAsync(string customerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM customer_memory WHERE customer_id = @customerId;", new { customerId },
            cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>The company whose WhatsApp business number is <paramref name="e164"/> (already normalised), or null.</summary>
    public async Task<CustomerRecord?> FindByWhatsAppNumberAsync(string e164, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM customer_memory WHERE whatsapp_number = @e164;", new { e164 },
            cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    /// <summary>
    /// Sets (or, with null, clears) the company's WhatsApp business number, already normalised to E.164. A number
    /// another company holds is refused, not moved: routing customers' messages to the wrong company would be worse.
    /// </summary>
    public async Task<WhatsAppNumberResult> SetWhatsAppNumberAsync(string customerId, string? e164,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (e164 is not null)
        {
            var holder = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT customer_id FROM customer_memory WHERE whatsapp_number = @e164;", new { e164 }, cancellationToken: cancellationToken));
            if (holder is not null && holder != customerId) return WhatsAppNumberResult.TakenByAnotherCustomer;
        }
        try
        {
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE customer_memory SET whatsapp_number = @e164, updated_at = @now WHERE customer_id = @customerId;",
                new { customerId, e164, now = time.GetUtcNow().ToString("O") }, cancellationToken: cancellationToken));
            return updated == 0 ? WhatsAppNumberResult.UnknownCustomer : WhatsAppNumberResult.Saved;
        }
        catch (System.Data.Common.DbException ex) when (IsUniqueViolation(ex))
        {
            // Another company took the number between the check and the update (the unique index decides).
            return WhatsAppNumberResult.TakenByAnotherCustomer;
        }
    }

    /// <summary>
    /// Changes the given fields of a company in one statement (null email or name = keep; the number only when
    /// <paramref name="setsWhatsAppNumber"/>, null clearing it). A number another company holds is refused and
    /// nothing is changed; <see cref="CustomerUpdate.Holder"/> names that company.
    /// </summary>
    public async Task<CustomerUpdate> UpdateAsync(string customerId, string? customerEmail, string? customerName,
        bool setsWhatsAppNumber, string? whatsAppNumber, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (setsWhatsAppNumber && whatsAppNumber is not null)
        {
            var holder = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT customer_id FROM customer_memory WHERE whatsapp_number = @whatsAppNumber;", new { whatsAppNumber },
                cancellationToken: cancellationToken));
            if (holder is not null && holder != customerId) return new CustomerUpdate(WhatsAppNumberResult.TakenByAnotherCustomer, null, holder);
        }
        try
        {
            var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"""
                UPDATE customer_memory SET
                    customer_email  = COALESCE(@customerEmail, customer_email),
                    customer_name   = COALESCE(@customerName, customer_name),
                    whatsapp_number = CASE WHEN @setsWhatsAppNumber THEN @whatsAppNumber ELSE whatsapp_number END,
                    updated_at      = @now
                WHERE customer_id = @customerId
                RETURNING {Columns};
                """, new { customerId, customerEmail, customerName, setsWhatsAppNumber, whatsAppNumber, now = time.GetUtcNow().ToString("O") },
                cancellationToken: cancellationToken));
            return row is null
                ? new CustomerUpdate(WhatsAppNumberResult.UnknownCustomer, null, null)
                : new CustomerUpdate(WhatsAppNumberResult.Saved, row.ToRecord(), null);
        }
        catch (System.Data.Common.DbException ex) when (IsUniqueViolation(ex))
        {
            // Another company took the number between the check and the update (the unique index decides).
            var holder = whatsAppNumber is null ? null : (await FindByWhatsAppNumberAsync(whatsAppNumber, cancellationToken))?.CustomerId;
            return new CustomerUpdate(WhatsAppNumberResult.TakenByAnotherCustomer, null, holder);
        }
    }

    private static bool IsUniqueViolation(System.Data.Common.DbException ex) => ex switch
    {
        Microsoft.Data.Sqlite.SqliteException s => s.SqliteErrorCode == 19, // SQLITE_CONSTRAINT
        Npgsql.PostgresException p => p.SqlState == "23505",
        _ => false,
    };

    /// <summary>Every company, newest first.</summary>
    public async Task<IReadOnlyList<CustomerRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM customer_memory;", cancellationToken: cancellationToken));
        // Ordered here, not in SQL: PostgreSQL's collation would order ids differently from SQLite's.
        return rows.Select(r => r.ToRecord())
            .OrderByDescending(r => r.CreatedAt).ThenBy(r => r.CustomerId, StringComparer.Ordinal).ToList();
    }

    private sealed class Row
    {
        public string customer_id { get; init; } = "";
        public string customer_email { get; init; } = "";
        public string customer_name { get; init; } = "";
        public string created_at { get; init; } = "";
        public string updated_at { get; init; } = "";
        public string? whatsapp_number { get; init; }

        public CustomerRecord ToRecord() => new(customer_id, customer_email, customer_name,
            DateTimeOffset.Parse(created_at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            DateTimeOffset.Parse(updated_at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            whatsapp_number);
    }
}
