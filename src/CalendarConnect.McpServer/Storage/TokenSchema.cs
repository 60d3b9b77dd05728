using CalendarConnect.Infrastructure;
using CalendarConnect.Infrastructure.Migrations;

namespace CalendarConnect.McpServer.Storage;

/// <summary>
/// The versioned schema of tokens.db (TOKEN_DB), applied by <see cref="SchemaMigrator"/>: one script where both engines
/// take the same SQL, one per engine where they differ. Never edit a released migration: add a new one.
/// </summary>
public static class TokenSchema
{
    /// <summary>The lower-casing of stored customer ids: the same statements on both engines.</summary>
    private const string LowerCaseCustomerIds = """
        UPDATE calendar_status_changes SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
        UPDATE oauth_tokens SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
        UPDATE oauth_states SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
        UPDATE refresh_leases SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
        UPDATE connect_links SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
        UPDATE mcp_keys SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
        UPDATE booking_settings SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
        UPDATE appointments SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
        UPDATE booking_leases SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
        UPDATE mirror_calendars SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
        UPDATE mirror_events SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
        UPDATE mirror_channels SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
        UPDATE busy_versions SET customer_id = lower(customer_id) WHERE customer_id <> lower(customer_id);
        """;

    /// <summary>The version that lower-cases stored customer ids (<see cref="LowerCaseCustomerIds"/>).</summary>
    private const int LowerCaseCustomerIdsVersion = 15;

