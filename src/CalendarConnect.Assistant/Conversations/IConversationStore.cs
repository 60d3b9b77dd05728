namespace CalendarConnect.Assistant.Conversations;

/// <summary>
/// Per-conversation memory, keyed by company and conversation. Asynchronous because the backend keeps it in its
/// database (a restart or another replica must still know about a pending confirmation).
/// </summary>
public interface IConversationStore
{
    ValueTask<ConversationState?> GetAsync(string customerId, string conversationId, CancellationToken cancellationToken = default);

    ValueTask SetAsync(string customerId, string conversationId, ConversationState state, CancellationToken cancellationToken = default);
}
