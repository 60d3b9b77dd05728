using System.Data.Common;
using CalendarConnect.Backend.Web;
using CalendarConnect.Infrastructure;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CalendarConnect.Backend.Storage;

public sealed class CustomerDatabaseOptions
{
    public const string Variable = "CUSTOMER_DB";
    public const string DefaultFileName = "customers.db";

    /// <summary>
    /// A SQLite file path, or a PostgreSQL connection string (<c>Host=…</c>, <c>Server=…</c>) or URL (<c>postgres://…</c>),
    /// read as TOKEN_DB is (<see cref="DatabaseSetting"/>). Unset: customers.db in DATA_DIR.
    /// </summary>
    public string Setting { get; set; } = DataDirectory.DefaultFile(null, DefaultFileName);

    public DatabaseEngine Engine => DatabaseSetting.EngineOf(Setting);

    /// <summary>The problem with the setting, one line naming the variable, or null (checked at start-up through BackendSettings).</summary>
    public string? Problem()
    {
        // The message never repeats the setting: it may hold a password.
        if (Engine == DatabaseEngine.Postgres)
            return DatabaseSetting.ProblemWith(Setting) is { } problem ? $"{Variable} is not a usable PostgreSQL connection string or URL: {problem}" : null;
        return Setting.IndexOfAny(Path.GetInvalidPathChars()) >= 0 ? $"{Variable} is not a valid file path." : null;
    }
}

