using CalendarConnect.Assistant.McpCalendar;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarConnect.Testing.CalendarContract;

/// <summary>
/// The assistant's real calendar adapter (<see cref="McpCalendarAdapter"/>, registered by <c>AddBookingAssistant</c> as a
/// host registers it) pointed at an MCP server: the fake one or the real one.
/// </summary>
public sealed class McpCalendarClient : IAsyncDisposable
{
    private readonly ServiceProvider services;

    private McpCalendarClient(ServiceProvider services) => this.services = services;

    public ICalendarAdapter Adapter => services.GetRequiredService<ICalendarAdapter>();

    /// <param name="serverUrl">MCP_SERVER_URL: the server's base URL.</param>
    /// <param name="apiKey">MCP_API_KEY: the server's service key.</param>
    /// <param name="primaryHandler">The adapter's HTTP handler, for a server hosted in memory (TestServer); sockets when null.</param>
    public static McpCalendarClient Create(string serverUrl, string apiKey, Func<HttpMessageHandler>? primaryHandler = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["MCP_SERVER_URL"] = serverUrl, ["MCP_API_KEY"] = apiKey })
            .Build();
        var services = new ServiceCollection();
        services.AddBookingAssistant(configuration);
        if (primaryHandler is not null) services.AddHttpClient(McpCalendarAdapter.HttpClientName).ConfigurePrimaryHttpMessageHandler(primaryHandler);
        return new McpCalendarClient(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    public ValueTask DisposeAsync() => services.DisposeAsync();
}
