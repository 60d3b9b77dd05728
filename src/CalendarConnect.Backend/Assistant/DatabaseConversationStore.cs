using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Backend.Storage;
using Dapper;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.Assistant;

/// <summary>
/// The assistant's conversations in the customer database (table assistant_conversations), so a pending
/// confirmation survives a restart and is seen by every replica.
/// </summary>
/// <remarks>
/// That two messages of one conversation never interleave their read and write is <see cref="ConversationTurns"/>'
/// job (a lock in this process and a lease on the row across replicas). A write made while answering a message
/// (<see cref="HoldingLease"/>) is fenced: it lands only while this message still owns the lease, so a replica
/// whose lease was lost (it expired and another replica took it) cannot overwrite what the new owner wrote.
/// </remarks>
public sealed class DatabaseConversationStore(
    CustomerDatabase database,
    TimeProvider time,
    IOptions<AssistantChannelOptions> options,
    ILogger<DatabaseConversationStore> logger) : IConversationStore, IConversationLeases
{
    /// <summary>The lease the message being answered in this async flow holds (set by <see cref="ConversationTurns"/>).</summary>
    private static readonly AsyncLocal<Lease?> CurrentLease = new();

    private sealed record Lease(string CustomerId, string ConversationId, string Owner);

    /// <summary>
    /// From here on in this async flow (the message's turn), writes of this conversation's state are made only while
    /// <paramref name="owner"/> holds its lease. The flow's caller is not affected: an async method's changes to it
    /// end when it returns.
    /// </summary>
    public static void HoldingLease(string customerId, string conversationId, string owner) =>
        CurrentLease.Value = new Lease(customerId, conversationId, owner);

    public async ValueTask<ConversationState?> GetAsync(string customerId, string conversationId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var json = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT state FROM assistant_conversations WHERE customer_id = @customerId AND conversation_id = @conversationId;",
            new { customerId, conversationId }, cancellationToken: cancellationToken));
        if (json is null) return null;
        if (ConversationStateJson.TryDeserialize(json) is { } state) return state;

        // A state this version cannot read (written by a newer one, or damaged): the customer starts afresh rather
        // than getting an error on every message. Never the content, which holds names and times.
        logger.LogWarning("The stored state of a conversation of customer {CustomerId} could not be read ({Length} characters); the conversation starts fresh.",
            customerId, json.Length);
        return null;
    }

    public async ValueTask SetAsync(string customerId, string conversationId, ConversationState state, CancellationToken cancellationToken = default)
    {
        var json = ConversationStateJson.Serialize(state);
        await using var connection = await database.OpenAsync(cancellationToken);
        if (CurrentLease.Value is { } lease && lease.CustomerId == customerId && lease.ConversationId == conversationId)
        {
            // The row exists: taking the lease created it.
            var written = await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE assistant_conversations SET state = @json, updated_at = @now
                WHERE customer_id = @customerId AND conversation_id = @conversationId AND lease_owner = @owner;
                """, new { customerId, conversationId, json, now = Timestamp(time.GetUtcNow()), owner = lease.Owner },
                cancellationToken: cancellationToken));
            if (written == 0)
                // The reply already decided stands; what the new owner wrote is not overwritten. Never the content.
                logger.LogWarning("The lease on a conversation of customer {CustomerId} was lost while a message was answered (another replica took it); that message's conversation state was not saved.",
                    customerId);
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO assistant_conversations (customer_id, conversation_id, state, updated_at)
            VALUES (@customerId, @conversationId, @json, @now)
            ON CONFLICT (customer_id, conversation_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at;
            """, new { customerId, conversationId, json, now = Timestamp(time.GetUtcNow()) }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Takes the conversation's lease for <paramref name="owner"/> until <paramref name="until"/>, unless another
    /// owner holds an unexpired one. Creates the row (without state) when the conversation is new.
    /// </summary>
    public async Task<bool> TryLeaseAsync(string customerId, string conversationId, string owner, DateTimeOffset until,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var now = Timestamp(time.GetUtcNow());
        // One statement on both engines: the row is created leased, or the lease is taken only if free or expired.
        var taken = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO assistant_conversations (customer_id, conversation_id, state, updated_at, lease_owner, lease_until)
            VALUES (@customerId, @conversationId, NULL, @now, @owner, @until)
            ON CONFLICT (customer_id, conversation_id) DO UPDATE SET lease_owner = excluded.lease_owner, lease_until = excluded.lease_until
            WHERE assistant_conversations.lease_until IS NULL OR assistant_conversations.lease_until < @now;
            """, new { customerId, conversationId, now, owner, until = Timestamp(until) }, cancellationToken: cancellationToken));
        return taken == 1;
    }

    /// <summary>Extends <paramref name="owner"/>'s lease to <paramref name="until"/>; false when it no longer holds it.</summary>
    public async Task<bool> RenewLeaseAsync(string customerId, string conversationId, string owner, DateTimeOffset until,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var renewed = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE assistant_conversations SET lease_until = @until
            WHERE customer_id = @customerId AND conversation_id = @conversationId AND lease_owner = @owner;
            """, new { customerId, conversationId, owner, until = Timestamp(until) }, cancellationToken: cancellationToken));
        return renewed == 1;
    }

    public async Task ReleaseLeaseAsync(string customerId, string conversationId, string owner)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            "UPDATE assistant_conversations SET lease_owner = NULL, lease_until = NULL WHERE customer_id = @customerId AND conversation_id = @conversationId AND lease_owner = @owner;",
            new { customerId, conversationId, owner });
    }

    /// <summary>Deletes conversations idle for longer than the retention (and not being answered right now).</summary>
    /// <returns>How many were deleted.</returns>
    public async Task<int> PruneAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var cutoff = Timestamp(now - options.Value.ConversationRetention);
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM assistant_conversations
            WHERE updated_at < @cutoff AND (lease_until IS NULL OR lease_until < @now);
            """, new { cutoff, now = Timestamp(now) }, cancellationToken: cancellationToken));
    }

    /// <summary>ISO 8601 UTC with a fixed width, so text comparison in SQL orders instants on both engines.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>Leases on conversations, so one replica at a time answers a conversation's message (see <see cref="ConversationTurns"/>).</summary>
public interface IConversationLeases
{
    /// <summary>Takes the lease for <paramref name="owner"/> until <paramref name="until"/> unless another owner holds an unexpired one.</summary>
    Task<bool> TryLeaseAsync(string customerId, string conversationId, string owner, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Extends <paramref name="owner"/>'s lease; false when it no longer holds it.</summary>
    Task<bool> RenewLeaseAsync(string customerId, string conversationId, string owner, DateTimeOffset until, CancellationToken cancellationToken);

    Task ReleaseLeaseAsync(string customerId, string conversationId, string owner);
}
