namespace CalendarConnect.Backend.WhatsApp;

public static class WhatsAppServiceCollectionExtensions
{
    /// <summary>
    /// The WhatsApp Cloud API webhook (<see cref="WhatsAppOptions"/>: WHATSAPP_VERIFY_TOKEN, WHATSAPP_APP_SECRET,
    /// WHATSAPP_ACCESS_TOKEN, all or none, and WHATSAPP_API_BASE). Needs
    /// <see cref="Assistant.AssistantChannelsServiceCollectionExtensions.AddAssistantChannels"/>.
    /// </summary>
    public static IServiceCollection AddWhatsAppWebhook(this IServiceCollection services)
    {
        services.AddHttpClient(WhatsAppGraphClient.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(20));
        services.AddSingleton<WhatsAppGraphClient>();
        services.AddSingleton<WhatsAppInbox>();
        services.AddSingleton<WhatsAppMessageProcessor>();
        services.AddHostedService(sp => sp.GetRequiredService<WhatsAppMessageProcessor>());
        return services;
    }
}
