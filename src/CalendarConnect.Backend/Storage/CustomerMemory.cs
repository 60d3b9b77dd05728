using System.Globalization;
using CalendarConnect.Backend.CustomerCalendars;
using CalendarConnect.Infrastructure;
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

    private readonly SearchCounts _searchCounts = new();

    /// <summary>
    /// Inserts the company or updates its email and name; created_at is kept. A new company starts with the status the
    /// MCP server's feed already gave for its id (not_connected when it gave none).
    /// </summary>
    public async Task<CustomerRecord> UpsertAsync(string customerId, string customerEmail, string customerName,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // PostgreSQL: while a change for this id is applied, wait for it (SQLite has one writer at a time anyway).
        await using var transaction = database.Engine == DatabaseEngine.Postgres ? await connection.BeginTransactionAsync(cancellationToken) : null;
        if (transaction is not null) await KnownCalendarStatuses.LockAsync(connection, transaction, database.Engine, exclusive: false, cancellationToken);
        var row = await connection.QuerySingleAsync<Row>(new CommandDefinition($"""
            INSERT INTO customer_memory ({InsertColumns}, search_text, calendar_status)
            VALUES (@customerId, @customerEmail, @customerName, @now, @now, @searchText,
                    COALESCE((SELECT status FROM customer_calendar_statuses WHERE customer_id = @customerId), @notConnected))
            ON CONFLICT (customer_id) DO UPDATE SET
                customer_email = excluded.customer_email,
                customer_name  = excluded.customer_name,
                updated_at     = excluded.updated_at,
                search_text    = @searchText || COALESCE(customer_memory.whatsapp_number, '')
            RETURNING {Columns};
            """, new
            {
                customerId, customerEmail, customerName, now = time.GetUtcNow().ToString("O"),
                searchText = CustomerCalendarQuery.SearchTextBeforeNumber(customerId, customerName, customerEmail),
                notConnected = ConnectionStatus.NotConnected,
            }, transaction, cancellationToken: cancellationToken));
        if (transaction is not null) await transaction.CommitAsync(cancellationToken);
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
        CancellationToken cancellationToken = default) =>
        (await UpdateAsync(customerId, null, null, setsWhatsAppNumber: true, e164, cancellationToken)).Result;

    /// <summary>
    /// Changes the given fields of a company (null email or name = keep; the number only when
    /// <paramref name="setsWhatsAppNumber"/>, null clearing it) and its search text, in one transaction. A number
    /// another company holds is refused and nothing is changed; <see cref="CustomerUpdate.Holder"/> names that company.
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
            // The search text is folded here from the values as they will be, so the row is read and written in one
            // transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: the row locked).
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var forUpdate = database.Engine == DatabaseEngine.Postgres ? " FOR UPDATE" : "";
            var current = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
                $"SELECT {Columns} FROM customer_memory WHERE customer_id = @customerId{forUpdate};", new { customerId },
                transaction, cancellationToken: cancellationToken));
            if (current is null) return new CustomerUpdate(WhatsAppNumberResult.UnknownCustomer, null, null);
            var email = customerEmail ?? current.customer_email;
            var name = customerName ?? current.customer_name;
            var number = setsWhatsAppNumber ? whatsAppNumber : current.whatsapp_number;
            var row = await connection.QuerySingleAsync<Row>(new CommandDefinition($"""
                UPDATE customer_memory SET
                    customer_email  = @email,
                    customer_name   = @name,
                    whatsapp_number = @number,
                    search_text     = @searchText,
                    updated_at      = @now
                WHERE customer_id = @customerId
                RETURNING {Columns};
                """, new
                {
                    customerId, email, name, number, now = time.GetUtcNow().ToString("O"),
                    searchText = CustomerCalendarQuery.SearchText(customerId, name, email, number),
                }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return new CustomerUpdate(WhatsAppNumberResult.Saved, row.ToRecord(), null);
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

    /// <summary>
    /// One page of the companies that match <paramref name="filter"/>, newest first, and how many match in all. Without
    /// search: one statement, the total from customer_status_counts. With a search: every statement in one snapshot, so
    /// the total and the page agree; the total of a search is counted once per customer_list_version (the console
    /// asks for the same list every few seconds) and kept in this process while nothing it could see has changed.
    /// </summary>
    public async Task<CustomerPage> ListPageAsync(CustomerListFilter filter, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (filter.FoldedText is not { } text)
        {
            var (plainSql, plainParameters) = CustomerListSql.Build(filter, database.Engine);
            return (await ReadPageAsync(connection, null, plainSql, plainParameters, cancellationToken)).Page;
        }

        await using var transaction = database.Engine == DatabaseEngine.Sqlite
            ? ((Microsoft.Data.Sqlite.SqliteConnection)connection).BeginTransaction(deferred: true) // a read snapshot, no write lock
            : await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        // How many companies the search reads through: every one, or those of the status asked for.
        var state = await connection.QuerySingleAsync<ListState>(new CommandDefinition("""
            SELECT (SELECT version FROM customer_list_version WHERE id = 1) AS version,
                   (SELECT CAST(COALESCE(SUM(companies), 0) AS BIGINT) FROM customer_status_counts
                    WHERE @status IS NULL OR calendar_status = @status) AS companies;
            """, new { status = filter.Status }, transaction, cancellationToken: cancellationToken));
        var key = new SearchCountKey(text, filter.PhoneDigits, filter.Status);
        var knownTotal = _searchCounts.Find(key, state.version);
        CustomerPage? page = null;
        var cap = CustomerListSql.TrigramIndexCap(filter.Skip + filter.Take, state.companies);
        // SQLite: the trigram index, unless the status asked for has so few companies that reading them is cheaper, or the
        // search is already known to match too many for it (a list polled every few seconds asks the same again and again).
        if (database.Engine == DatabaseEngine.Sqlite && CustomerListSql.TrigramIndexCanFind(text) && state.companies >= cap && !(knownTotal >= cap))
        {
            var (indexSql, indexParameters) = CustomerListSql.Build(filter, database.Engine, cap, knownTotal);
            var (throughIndex, found) = await ReadPageAsync(connection, transaction, indexSql, indexParameters, cancellationToken);
            if (found < cap) page = throughIndex;
        }
        if (page is null)
        {
            var (sql, parameters) = CustomerListSql.Build(filter, database.Engine, knownTotal: knownTotal);
            (page, _) = await ReadPageAsync(connection, transaction, sql, parameters, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        _searchCounts.Keep(key, state.version, page.Total);
        return page;
    }

    /// <returns>The page, and how many matches the trigram index read (null when it was not used).</returns>
    private static async Task<(CustomerPage Page, long? Found)> ReadPageAsync(System.Data.Common.DbConnection connection,
        System.Data.Common.DbTransaction? transaction, string sql, DynamicParameters parameters, CancellationToken cancellationToken)
    {
        var rows = (await connection.QueryAsync<PageRow>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken))).ToList();
        var total = rows.Count == 0 ? 0 : rows[0].total;
        var page = new CustomerPage((int)Math.Min(int.MaxValue, total), rows.Where(r => r.customer_id is not null).Select(r => r.ToRecord()).ToList());
        return (page, rows.Count == 0 ? null : rows[0].found);
    }

    /// <summary>
    /// Writes the search text of the companies that have none: rows from before schema version 5, or written by an
    /// older backend while this one ran. Each row is written only if it is still as read, so a concurrent update is
    /// never overwritten with a stale text. Returns how many were filled.
    /// </summary>
    public async Task<int> FillSearchTextAsync(CancellationToken cancellationToken = default)
    {
        const int batch = 500;
        var filled = 0;
        var after = "";
        await using var connection = await database.OpenAsync(cancellationToken);
        while (true)
        {
            var rows = (await connection.QueryAsync<Row>(new CommandDefinition($"""
                SELECT {Columns} FROM customer_memory WHERE search_text IS NULL AND customer_id > @after ORDER BY customer_id LIMIT {batch};
                """, new { after }, cancellationToken: cancellationToken))).ToList();
            if (rows.Count == 0) return filled;
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
            {
                foreach (var row in rows)
                {
                    filled += await connection.ExecuteAsync(new CommandDefinition("""
                        UPDATE customer_memory SET search_text = @searchText
                        WHERE customer_id = @customerId AND search_text IS NULL AND customer_name = @name AND customer_email = @email
                          AND (whatsapp_number = @number OR (whatsapp_number IS NULL AND @number IS NULL));
                        """, new
                        {
                            customerId = row.customer_id, name = row.customer_name, email = row.customer_email, number = row.whatsapp_number,
                            searchText = CustomerCalendarQuery.SearchText(row.customer_id, row.customer_name, row.customer_email, row.whatsapp_number),
                        }, transaction, cancellationToken: cancellationToken));
                }
                await transaction.CommitAsync(cancellationToken);
            }
            after = rows[^1].customer_id;
        }
    }

    private sealed class ListState
    {
        public long version { get; init; }
        public long companies { get; init; }
    }

    private sealed class PageRow
    {
        public long? found { get; init; }
        public long total { get; init; }
        public string? customer_id { get; init; }
        public string? customer_email { get; init; }
        public string? customer_name { get; init; }
        public string? created_at { get; init; }
        public string? updated_at { get; init; }
        public string? whatsapp_number { get; init; }

        public CustomerRecord ToRecord() => new Row
        {
            customer_id = customer_id!, customer_email = customer_email!, customer_name = customer_name!,
            created_at = created_at!, updated_at = updated_at!, whatsapp_number = whatsapp_number,
        }.ToRecord();
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
