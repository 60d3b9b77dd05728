namespace CalendarConnect.Assistant.Conversations;

/// <summary>Per-conversation memory, keyed by company and conversation.</summary>
public interface IConversationStore
{
    ConversationState? Get(string customerId, string conversationId);

    void Set(string customerId, string conversationId, ConversationState state);
}
