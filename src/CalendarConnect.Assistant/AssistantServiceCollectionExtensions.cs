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
    /// Reads <c>MCP_SERVER_URL</c> (default http://localhost:60000) and <c>MCP_API_KEY</c> (required); a missing or
    /// malformed value stops the host at start-up with one line naming the variable.
    /// </summary>
    public static IServiceCollection AddBookingAssistant(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<McpCalendarOptions>()
            .Configure(options =>
            {
                if (configuration[McpCalendarOptions.ServerUrlKey] is { Length: > 0 } url) options.ServerUrl = url;
                options.ApiKey = configuration[McpCalendarOptions.ApiKeyKey] ?? "";
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<McpCalendarOptions>, McpCalendarOptionsValidator>());

        services.AddHttpClient(McpCalendarAdapter.HttpClientName);
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICalendarAdapter, McpCalendarAdapter>();
        services.TryAddSingleton<IConversationStore, InMemoryConversationStore>();
        services.AddLlmMode(configuration); // optional: ASSISTANT_LLM_ENDPOINT
        services.TryAddSingleton<CalendarConnect.Assistant.BookingAssistant>();
        return services;
    }

    private sealed class McpCalendarOptionsValidator : IValidateOptions<McpCalendarOptions>
    {
        public ValidateOptionsResult Validate(string? name, McpCalendarOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
