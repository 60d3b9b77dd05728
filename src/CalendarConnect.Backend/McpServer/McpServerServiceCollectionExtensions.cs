using System.Net.Http.Headers;
using CalendarConnect.Assistant.McpCalendar;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.McpServer;

public static class McpServerServiceCollectionExtensions
{
    /// <summary>
    /// The client of the MCP server's REST API, at MCP_SERVER_URL with MCP_API_KEY: the assistant's
    /// <see cref="McpCalendarOptions"/> (bound and validated by <c>AddBookingAssistant</c>), so each is read once.
    /// </summary>
    public static IServiceCollection AddMcpServerClient(this IServiceCollection services)
    {
        services.AddHttpClient<McpServerClient>((sp, http) =>
        {
            var options = sp.GetRequiredService<IOptions<McpCalendarOptions>>().Value;
            http.BaseAddress = new Uri(options.ServerUrl.Trim().TrimEnd('/') + "/");
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
            http.Timeout = TimeSpan.FromSeconds(10);
        });
        return services;
    }
}
