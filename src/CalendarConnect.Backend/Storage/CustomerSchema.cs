using CalendarConnect.Infrastructure.Migrations;

namespace CalendarConnect.Backend.Storage;

/// <summary>
/// The versioned schema of the customer database (CUSTOMER_DB), applied by <see cref="SchemaMigrator"/>: one script where
/// both engines take the same SQL, one per engine where they differ. Timestamps are ISO 8601 UTC text on both, so rows
/// read the same wherever they live. Never edit a released migration: add a new one.
/// </summary>
public static class CustomerSchema
{
    /// <summary>The schema version that lower-cases stored customer ids (checked for ids that differ only by case first).</summary>
    public const int CaseInsensitiveIdsVersion = 8;

    /// <summary>Applied versions are rows of schema_version; replicas migrate under the advisory lock "customer" (in ASCII).</summary>
    public static readonly DatabaseSchema Schema = new(CustomerDatabaseOptions.Variable, "schema_version", 0x637573746f6d6572, CaseInsensitiveIdsVersion,
    [
        Migration.OnBoth(1,
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
        Migration.OnBoth(2,
            """
            ALTER TABLE customer_memory ADD COLUMN IF NOT EXISTS whatsapp_number TEXT NULL;
            CREATE UNIQUE INDEX IF NOT EXISTS customer_memory_whatsapp_number ON customer_memory (whatsapp_number);
            """),
        // The assistant's conversations (state as JSON, see ConversationStateJson), so a restart or another replica
        // still knows a pending confirmation; lease_* lets one replica at a time answer a conversation. And the
        // WhatsApp message ids already received, because Meta delivers a message again when unsure we got it.
        Migration.OnBoth(3,
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
        new(4,
            """
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
        new(5,
            """
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
        Migration.OnBoth(6,
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
        Migration.OnBoth(7,
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
        // become lower-case. SchemaMigrator first stops start-up if two stored ids differ only by case, so no row
        // merges into another. The triggers of customer_memory watch other columns; the search keys follow the ids.
        new(CaseInsensitiveIdsVersion,
            """
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
        Migration.OnBoth(9,
            """
            CREATE TABLE IF NOT EXISTS admin_session_stamp_key (
                id  INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                key TEXT    NOT NULL
            );
            """),
    ]);
}
