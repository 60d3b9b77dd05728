using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// The assistant wired exactly as a host wires it (<c>AddBookingAssistant</c>). Its only clock is the MCP server's
/// <c>get_current_time</c>, which the fake server answers with <see cref="Wednesday"/> unless a test says otherwise.
/// </summary>
public static class AssistantHost
{
    public const string ApiKey = "test-service-key";

    /// <summary>Wednesday 15 January 2025, 10:00 in Buenos Aires.</summary>
    public static readonly DateTimeOffset Wednesday = new(2025, 1, 15, 10, 0, 0, TimeSpan.FromHours(-3));

    /// <param name="time">The clock of the MCP calls' timeouts (the system's when null).</param>
    public static ServiceProvider Build(string serverUrl, string? apiKey = ApiKey, TimeProvider? time = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MCP_SERVER_URL"] = serverUrl,
                ["MCP_API_KEY"] = apiKey,
            })
            .Build();
        var services = new ServiceCollection();
        if (time is not null) services.AddSingleton(time);
        services.AddBookingAssistant(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
