using CalendarConnect.Assistant.Llm;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Backend.Configuration;
using CalendarConnect.Backend.SignIn;
using CalendarConnect.Backend.Storage;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.Web;

public static class StartupChecks
{
    /// <summary>
    /// Validates the settings (<see cref="BackendSettings"/> and the assistant's) and prepares the database. The host does the same on start
    /// (ValidateOnStart, <see cref="CustomerSchemaInitializer"/> and <see cref="SharedKeyRingInitializer"/>); Main runs it first to print one line.
    /// </summary>
    public static async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        _ = services.GetRequiredService<IOptions<BackendSettings>>().Value;
        _ = services.GetRequiredService<IOptions<McpCalendarOptions>>().Value;
        _ = services.GetRequiredService<IOptions<LlmOptions>>().Value;
        await services.GetRequiredService<CustomerDatabase>().EnsureSchemaAsync(cancellationToken);
        await services.GetRequiredService<SharedKeyRing>().PrepareAsync(cancellationToken);
    }
}