/// <summary>Opens connections to the customer database and keeps its schema at the latest version.</summary>
public sealed class CustomerDatabase(IOptions<CustomerDatabaseOptions> options, TimeProvider time, ILogger<CustomerDatabase> log) : IAsyncDisposable
{
    /// <summary>
    /// Schema versions, applied in order, each once (table schema_version), with the same version numbers and
    /// columns on both engines. Timestamps are ISO 8601 UTC text on both, so rows read the same wherever they live.
    /// </summary>
    private static readonly (int Version, string Sqlite, string Postgres)[] Migrations =
    [
        (1, """
            CREATE TABLE IF NOT EXISTS customer_memory (
                customer_id    TEXT NOT NULL PRIMARY KEY,
                customer_email TEXT NOT NULL,
                customer_name  TEXT NOT NULL,
                created_at     TEXT NOT NULL,
                updated_at     TEXT NOT NULL
            );
            """,
            """
            CREATE TABLE IF NOT EXISTS customer_memory (
                customer_id    TEXT NOT NULL PRIMARY KEY,
                customer_email TEXT NOT NULL,
                customer_name  TEXT NOT NULL,
                created_at     TEXT NOT NULL,
                updated_at     TEXT NOT NULL
            );
            """),
        // The company's WhatsApp business number (E.164, "+5491155550000"): the assistant routes a channel message
        // by the number it was sent to, so one number belongs to at most one company.
        (2, """
            ALTER TABLE customer_memory ADD COLUMN whatsapp_number TEXT NULL;
            CREATE UNIQUE INDEX IF NOT EXISTS customer_memory_whatsapp_number ON customer_memory (whatsapp_number);
            """,
            """
            ALTER TABLE customer_memory ADD COLUMN IF NOT EXISTS whatsapp_number TEXT NULL;
            CREATE UNIQUE INDEX IF NOT EXISTS customer_memory_whatsapp_number ON customer_memory (whatsapp_number);
            """),
        // The assistant's conversations (state as JSON, see ConversationStateJson), so a restart or another replica
        // still knows a pending confirmation; lease_* lets one replica at a time answer a conversation. And the
        // WhatsApp message ids already received, because Meta delivers a message again when unsure we got it.
        (3, """
            CREATE TABLE IF NOT EXISTS assistant_conversations (
                customer_id     TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                state           TEXT NULL,
                updated_at      TEXT NOT NULL,
                lease_owner     TEXT NULL,
                lease_until     TEXT NULL,
                PRIMARY KEY (customer_id, conversation_id)
            );
            CREATE INDEX IF NOT EXISTS assistant_conversations_updated_at ON assistant_conversations (updated_at);
            CREATE TABLE IF NOT EXISTS whatsapp_messages_received (
                message_id  TEXT NOT NULL PRIMARY KEY,
                received_at TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS whatsapp_messages_received_at ON whatsapp_messages_received (received_at);
            """,
            """
            CREATE TABLE IF NOT EXISTS assistant_conversations (
                customer_id     TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                state           TEXT NULL,
                updated_at      TEXT NOT NULL,
                lease_owner     TEXT NULL,
                lease_until     TEXT NULL,
                PRIMARY KEY (customer_id, conversation_id)
            );
            CREATE INDEX IF NOT EXISTS assistant_conversations_updated_at ON assistant_conversations (updated_at);
            CREATE TABLE IF NOT EXISTS whatsapp_messages_received (
                message_id  TEXT NOT NULL PRIMARY KEY,
                received_at TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS whatsapp_messages_received_at ON whatsapp_messages_received (received_at);
            """),
        // The WhatsApp inbox: a received message is stored with its id (what a reply needs, the text until it is
        // answered) and answered from the table, so one accepted while the backend stops or the database is down is
        // still answered. status pending|done|failed; seq keeps a conversation's messages in order; lease_* lets one
        // worker (of any replica) answer a message; attempts/next_attempt_at space out retries. Ids received before
        // this version were answered already: they become 'done'. SQLite cannot add an autoincrement column, so it
        // copies into a new table.
        (4, """
            CREATE TABLE whatsapp_messages_received_v4 (
                seq                  INTEGER PRIMARY KEY AUTOINCREMENT,
                message_id           TEXT NOT NULL UNIQUE,
                received_at          TEXT NOT NULL,
                status               TEXT NOT NULL DEFAULT 'done',
                display_phone_number TEXT NULL,
                phone_number_id      TEXT NULL,
                sender               TEXT NULL,
                type                 TEXT NULL,
                body                 TEXT NULL,
                sent_at              TEXT NULL,
                attempts             INTEGER NOT NULL DEFAULT 0,
                next_attempt_at      TEXT NULL,
                lease_owner          TEXT NULL,
                lease_until          TEXT NULL
            );
            INSERT INTO whatsapp_messages_received_v4 (message_id, received_at, status)
                SELECT message_id, received_at, 'done' FROM whatsapp_messages_received ORDER BY received_at;
            DROP TABLE whatsapp_messages_received;
            ALTER TABLE whatsapp_messages_received_v4 RENAME TO whatsapp_messages_received;
            CREATE INDEX IF NOT EXISTS whatsapp_messages_received_at ON whatsapp_messages_received (received_at);
            CREATE INDEX IF NOT EXISTS whatsapp_messages_received_pending ON whatsapp_messages_received (seq) WHERE status = 'pending';
            """,
            """
            ALTER TABLE whatsapp_messages_received
                ADD COLUMN IF NOT EXISTS seq BIGSERIAL,
                ADD COLUMN IF NOT EXISTS status TEXT NOT NULL DEFAULT 'done',
                ADD COLUMN IF NOT EXISTS display_phone_number TEXT NULL,
                ADD COLUMN IF NOT EXISTS phone_number_id TEXT NULL,
                ADD COLUMN IF NOT EXISTS sender TEXT NULL,
                ADD COLUMN IF NOT EXISTS type TEXT NULL,
                ADD COLUMN IF NOT EXISTS body TEXT NULL,
                ADD COLUMN IF NOT EXISTS sent_at TEXT NULL,
                ADD COLUMN IF NOT EXISTS attempts INTEGER NOT NULL DEFAULT 0,
                ADD COLUMN IF NOT EXISTS next_attempt_at TEXT NULL,
                ADD COLUMN IF NOT EXISTS lease_owner TEXT NULL,
                ADD COLUMN IF NOT EXISTS lease_until TEXT NULL;
            CREATE UNIQUE INDEX IF NOT EXISTS whatsapp_messages_received_seq ON whatsapp_messages_received (seq);
            CREATE INDEX IF NOT EXISTS whatsapp_messages_received_pending ON whatsapp_messages_received (seq) WHERE status = 'pending';
            """),
        // The list at scale: search, status filter, counts and pages in SQL.
        // - search_text: the company's id, name, email (each folded by CustomerCalendarQuery.Fold) and WhatsApp number,
        //   one per line, written by the backend on every insert and update; NULL until then (rows from before this
        //   version are filled at start-up, see CustomerMemory.FillSearchTextAsync).
        // - calendar_status: the company's last known status from the MCP server's feed of status changes, for the
        //   status filter; customer_calendar_statuses keeps every status learned (a company may be connected before
        //   this backend knows it) with the feed's seq, customer_status_feed the feed's id and the cursor.
        // - customer_status_counts: how many companies have each calendar_status, kept by triggers in the same
        //   transaction as every change, so X-Total-Count of a plain or status-filtered list is one row read.
        // - customer_list_version: a number the same triggers raise at every change a search or filter could see, so
        //   the count of a search can be kept while it is unchanged (CustomerMemory.ListPageAsync).
        // The indexes serve the list's order, newest first (created_at is ISO 8601 UTC text: its byte order is time
        // order; PostgreSQL compares with COLLATE "C" so it and SQLite order ids alike). Substring search is indexed by
        // trigrams: on SQLite an FTS5 table (customer_search, keyed by customer_search_keys because the rowid of
        // customer_memory may change on VACUUM), on PostgreSQL pg_trgm GiST indexes created at start-up when the
        // extension can be had (CustomerDatabase.EnsureTrigramIndexesAsync).
        (5, """
            ALTER TABLE customer_memory ADD COLUMN search_text TEXT NULL;
            ALTER TABLE customer_memory ADD COLUMN calendar_status TEXT NOT NULL DEFAULT 'not_connected';
            CREATE INDEX customer_memory_newest ON customer_memory (created_at DESC, customer_id);
            CREATE INDEX customer_memory_status_newest ON customer_memory (calendar_status, created_at DESC, customer_id);
            CREATE INDEX customer_memory_search_pending ON customer_memory (customer_id) WHERE search_text IS NULL;
            CREATE TABLE customer_calendar_statuses (
                customer_id TEXT NOT NULL PRIMARY KEY,
                status      TEXT NOT NULL,
                seq         INTEGER NOT NULL
            );
            CREATE TABLE customer_status_feed (
                id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                feed_id TEXT NULL,
                seq     INTEGER NOT NULL
            );
            INSERT INTO customer_status_feed (id, feed_id, seq) VALUES (1, NULL, 0);
            CREATE TABLE customer_status_counts (
                calendar_status TEXT NOT NULL PRIMARY KEY,
                companies       INTEGER NOT NULL
            );
            INSERT INTO customer_status_counts (calendar_status, companies)
                SELECT calendar_status, COUNT(*) FROM customer_memory GROUP BY calendar_status;
            CREATE TABLE customer_list_version (
                id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                version INTEGER NOT NULL
            );
            INSERT INTO customer_list_version (id, version) VALUES (1, 0);
            CREATE TABLE customer_search_keys (
                search_key  INTEGER PRIMARY KEY,
                customer_id TEXT NOT NULL UNIQUE
            );
            INSERT INTO customer_search_keys (customer_id) SELECT customer_id FROM customer_memory ORDER BY customer_id;
            CREATE VIRTUAL TABLE customer_search USING fts5(
                search_text, phone_digits, content='', contentless_delete=1, tokenize='trigram case_sensitive 1');
            CREATE TRIGGER customer_memory_after_insert AFTER INSERT ON customer_memory
            BEGIN
                INSERT INTO customer_status_counts (calendar_status, companies) VALUES (NEW.calendar_status, 1)
                    ON CONFLICT (calendar_status) DO UPDATE SET companies = companies + 1;
                INSERT INTO customer_search_keys (customer_id) VALUES (NEW.customer_id) ON CONFLICT (customer_id) DO NOTHING;
                INSERT INTO customer_search (rowid, search_text, phone_digits)
                    SELECT search_key, NEW.search_text, replace(NEW.whatsapp_number, '+', '') FROM customer_search_keys
                    WHERE customer_id = NEW.customer_id;
                UPDATE customer_list_version SET version = version + 1 WHERE id = 1;
            END;
            CREATE TRIGGER customer_memory_after_status_update AFTER UPDATE OF calendar_status ON customer_memory
                WHEN OLD.calendar_status IS NOT NEW.calendar_status
            BEGIN
                UPDATE customer_status_counts SET companies = companies - 1 WHERE calendar_status = OLD.calendar_status;
                INSERT INTO customer_status_counts (calendar_status, companies) VALUES (NEW.calendar_status, 1)
                    ON CONFLICT (calendar_status) DO UPDATE SET companies = companies + 1;
                UPDATE customer_list_version SET version = version + 1 WHERE id = 1;
            END;
            CREATE TRIGGER customer_memory_after_search_update AFTER UPDATE OF search_text, whatsapp_number ON customer_memory
            BEGIN
                DELETE FROM customer_search WHERE rowid = (SELECT search_key FROM customer_search_keys WHERE customer_id = NEW.customer_id);
                INSERT INTO customer_search (rowid, search_text, phone_digits)
                    SELECT search_key, NEW.search_text, replace(NEW.whatsapp_number, '+', '') FROM customer_search_keys
                    WHERE customer_id = NEW.customer_id;
                UPDATE customer_list_version SET version = version + 1 WHERE id = 1;
            END;
            CREATE TRIGGER customer_memory_after_delete AFTER DELETE ON customer_memory
            BEGIN
                UPDATE customer_status_counts SET companies = companies - 1 WHERE calendar_status = OLD.calendar_status;
                DELETE FROM customer_search WHERE rowid = (SELECT search_key FROM customer_search_keys WHERE customer_id = OLD.customer_id);
                DELETE FROM customer_search_keys WHERE customer_id = OLD.customer_id;
                UPDATE customer_list_version SET version = version + 1 WHERE id = 1;
            END;
            """,
            """
            ALTER TABLE customer_memory
                ADD COLUMN IF NOT EXISTS search_text TEXT NULL,
                ADD COLUMN IF NOT EXISTS calendar_status TEXT NOT NULL DEFAULT 'not_connected';
            CREATE INDEX IF NOT EXISTS customer_memory_newest
                ON customer_memory (created_at COLLATE "C" DESC, customer_id COLLATE "C");
            CREATE INDEX IF NOT EXISTS customer_memory_status_newest
                ON customer_memory (calendar_status, created_at COLLATE "C" DESC, customer_id COLLATE "C");
            CREATE INDEX IF NOT EXISTS customer_memory_search_pending ON customer_memory (customer_id) WHERE search_text IS NULL;
            CREATE TABLE IF NOT EXISTS customer_calendar_statuses (
                customer_id TEXT NOT NULL PRIMARY KEY,
                status      TEXT NOT NULL,
                seq         BIGINT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS customer_status_feed (
                id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                feed_id TEXT NULL,
                seq     BIGINT NOT NULL
            );
            INSERT INTO customer_status_feed (id, feed_id, seq) VALUES (1, NULL, 0) ON CONFLICT (id) DO NOTHING;
            CREATE TABLE IF NOT EXISTS customer_status_counts (
                calendar_status TEXT NOT NULL PRIMARY KEY,
                companies       BIGINT NOT NULL
            );
            INSERT INTO customer_status_counts (calendar_status, companies)
                SELECT calendar_status, COUNT(*) FROM customer_memory GROUP BY calendar_status
                ON CONFLICT (calendar_status) DO UPDATE SET companies = excluded.companies;
            CREATE TABLE IF NOT EXISTS customer_list_version (
                id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                version BIGINT NOT NULL
            );
            INSERT INTO customer_list_version (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
            CREATE OR REPLACE FUNCTION customer_status_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP IN ('UPDATE', 'DELETE') THEN
                    UPDATE customer_status_counts SET companies = companies - 1 WHERE calendar_status = OLD.calendar_status;
                END IF;
                IF TG_OP IN ('INSERT', 'UPDATE') THEN
                    INSERT INTO customer_status_counts (calendar_status, companies) VALUES (NEW.calendar_status, 1)
                        ON CONFLICT (calendar_status) DO UPDATE SET companies = customer_status_counts.companies + 1;
                END IF;
                RETURN NULL;
            END
            $$;
            DROP TRIGGER IF EXISTS customer_status_counts_insert_or_delete ON customer_memory;
            CREATE TRIGGER customer_status_counts_insert_or_delete AFTER INSERT OR DELETE ON customer_memory
                FOR EACH ROW EXECUTE FUNCTION customer_status_counts_follow();
            DROP TRIGGER IF EXISTS customer_status_counts_update ON customer_memory;
            CREATE TRIGGER customer_status_counts_update AFTER UPDATE OF calendar_status ON customer_memory
                FOR EACH ROW WHEN (OLD.calendar_status IS DISTINCT FROM NEW.calendar_status)
                EXECUTE FUNCTION customer_status_counts_follow();
            CREATE OR REPLACE FUNCTION customer_list_version_raise() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE customer_list_version SET version = version + 1 WHERE id = 1;
                RETURN NULL;
            END
            $$;
            DROP TRIGGER IF EXISTS customer_list_version_raise ON customer_memory;
            CREATE TRIGGER customer_list_version_raise AFTER INSERT OR DELETE OR UPDATE OF search_text, whatsapp_number, calendar_status
                ON customer_memory FOR EACH STATEMENT EXECUTE FUNCTION customer_list_version_raise();
            """),
        // ASP.NET Core Data Protection's key ring (the keys that protect the admin's session cookie and the antiforgery
        // tokens), shared by every replica: one row per key or revocation element, as the framework's IXmlRepository
        // hands it over, its secret encrypted under DATA_PROTECTION_KEY (see DatabaseXmlRepository, SharedKeyRing).
        (6, """
            CREATE TABLE IF NOT EXISTS data_protection_keys (
                friendly_name TEXT NOT NULL PRIMARY KEY,
                xml           TEXT NOT NULL,
                created_at    TEXT NOT NULL
            );
            """,
            """
            CREATE TABLE IF NOT EXISTS data_protection_keys (
                friendly_name TEXT NOT NULL PRIMARY KEY,
                xml           TEXT NOT NULL,
                created_at    TEXT NOT NULL
            );
            """),
        // Admin sign-in sessions, checked on every request by every replica (AdminSessions): the cookie carries a random
        // session id, the row its SHA-256, so the table alone cannot be turned into a cookie. password_stamp is a keyed
        // hash of ADMIN_USER and ADMIN_PASSWORD at sign-in: a changed password ends the session. Sign-out deletes the row.
        (7, """
            CREATE TABLE IF NOT EXISTS admin_sessions (
                session_hash   TEXT NOT NULL PRIMARY KEY,
                user_name      TEXT NOT NULL,
                password_stamp TEXT NOT NULL,
                created_at     TEXT NOT NULL,
                last_seen_at   TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS admin_sessions_last_seen_at ON admin_sessions (last_seen_at);
            """,
            """
            CREATE TABLE IF NOT EXISTS admin_sessions (
                session_hash   TEXT NOT NULL PRIMARY KEY,
                user_name      TEXT NOT NULL,
                password_stamp TEXT NOT NULL,
                created_at     TEXT NOT NULL,
                last_seen_at   TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS admin_sessions_last_seen_at ON admin_sessions (last_seen_at);
            """),
        // Customer ids are case-insensitive, canonical form lower-case (CanonicalCustomerIds): the rows stored before
        // become lower-case. EnsureSchemaAsync first stops start-up if two stored ids differ only by case, so no row
        // merges into another. The triggers of customer_memory watch other columns; the search keys follow the ids.
        (CaseInsensitiveIdsVersion, """
            UPDATE customer_calendar_statuses SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
            UPDATE customer_search_keys SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
            UPDATE assistant_conversations SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
            UPDATE customer_memory SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
            """,
            """
            UPDATE customer_calendar_statuses SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
            UPDATE assistant_conversations SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
            UPDATE customer_memory SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
            """),
        // The key of admin_sessions.password_stamp: one random value per database, written by the first backend that
        // needs it (AdminSessionStore), never changed, so no setting's change but the credentials' ends sessions.
        (9, """
            CREATE TABLE IF NOT EXISTS admin_session_stamp_key (
                id  INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                key TEXT    NOT NULL
            );
            """,
            """
            CREATE TABLE IF NOT EXISTS admin_session_stamp_key (
                id  INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                key TEXT    NOT NULL
            );
            """),
    ];

