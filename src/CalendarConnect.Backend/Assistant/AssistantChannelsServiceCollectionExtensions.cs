using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Backend.WhatsApp;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.Assistant;

public static class AssistantChannelsServiceCollectionExtensions
{
    /// <summary>
    /// Conversations kept in the customer database (instead of the assistant library's in-memory store), one
    /// message at a time per conversation, rate limits (<see cref="AssistantChannelOptions"/>), and the housekeeping
    /// that deletes idle conversations.
    /// </summary>
    public static IServiceCollection AddAssistantChannels(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseConversationStore>();
        // Replaces whatever store is registered, before or after AddBookingAssistant.
        services.RemoveAll<IConversationStore>();
        services.AddSingleton<IConversationStore>(sp => sp.GetRequiredService<DatabaseConversationStore>());
        services.AddSingleton<IConversationLeases>(sp => sp.GetRequiredService<DatabaseConversationStore>());
        services.AddSingleton<ConversationTurns>();
        services.AddSingleton<AssistantConversations>();
        services.AddSingleton<CalendarConnect.Backend.Telemetry.BackendMetrics>();
        services.AddSingleton<AssistantRateLimits>();
        services.AddSingleton<WhatsAppReceivedMessages>();
        services.AddHostedService<ChannelHousekeeping>();

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>()
            .Configure<IOptions<AssistantChannelOptions>>((limiter, channel) => AssistantRateLimits.AddPerClientPolicy(limiter, channel.Value));
        return services;
    }
}