    /// <summary>Applied versions are rows of schema_migrations; replicas migrate under the advisory lock "calendar" (in ASCII).</summary>
    public static readonly DatabaseSchema Schema = new("TOKEN_DB", "schema_migrations", 0x63616c656e646172, LowerCaseCustomerIdsVersion,
    [
        // The spec's table, as the original Python system created it.
        Migration.OnBoth(1,
            """
            CREATE TABLE IF NOT EXISTS oauth_tokens (
                customer_id TEXT PRIMARY KEY,
                access_token TEXT NOT NULL,
                refresh_token TEXT,
                token_expiry TEXT,
                calendar_email TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """),
        // Connection health and the calendar's own time zone (learned from calendars/primary).
        Migration.OnBoth(2,
            """
            ALTER TABLE oauth_tokens ADD COLUMN IF NOT EXISTS status TEXT NOT NULL DEFAULT 'connected';
            ALTER TABLE oauth_tokens ADD COLUMN IF NOT EXISTS last_error TEXT;
            ALTER TABLE oauth_tokens ADD COLUMN IF NOT EXISTS time_zone TEXT
            """),
        // Pending authorizations. Only a hash of the state is kept and the PKCE verifier is Fernet-encrypted,
        // so a copy of the database cannot be used to finish someone else's flow.
        Migration.OnBoth(3,
            """
            CREATE TABLE oauth_states (
                state_hash TEXT PRIMARY KEY,
                customer_id TEXT NOT NULL,
                customer_email TEXT,
                code_verifier TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                used_at TEXT
            );
            CREATE INDEX ix_oauth_states_expires_at ON oauth_states (expires_at)
            """),
        // The email the admin expected, to notice when another Google account consented; the link a state came from.
        Migration.OnBoth(4,
            """
            ALTER TABLE oauth_tokens ADD COLUMN IF NOT EXISTS customer_email TEXT;
            ALTER TABLE oauth_states ADD COLUMN IF NOT EXISTS link_hash TEXT
            """),
        // At most one refresh in flight per customer across replicas and processes.
        Migration.OnBoth(5,
            """
            CREATE TABLE refresh_leases (
                customer_id TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                expires_at TEXT NOT NULL
            )
            """),
        // Shareable connection links (GET /connect/{token}), stored only as hashes.
        Migration.OnBoth(6,
            """
            CREATE TABLE connect_links (
                link_hash TEXT PRIMARY KEY,
                customer_id TEXT NOT NULL,
                customer_email TEXT,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                revoked_at TEXT
            );
            CREATE INDEX ix_connect_links_customer ON connect_links (customer_id)
            """),
        // Per-company MCP keys, stored only as hashes.
        Migration.OnBoth(7,
            """
            CREATE TABLE mcp_keys (
                key_id TEXT PRIMARY KEY,
                customer_id TEXT NOT NULL,
                key_hash TEXT NOT NULL UNIQUE,
                label TEXT,
                created_at TEXT NOT NULL,
                last_used_at TEXT,
                revoked_at TEXT
            );
            CREATE INDEX ix_mcp_keys_customer ON mcp_keys (customer_id)
            """),
        // Per-company booking settings (GET|PUT /customers/{id}/booking-settings), the whole object as JSON text.
        Migration.OnBoth(8,
            """
            CREATE TABLE booking_settings (
                customer_id TEXT PRIMARY KEY,
                settings_json TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """),
        // Appointments this system created (only these may be cancelled or moved), and one booking in flight per
        // company across replicas (booking_leases, the refresh_leases pattern in its own table).
        Migration.OnBoth(9,
            """
            CREATE TABLE appointments (
                customer_id TEXT NOT NULL,
                event_id TEXT NOT NULL,
                calendar_id TEXT NOT NULL,
                start_utc TEXT NOT NULL,
                end_utc TEXT NOT NULL,
                status TEXT NOT NULL,
                idempotency_key TEXT,
                customer_name TEXT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (customer_id, event_id)
            );
            CREATE INDEX ix_appointments_customer_start ON appointments (customer_id, start_utc);
            CREATE TABLE booking_leases (
                customer_id TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                expires_at TEXT NOT NULL
            )
            """),
        // A hash of what a booking asked for (start, length, name), so an idempotency key reused for a different
        // booking is refused instead of answered with the first one.
        Migration.OnBoth(10,
            """
            ALTER TABLE appointments ADD COLUMN IF NOT EXISTS request_hash TEXT
            """),
        // The refresh back-off, where every replica sees it: after a failed refresh no token request is made for the
        // company before refresh_backoff_until; refresh_failures (reset by a success) makes each wait longer.
        Migration.OnBoth(11,
            """
            ALTER TABLE oauth_tokens ADD COLUMN IF NOT EXISTS refresh_failures INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE oauth_tokens ADD COLUMN IF NOT EXISTS refresh_backoff_until TEXT
            """),
        // The busy-time mirror. Per calendar a company books against: its sync state (Google's syncToken, the window
        // it covers, when it was last synced, a notification not yet synced, one sync at a time across replicas); the
        // events in that window (busy or not, with Google's `updated`, so an older answer never overwrites a newer one);
        // the push channels open at Google; and a version per company that every change bumps, so each replica's
        // in-memory copy knows when to reload. (SQLite reads BIGINT as INTEGER: the same 64-bit column on both engines.)
        Migration.OnBoth(12,
            """
            CREATE TABLE mirror_calendars (
                customer_id TEXT NOT NULL,
                calendar_id TEXT NOT NULL,
                time_zone TEXT,
                sync_token TEXT,
                window_start TEXT,
                window_end TEXT,
                synced_at TEXT,
                next_sync_at TEXT NOT NULL,
                dirty_since TEXT,
                notified_at TEXT,
                failures INTEGER NOT NULL DEFAULT 0,
                last_error TEXT,
                watch_retry_at TEXT,
                read_at TEXT,
                unannounced_at TEXT,
                lease_holder TEXT,
                lease_until TEXT,
                PRIMARY KEY (customer_id, calendar_id)
            );
            CREATE INDEX ix_mirror_calendars_next_sync ON mirror_calendars (next_sync_at);
            CREATE TABLE mirror_events (
                customer_id TEXT NOT NULL,
                calendar_id TEXT NOT NULL,
                event_id TEXT NOT NULL,
                start_utc TEXT,
                end_utc TEXT,
                busy INTEGER NOT NULL,
                updated TEXT NOT NULL,
                PRIMARY KEY (customer_id, calendar_id, event_id)
            );
            CREATE TABLE mirror_channels (
                channel_id TEXT PRIMARY KEY,
                customer_id TEXT NOT NULL,
                calendar_id TEXT NOT NULL,
                token_hash TEXT NOT NULL,
                resource_id TEXT,
                expires_at TEXT,
                confirmed_at TEXT,
                created_at TEXT NOT NULL
            );
            CREATE INDEX ix_mirror_channels_calendar ON mirror_channels (customer_id, calendar_id);
            CREATE TABLE busy_versions (
                customer_id TEXT PRIMARY KEY,
                version BIGINT NOT NULL
            )
            """),
        // The feed of connection-status changes that the backend's status filter follows
        // (GET /customers/calendar-status/changes): one row per company with its latest status and a seq that grows
        // in commit order (SQLite has one writer at a time). Triggers keep it in the same transaction as every write
        // of oauth_tokens, whichever code path writes; a deleted row is not_connected. feed_id names this feed, so a
        // reader notices a database that was replaced. Seeded from the rows already there.
        new(13,
            """
            CREATE TABLE calendar_status_changes (
                customer_id TEXT PRIMARY KEY,
                status TEXT NOT NULL,
                seq INTEGER NOT NULL UNIQUE
            );
            CREATE TABLE calendar_status_feed (
                feed_id TEXT NOT NULL
            );
            INSERT INTO calendar_status_feed (feed_id) VALUES (lower(hex(randomblob(16))));
            INSERT INTO calendar_status_changes (customer_id, status, seq)
                SELECT customer_id, status, ROW_NUMBER() OVER (ORDER BY customer_id) FROM oauth_tokens;
            CREATE TRIGGER calendar_status_after_insert AFTER INSERT ON oauth_tokens
            BEGIN
                INSERT INTO calendar_status_changes (customer_id, status, seq)
                VALUES (NEW.customer_id, NEW.status, (SELECT COALESCE(MAX(seq), 0) + 1 FROM calendar_status_changes))
                ON CONFLICT (customer_id) DO UPDATE SET status = excluded.status, seq = excluded.seq;
            END;
            CREATE TRIGGER calendar_status_after_update AFTER UPDATE OF status ON oauth_tokens WHEN OLD.status IS NOT NEW.status
            BEGIN
                INSERT INTO calendar_status_changes (customer_id, status, seq)
                VALUES (NEW.customer_id, NEW.status, (SELECT COALESCE(MAX(seq), 0) + 1 FROM calendar_status_changes))
                ON CONFLICT (customer_id) DO UPDATE SET status = excluded.status, seq = excluded.seq;
            END;
            CREATE TRIGGER calendar_status_after_delete AFTER DELETE ON oauth_tokens
            BEGIN
                INSERT INTO calendar_status_changes (customer_id, status, seq)
                VALUES (OLD.customer_id, 'not_connected', (SELECT COALESCE(MAX(seq), 0) + 1 FROM calendar_status_changes))
                ON CONFLICT (customer_id) DO UPDATE SET status = excluded.status, seq = excluded.seq;
            END
            """,
            // PostgreSQL: writers are concurrent here, so the trigger takes a transaction-level advisory
            // lock before taking MAX(seq) + 1 (in its own statement, so it sees every seq committed before the lock was
            // granted) and holds it to the commit: seqs commit in order and a reader never skips one committed late.
            // The table lock makes writers of older replicas wait while the feed is seeded.
            """
            LOCK TABLE oauth_tokens IN SHARE ROW EXCLUSIVE MODE;
            CREATE TABLE calendar_status_changes (
                customer_id TEXT PRIMARY KEY,
                status TEXT NOT NULL,
                seq BIGINT NOT NULL UNIQUE
            );
            CREATE TABLE calendar_status_feed (
                feed_id TEXT NOT NULL
            );
            INSERT INTO calendar_status_feed (feed_id) VALUES (replace(gen_random_uuid()::text, '-', ''));
            INSERT INTO calendar_status_changes (customer_id, status, seq)
                SELECT customer_id, status, ROW_NUMBER() OVER (ORDER BY customer_id COLLATE "C") FROM oauth_tokens;
            CREATE FUNCTION record_calendar_status_change() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                changed_customer TEXT;
                changed_status TEXT;
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    changed_customer := OLD.customer_id;
                    changed_status := 'not_connected';
                ELSE
                    changed_customer := NEW.customer_id;
                    changed_status := NEW.status;
                END IF;
                PERFORM pg_advisory_xact_lock(8319381564222170468); -- "statfeed" in ASCII
                INSERT INTO calendar_status_changes (customer_id, status, seq)
                VALUES (changed_customer, changed_status, (SELECT COALESCE(MAX(seq), 0) + 1 FROM calendar_status_changes))
                ON CONFLICT (customer_id) DO UPDATE SET status = excluded.status, seq = excluded.seq;
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER calendar_status_after_insert_or_delete AFTER INSERT OR DELETE ON oauth_tokens
                FOR EACH ROW EXECUTE FUNCTION record_calendar_status_change();
            CREATE TRIGGER calendar_status_after_update AFTER UPDATE OF status ON oauth_tokens
                FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION record_calendar_status_change()
            """),
        // Booking leases that are short and renewed while their holder works, with a line of waiters in arrival order.
        // booking_write_leases: one booking change in flight per lease key (what the booking writes to), across replicas.
        // booking_lease_queue: one ticket per waiting booking, numbered in arrival order; the replica that waits keeps
        // it alive (alive_until), so a dead replica's waiters drop out of the line by themselves. The lowest live ticket
        // is next. booking_leases (migration 9) is no longer used. Leases are keyed by the Google calendar written to
        // (two companies may book into one), and appointments.calendar_key says which one a row is in, so a booking
        // sees the rows of every company that books into its calendar.
        new(14,
            """
            CREATE TABLE booking_write_leases (
                lease_key TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                expires_at TEXT NOT NULL
            );
            CREATE TABLE booking_lease_queue (
                ticket INTEGER PRIMARY KEY AUTOINCREMENT,
                lease_key TEXT NOT NULL,
                replica TEXT NOT NULL,
                alive_until TEXT NOT NULL
            );
            CREATE INDEX ix_booking_lease_queue_key ON booking_lease_queue (lease_key, ticket);
            ALTER TABLE appointments ADD COLUMN calendar_key TEXT;
            CREATE INDEX ix_appointments_calendar_key_start ON appointments (calendar_key, start_utc)
            """,
            // PostgreSQL: identity values are handed out in arrival order (a ticket that commits late is
            // only briefly passed over: order is fairness, the lease row alone is exclusion).
            """
            CREATE TABLE booking_write_leases (
                lease_key TEXT PRIMARY KEY,
                holder TEXT NOT NULL,
                expires_at TEXT NOT NULL
            );
            CREATE TABLE booking_lease_queue (
                ticket BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                lease_key TEXT NOT NULL,
                replica TEXT NOT NULL,
                alive_until TEXT NOT NULL
            );
            CREATE INDEX ix_booking_lease_queue_key ON booking_lease_queue (lease_key, ticket);
            ALTER TABLE appointments ADD COLUMN IF NOT EXISTS calendar_key TEXT;
            CREATE INDEX ix_appointments_calendar_key_start ON appointments (calendar_key, start_utc)
            """),
        // Customer ids are case-insensitive, canonical form lower-case (CustomerIds): the rows stored before become
        // lower-case. SchemaMigrator first stops start-up if two stored ids differ only by case, so no
        // row merges into another. The status feed's triggers fire on status changes only: its rows are renamed too.
        Migration.OnBoth(LowerCaseCustomerIdsVersion, LowerCaseCustomerIds),
        // Sign-ins with another Google account than the company's expected email (issue 11, item 1): who tried and when,
        // for the admin to see and accept. No token of that account is kept: its consent is dropped at the callback.
        Migration.OnBoth(16,
            """
            CREATE TABLE account_attempts (
                customer_id TEXT PRIMARY KEY,
                expected_email TEXT NOT NULL,
                account_email TEXT NOT NULL,
                attempted_at TEXT NOT NULL
            )
            """),
        // Revocations Google did not confirm at disconnection (issue 11, item 8), retried in the background with back-off
        // until Google answers or the attempts run out, then deleted. The token is Fernet-encrypted like oauth_tokens';
        // account_email is the calendar's, so a revocation is dropped when that account is connected again.
        Migration.OnBoth(17,
            """
            CREATE TABLE pending_revocations (
                revocation_id TEXT PRIMARY KEY,
                customer_id TEXT NOT NULL,
                account_email TEXT,
                token TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                next_attempt_at TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE INDEX ix_pending_revocations_next_attempt ON pending_revocations (next_attempt_at)
            """),
        // Google failures for the admin's "Estado del sistema" (issue 14, item 6), where every replica sees them: one row per
        // company, kind and minute with how many failed (GoogleFailures aggregates in memory and writes every few seconds,
        // so a storm of failures is a few rows, not one per request), pruned after a day. The status index answers
        // "which companies need re-authorization" without reading every connection.
        Migration.OnBoth(18,
            """
            CREATE TABLE google_failures (
                customer_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                minute TEXT NOT NULL,
                failures BIGINT NOT NULL,
                reason TEXT NOT NULL,
                http_status BIGINT,
                last_at TEXT NOT NULL,
                PRIMARY KEY (customer_id, kind, minute)
            );
            CREATE INDEX ix_google_failures_minute ON google_failures (minute);
            CREATE INDEX ix_oauth_tokens_status ON oauth_tokens (status)
            """),
    ]);
}
