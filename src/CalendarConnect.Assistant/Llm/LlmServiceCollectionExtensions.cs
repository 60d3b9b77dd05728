using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Assistant.Llm;

internal static class LlmServiceCollectionExtensions
{
    /// <summary>
    /// Reads the <c>ASSISTANT_LLM_*</c> variables; bad values stop the host at start-up with one line naming the variable.
    /// The engine is registered only when <c>ASSISTANT_LLM_ENDPOINT</c> is set, so without it nothing changes.
    /// </summary>
    public static IServiceCollection AddLlmMode(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LlmOptions>()
            .Configure(options =>
            {
                options.Endpoint = configuration[LlmOptions.EndpointKey];
                options.Model = configuration[LlmOptions.ModelKey];
                options.ApiKey = configuration[LlmOptions.ApiKeyKey];
                options.TimeoutSecondsText = configuration[LlmOptions.TimeoutKey];
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>());
        if (!string.IsNullOrWhiteSpace(configuration[LlmOptions.EndpointKey]))
        {
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton<LlmBookingEngine>();
        }
        return services;
    }

    private sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
    {
        public ValidateOptionsResult Validate(string? name, LlmOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
