using CalendarConnect.Assistant;

namespace CalendarConnect.Backend.Assistant;

/// <summary>
/// The one way every channel (HTTP, channel messages, WhatsApp, /chat) has a message answered: by the booking
/// assistant, one message at a time per conversation (<see cref="ConversationTurns"/>).
/// </summary>
public sealed class AssistantConversations(BookingAssistant assistant, ConversationTurns turns)
{
    /// <exception cref="ConversationBusyException">The conversation stayed busy for longer than a message may wait.</exception>
    public Task<AssistantReply> ReplyAsync(string customerId, string conversationId, string text, CancellationToken cancellationToken) =>
        turns.RunAsync(customerId, conversationId, () => assistant.ReplyAsync(customerId, conversationId, text, cancellationToken), cancellationToken);
}