    /// <summary>The schema version that lower-cases stored customer ids (checked for ids that differ only by case first).</summary>
    public const int CaseInsensitiveIdsVersion = 8;

    /// <summary>An arbitrary, fixed advisory-lock key ("customer" in ASCII): replicas migrate one at a time.</summary>
    private const long MigrationLockKey = 0x637573746f6d6572;

    public static int LatestVersion => Migrations[^1].Version;

    /// <summary>Every schema version, in the order applied.</summary>
    public static IReadOnlyList<int> Versions => Migrations.Select(m => m.Version).ToList();

    /// <summary>The script of one schema version for one engine (tests build databases as older versions left them).</summary>
    public static string MigrationScript(int version, DatabaseEngine engine)
    {
        var migration = Migrations.Single(m => m.Version == version);
        return engine == DatabaseEngine.Sqlite ? migration.Sqlite : migration.Postgres;
    }

    private readonly Lazy<string> _connectionString = new(() => BuildConnectionString(options.Value));
    private readonly Lock _gate = new();
    private NpgsqlDataSource? _postgres;
    private volatile bool _schemaReady;

    public DatabaseEngine Engine => options.Value.Engine;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (Engine == DatabaseEngine.Postgres) return await PostgresSource().OpenConnectionAsync(cancellationToken);
        var connection = new SqliteConnection(_connectionString.Value);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// A connection opened synchronously, for the framework's synchronous extension points only (Data Protection's
    /// IXmlRepository, read when the key ring is loaded: at start-up and about once a day).
    /// </summary>
    public DbConnection Open()
    {
        if (Engine == DatabaseEngine.Postgres) return PostgresSource().OpenConnection();
        var connection = new SqliteConnection(_connectionString.Value);
        connection.Open();
        return connection;
    }

