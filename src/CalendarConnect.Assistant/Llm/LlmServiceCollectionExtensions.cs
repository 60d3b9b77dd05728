using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Assistant.Llm;

internal static class LlmServiceCollectionExtensions
{
    /// <summary>
    /// Binds the <c>ASSISTANT_LLM_*</c> variables into <see cref="LlmOptions"/>; bad values stop the host at start-up
    /// with one line naming the variable. The engine exists only when <c>ASSISTANT_LLM_ENDPOINT</c> is set (it is
    /// resolved as null otherwise, and <see cref="BookingAssistant"/> answers with its rules alone).
    /// </summary>
    public static IServiceCollection AddLlmMode(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>());
        services.AddOptions<LlmOptions>().Bind(configuration).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LlmBookingEngine>(sp => sp.GetRequiredService<IOptions<LlmOptions>>().Value.Enabled
            ? ActivatorUtilities.CreateInstance<LlmBookingEngine>(sp)
            : null!);
        return services;
    }
}
