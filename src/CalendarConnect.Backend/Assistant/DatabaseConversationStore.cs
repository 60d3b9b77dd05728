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
/// Reads and writes are plain: that two messages of one conversation never interleave their read and write is
/// <see cref="ConversationTurns"/>' job (a lock in this process and a lease on the row across replicas).
/// </remarks>
public sealed class DatabaseConversationStore(
    CustomerDatabase database,
    TimeProvider time,
    IOptions<AssistantChannelOptions> options,
    ILogger<DatabaseConversationStore> logger) : IConversationStore
{
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
