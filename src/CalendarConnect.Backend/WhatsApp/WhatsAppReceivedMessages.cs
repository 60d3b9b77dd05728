using CalendarConnect.Backend.Assistant;
using CalendarConnect.Backend.Storage;
using Dapper;

namespace CalendarConnect.Backend.WhatsApp;

/// <summary>
/// The WhatsApp message ids already received (table whatsapp_messages_received): Meta delivers a notification again
/// when it is unsure we got it, and a customer must not get two answers (or two bookings) for one message. In the
/// database, so a restart or another replica recognises the repeat too.
/// </summary>
public sealed class WhatsAppReceivedMessages(CustomerDatabase database, TimeProvider time)
{
    /// <summary>Meta redelivers for up to 7 days; ids are kept a little longer.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(8);

    /// <summary>True when the id is new (and is now recorded); false when it was received before.</summary>
    public async Task<bool> TryRecordAsync(string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO whatsapp_messages_received (message_id, received_at) VALUES (@messageId, @now) ON CONFLICT (message_id) DO NOTHING;",
            new { messageId, now = DatabaseConversationStore.Timestamp(time.GetUtcNow()) }, cancellationToken: cancellationToken));
        return inserted == 1;
    }

    /// <summary>Forgets an id whose message could not be queued, so Meta's next delivery of it is answered.</summary>
    public async Task ForgetAsync(string messageId)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("DELETE FROM whatsapp_messages_received WHERE message_id = @messageId;", new { messageId });
    }

    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM whatsapp_messages_received WHERE received_at < @cutoff;",
            new { cutoff = DatabaseConversationStore.Timestamp(time.GetUtcNow() - Retention) }, cancellationToken: cancellationToken));
    }
}
