using System.Globalization;
using Dapper;

namespace CalendarConnect.Backend.Storage;

public sealed record CustomerRecord(
    string CustomerId, string CustomerEmail, string CustomerName, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The table customer_memory: the companies the admin registered (never any Google token).</summary>
public sealed class CustomerMemory(CustomerDatabase database, TimeProvider time)
{
    private const string Columns = "customer_id, customer_email, customer_name, created_at, updated_at";

    /// <summary>Inserts the company or updates its email and name; created_at is kept.</summary>
    public async Task<CustomerRecord> UpsertAsync(string customerId, string customerEmail, string customerName,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<Row>(new CommandDefinition($"""
            INSERT INTO customer_memory ({Columns})
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

        public CustomerRecord ToRecord() => new(customer_id, customer_email, customer_name,
            DateTimeOffset.Parse(created_at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            DateTimeOffset.Parse(updated_at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
    }
}
