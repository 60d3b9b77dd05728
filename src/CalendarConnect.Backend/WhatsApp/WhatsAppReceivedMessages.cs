using CalendarConnect.Backend.Assistant;
using CalendarConnect.Backend.Storage;
using Dapper;

namespace CalendarConnect.Backend.WhatsApp;

/// <summary>A stored message a worker has claimed (leased) to answer.</summary>
/// <param name="Attempts">This claim included.</param>
public sealed record WhatsAppClaimed(WhatsAppInbound Message, int Attempts);

/// <summary>
/// The durable WhatsApp inbox (table whatsapp_messages_received). Each received message is stored in the same insert
/// that recognises a repeated delivery (Meta delivers a notification again when unsure we got it, and a customer must
/// not get two answers or two bookings for one message), so the webhook can tell Meta "received" only once the
/// message is safe in the database. Workers of any replica claim due messages with a lease, one message of a
/// conversation at a time and in the order they came, and mark them done once answered; a message whose lease ran
/// out (its worker stopped or crashed) is claimed again. Ids are kept for <see cref="Retention"/>; the text only
/// until the message is answered.
/// </summary>
public sealed class WhatsAppReceivedMessages(CustomerDatabase database, TimeProvider time)
{
    /// <summary>Meta redelivers for up to 7 days; ids are kept a little longer.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(8);

    public const string Pending = "pending";
    public const string Done = "done";
    public const string Failed = "failed";

    /// <summary>
    /// Stores the message as pending when its id is new. True when it was stored; false when the id was received
    /// before. Runs to the end whatever the caller's token: once started, the row and Meta's answer must agree.
    /// </summary>
    public async Task<bool> TryRecordAsync(WhatsAppInbound message)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var now = Stamp(time.GetUtcNow());
        var inserted = await connection.ExecuteAsync("""
            INSERT INTO whatsapp_messages_received
                (message_id, received_at, status, display_phone_number, phone_number_id, sender, type, body, sent_at, attempts, next_attempt_at)
            VALUES (@MessageId, @now, 'pending', @DisplayPhoneNumber, @PhoneNumberId, @From, @Type, @Text, @sentAt, 0, @now)
            ON CONFLICT (message_id) DO NOTHING;
            """, new
        {
            message.MessageId, now, message.DisplayPhoneNumber, message.PhoneNumberId, message.From, message.Type, message.Text,
            sentAt = message.SentAt is { } s ? Stamp(s) : null,
        });
        return inserted == 1;
    }

    /// <summary>Records an id alone, with nothing to answer (done at once): true when it is new, false when received before.</summary>
    public async Task<bool> TryRecordAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO whatsapp_messages_received (message_id, received_at, status) VALUES (@messageId, @now, 'done') ON CONFLICT (message_id) DO NOTHING;",
            new { messageId, now = Stamp(time.GetUtcNow()) }, cancellationToken: cancellationToken));
        return inserted == 1;
    }

    /// <summary>
    /// Leases the oldest due message whose conversation (business number and sender) has no earlier message still
    /// pending, or null when there is none. A lease that ran out counts as free.
    /// </summary>
    public async Task<WhatsAppClaimed?> ClaimAsync(string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var now = time.GetUtcNow();
        // The outer conditions are checked again on the row itself: of two workers (or replicas) that picked the
        // same message, only the first one's update matches.
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition("""
            UPDATE whatsapp_messages_received
               SET lease_owner = @owner, lease_until = @until, attempts = attempts + 1
             WHERE message_id = (
                   SELECT r.message_id FROM whatsapp_messages_received r
                    WHERE r.status = 'pending' AND r.next_attempt_at <= @now
                      AND (r.lease_until IS NULL OR r.lease_until <= @now)
                      AND NOT EXISTS (SELECT 1 FROM whatsapp_messages_received o
                                       WHERE o.status = 'pending' AND o.seq < r.seq
                                         AND o.display_phone_number = r.display_phone_number AND o.sender = r.sender)
                    ORDER BY r.seq
                    LIMIT 1)
               AND status = 'pending' AND (lease_until IS NULL OR lease_until <= @now)
            RETURNING message_id AS MessageId, display_phone_number AS DisplayPhoneNumber, phone_number_id AS PhoneNumberId,
                      sender AS Sender, type AS Type, body AS Body, sent_at AS SentAt, attempts AS Attempts;
            """, new { owner, now = Stamp(now), until = Stamp(now + lease) }, cancellationToken: CancellationToken.None));
        // Not cancelled half-way: SQLite may run the statement and only then report the cancellation, which would
        // leave a message leased by nobody for a whole lease. The caller gives back what it claimed while stopping.
        if (row is null) return null;
        DateTimeOffset? sentAt = row.SentAt is null ? null
            : DateTimeOffset.Parse(row.SentAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);
        return new WhatsAppClaimed(
            new WhatsAppInbound(row.MessageId, row.DisplayPhoneNumber ?? "", row.PhoneNumberId ?? "", row.Sender ?? "", row.Type ?? "", row.Body, sentAt),
            (int)row.Attempts);
    }

    /// <summary>Answered (or definitively not answerable): done, and its text is deleted. The id stays, for repeats.</summary>
    public Task CompleteAsync(string messageId, string owner, string status = Done) => UpdateAsync("""
        UPDATE whatsapp_messages_received
           SET status = @status, body = NULL, lease_owner = NULL, lease_until = NULL
         WHERE message_id = @messageId AND lease_owner = @owner;
        """, new { messageId, owner, status });

    /// <summary>Not answered this time: free again from <paramref name="retryAt"/>.</summary>
    public Task RetryLaterAsync(string messageId, string owner, DateTimeOffset retryAt) => UpdateAsync("""
        UPDATE whatsapp_messages_received
           SET next_attempt_at = @retryAt, lease_owner = NULL, lease_until = NULL
         WHERE message_id = @messageId AND lease_owner = @owner;
        """, new { messageId, owner, retryAt = Stamp(retryAt) });

    /// <summary>Stopping while answering it: free at once for the next worker (this was not a failed attempt).</summary>
    public Task ReleaseAsync(string messageId, string owner) => UpdateAsync("""
        UPDATE whatsapp_messages_received
           SET lease_owner = NULL, lease_until = NULL, attempts = attempts - 1
         WHERE message_id = @messageId AND lease_owner = @owner;
        """, new { messageId, owner });

    /// <summary>Deletes answered (or failed) messages' ids older than <see cref="Retention"/>; pending ones stay.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM whatsapp_messages_received WHERE received_at < @cutoff AND status <> 'pending';",
            new { cutoff = Stamp(time.GetUtcNow() - Retention) }, cancellationToken: cancellationToken));
    }

    /// <summary>How many received messages wait to be answered (the inbox's depth), for telemetry.</summary>
    public async Task<long> CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM whatsapp_messages_received WHERE status = @pending;", new { pending = Pending }, cancellationToken: cancellationToken));
    }

    private async Task UpdateAsync(string sql, object parameters)
    {
        // Bookkeeping after the work is done: not cancelled half-way by a stopping host.
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(sql, parameters);
    }

    private static string Stamp(DateTimeOffset value) => DatabaseConversationStore.Timestamp(value);

    /// <summary>Settable properties rather than a constructor: the engines return INTEGER as different CLR types.</summary>
    private sealed class Row
    {
        public string MessageId { get; set; } = "";
        public string? DisplayPhoneNumber { get; set; }
        public string? PhoneNumberId { get; set; }
        public string? Sender { get; set; }
        public string? Type { get; set; }
        public string? Body { get; set; }
        public string? SentAt { get; set; }
        public long Attempts { get; set; }
    }
}
