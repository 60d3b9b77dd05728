using System.Globalization;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.Assistant;

/// <summary>Limits and retention of the assistant's channels (HTTP, channel messages, WhatsApp, /chat).</summary>
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

    /// <summary>Settings that could not be read, one line each naming the variable.</summary>
    internal List<string> Problems { get; } = [];

    internal static void Bind(AssistantChannelOptions options, IConfiguration configuration)
    {
        if (ReadInt(configuration, PerClientVariable, 1, 100_000, options.Problems) is { } perClient) options.MessagesPerMinutePerClient = perClient;
        if (ReadInt(configuration, PerConversationVariable, 1, 10_000, options.Problems) is { } perConversation) options.MessagesPerMinutePerConversation = perConversation;
        if (ReadInt(configuration, PerCompanyVariable, 1, 1_000_000, options.Problems) is { } perCompany) options.MessagesPerMinutePerCompany = perCompany;
        if (ReadInt(configuration, RetentionVariable, 1, 3650, options.Problems) is { } days) options.ConversationRetention = TimeSpan.FromDays(days);
    }

    private static int? ReadInt(IConfiguration configuration, string variable, int min, int max, List<string> problems)
    {
        var text = configuration[variable];
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        problems.Add($"{variable} must be a whole number from {min} to {max}.");
        return null;
    }
}

public sealed class AssistantChannelOptionsValidator : IValidateOptions<AssistantChannelOptions>
{
    public ValidateOptionsResult Validate(string? name, AssistantChannelOptions options) =>
        options.Problems.Count > 0 ? ValidateOptionsResult.Fail(options.Problems) : ValidateOptionsResult.Success;
}
