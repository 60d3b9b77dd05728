namespace CalendarConnect.Backend.Assistant;

/// <summary>
/// Limits and retention of the assistant's channels (HTTP, channel messages, WhatsApp, /chat), from the ASSISTANT_*
/// variables of <see cref="Configuration.BackendSettings"/>.
/// </summary>
public sealed class AssistantChannelOptions
{
    public const string PerClientVariable = "ASSISTANT_RATE_LIMIT_PER_IP";
    public const string PerConversationVariable = "ASSISTANT_RATE_LIMIT_PER_CONVERSATION";
    public const string PerCompanyVariable = "ASSISTANT_RATE_LIMIT_PER_COMPANY";
    public const string RetentionVariable = "ASSISTANT_CONVERSATION_RETENTION_DAYS";

    /// <summary>
    /// Messages per minute from one client IP address to POST /v1/assistant/messages. Generous because a messaging
    /// bridge sends every customer's messages from one address; the per-conversation limit is the tight one.
    /// </summary>
    public int MessagesPerMinutePerClient { get; set; } = 300;

    /// <summary>Messages per minute in one conversation, whatever the channel (a person types far fewer than 30).</summary>
    public int MessagesPerMinutePerConversation { get; set; } = 30;

    /// <summary>
    /// Messages per minute to one company, all its conversations and channels together: conversation ids are the
    /// caller's to choose (and a new one is issued for the asking), so the per-conversation limit alone bounds nothing.
    /// </summary>
    public int MessagesPerMinutePerCompany { get; set; } = 600;

    /// <summary>Conversations idle for longer are deleted (with whatever was pending in them).</summary>
    public TimeSpan ConversationRetention { get; set; } = TimeSpan.FromDays(30);
}
