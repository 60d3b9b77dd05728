using Microsoft.Extensions.Caching.Memory;

namespace CalendarConnect.Assistant.Conversations;

/// <summary>
/// Conversation memory in this process. Entries expire after a quiet period and the count is capped, so a flood of
/// new conversation ids cannot grow memory without bound. Lost on restart: for tests and hosts without a database; the backend registers its database-backed store.
/// </summary>
public sealed class InMemoryConversationStore : IConversationStore, IDisposable
{
    public static readonly TimeSpan IdleExpiry = TimeSpan.FromHours(12);
    public const int MaxConversations = 100_000;

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = MaxConversations });

    public ValueTask<ConversationState?> GetAsync(string customerId, string conversationId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(cache.TryGetValue(Key(customerId, conversationId), out ConversationState? state) ? state : null);

    public ValueTask SetAsync(string customerId, string conversationId, ConversationState state, CancellationToken cancellationToken = default)
    {
        cache.Set(Key(customerId, conversationId), state, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = IdleExpiry });
        return ValueTask.CompletedTask;
    }

    public void Dispose() => cache.Dispose();

    // A tuple key keeps ("a:b","c") and ("a","b:c") apart, which string concatenation would not.
    private static (string, string) Key(string customerId, string conversationId) => (customerId, conversationId);
}