    private NpgsqlDataSource PostgresSource()
    {
        if (_postgres is { } source) return source;
        lock (_gate) return _postgres ??= NpgsqlDataSource.Create(_connectionString.Value);
    }

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        // Main checks the database before the host starts, and the host's initializer asks again: once is enough.
        if (_schemaReady) return;
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            if (Engine == DatabaseEngine.Sqlite) await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
            else await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key);", new { key = MigrationLockKey }, cancellationToken: cancellationToken));
            try
            {
                await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);");
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken); // SQLite: BEGIN IMMEDIATE
                // Each version not applied yet, in order (not only those above the highest: a version whose row is
                // missing, as in a database put back to an older shape, is applied again).
                var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_version;", transaction: transaction)).ToHashSet();
                if (!applied.Contains(CaseInsensitiveIdsVersion) &&
                    await CustomerIdCollisions.FindAsync(connection, Engine == DatabaseEngine.Sqlite, cancellationToken, transaction) is { Count: > 0 } collisions)
                    throw new StartupException(CustomerIdCollisions.Message(CustomerDatabaseOptions.Variable, collisions));
                foreach (var (version, sqlite, postgres) in Migrations.Where(m => !applied.Contains(m.Version)))
                {
                    await connection.ExecuteAsync(Engine == DatabaseEngine.Sqlite ? sqlite : postgres, transaction: transaction);
                    await connection.ExecuteAsync("INSERT INTO schema_version (version, applied_at) VALUES (@version, @now);",
                        new { version, now = time.GetUtcNow().ToString("O") }, transaction);
                }
                await transaction.CommitAsync(cancellationToken);
                if (Engine == DatabaseEngine.Postgres) await EnsureTrigramIndexesAsync(connection, cancellationToken);
                _schemaReady = true;
            }
            finally
            {
                if (Engine == DatabaseEngine.Postgres)
                    await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key);", new { key = MigrationLockKey });
            }
        }
        catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException or TimeoutException
                                       or System.Net.Sockets.SocketException)
        {
            throw new StartupException($"{CustomerDatabaseOptions.Variable}: cannot open or prepare the customer database at '{DescribeLocation()}': {ex.Message.ReplaceLineEndings(" ")}", ex);
        }
    }

    /// <summary>
    /// PostgreSQL: the trigram indexes that let a substring search (<c>LIKE '%…%'</c>) of the list skip the companies
    /// that cannot match. pg_trgm ships with PostgreSQL and is a trusted extension (since PostgreSQL 13 the database's
    /// owner may create it). Tried at every start, outside the versioned migrations, because whether it can be had
    /// depends on the server: without it the search still answers the same, by reading every company, and the log
    /// says how to add it. GiST rather than GIN: a GIN search reads the whole list of companies of every trigram of
    /// the search, so "empresa-04242" costs as much as the trigrams it shares with every "empresa-…"; GiST's
    /// signatures (64 bytes: a company's search text has some 70 trigrams) find the few companies that match without.
    /// </summary>
    private async Task EnsureTrigramIndexesAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await connection.ExecuteAsync(new CommandDefinition("CREATE EXTENSION IF NOT EXISTS pg_trgm;", cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition("""
                CREATE INDEX IF NOT EXISTS customer_memory_search_trigrams ON customer_memory USING gist (search_text gist_trgm_ops (siglen = 64));
                CREATE INDEX IF NOT EXISTS customer_memory_whatsapp_trigrams ON customer_memory USING gist (whatsapp_number gist_trgm_ops);
                """, cancellationToken: cancellationToken));
        }
        catch (PostgresException ex)
        {
            log.LogWarning("{Variable}: the list's search reads every company because the pg_trgm trigram indexes could not be created " +
                           "({SqlState}: {Message}). A database owner or superuser can run CREATE EXTENSION pg_trgm; the next start creates the indexes.",
                CustomerDatabaseOptions.Variable, ex.SqlState, ex.MessageText);
        }
    }

    /// <summary>The file path, or "PostgreSQL host:port/database": never a password.</summary>
    public string DescribeLocation() => Engine == DatabaseEngine.Sqlite
        ? Path.GetFullPath(options.Value.Setting)
        : DatabaseSetting.Describe(_connectionString.Value);

    private static string BuildConnectionString(CustomerDatabaseOptions options)
    {
        if (options.Engine == DatabaseEngine.Postgres)
        {
            var builder = new NpgsqlConnectionStringBuilder(DatabaseSetting.ToNpgsqlConnectionString(options.Setting));
            if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = "CalendarConnect.Backend";
            return builder.ConnectionString;
        }
        var path = Path.GetFullPath(options.Setting);
        OwnerOnlyFiles.PrepareSqliteDatabase(path); // customers.db and its -wal/-shm owner-only (0600), whatever the umask
        return new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}

/// <summary>
/// Creates or upgrades the schema when the host starts (before Kestrel listens), then writes the search text of the
/// companies that have none yet (rows from before schema version 5), so the first search finds them.
/// </summary>
public sealed class CustomerSchemaInitializer(CustomerDatabase database, CustomerMemory memory, ILogger<CustomerSchemaInitializer> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.EnsureSchemaAsync(cancellationToken);
        var filled = await memory.FillSearchTextAsync(cancellationToken);
        if (filled > 0) log.LogInformation("Wrote the search text of {Count} companies that had none", filled);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddCustomerStorage(this IServiceCollection services)
    {
        services.AddSingleton<CustomerDatabase>();
        services.AddSingleton<CustomerMemory>();
        services.AddHostedService<CustomerSchemaInitializer>();
        return services;
    }
}
