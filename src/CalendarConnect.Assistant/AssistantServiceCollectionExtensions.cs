using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Llm;
using CalendarConnect.Assistant.McpCalendar;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class AssistantServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="CalendarConnect.Assistant.BookingAssistant"/> and its MCP calendar adapter.
    /// Binds <c>MCP_SERVER_URL</c> (default http://localhost:60000) and <c>MCP_API_KEY</c> (required) into
    /// <see cref="McpCalendarOptions"/>, and the optional <c>ASSISTANT_LLM_*</c>; a missing or malformed value stops the
    /// host at start-up with one line naming the variable.
    /// </summary>
    public static IServiceCollection AddBookingAssistant(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<McpCalendarOptions>, McpCalendarOptionsValidator>());
        services.AddOptions<McpCalendarOptions>().Bind(configuration).PostConfigure(o => o.ApplyDefaults()).ValidateOnStart();

        services.AddHttpClient(McpCalendarAdapter.HttpClientName);
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICalendarAdapter, McpCalendarAdapter>();
        services.TryAddSingleton<IConversationStore, InMemoryConversationStore>();
        services.AddLlmMode(configuration); // optional: ASSISTANT_LLM_ENDPOINT
        services.TryAddSingleton<CalendarConnect.Assistant.BookingAssistant>();
        return services;
    }
}
