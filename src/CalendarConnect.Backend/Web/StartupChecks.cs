using CalendarConnect.Backend.McpServer;
using CalendarConnect.Backend.SignIn;
using CalendarConnect.Backend.Storage;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.Web;

public static class StartupChecks
{
    /// <summary>
    /// Validates every options class and prepares the database. The host does the same on start
    /// (ValidateOnStart, <see cref="CustomerSchemaInitializer"/> and <see cref="SharedKeyRingInitializer"/>); Main runs it first to print one line.
    /// </summary>
    public static async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        _ = services.GetRequiredService<IOptions<CustomerDatabaseOptions>>().Value;
        _ = services.GetRequiredService<IOptions<McpServerOptions>>().Value;
        _ = services.GetRequiredService<IOptions<AdminOptions>>().Value;
        _ = services.GetRequiredService<IOptions<SharedKeyRingOptions>>().Value;
        _ = services.GetRequiredService<IOptions<AdminSessionOptions>>().Value;
        _ = services.GetRequiredService<IOptions<TrustedProxiesOptions>>().Value;
        await services.GetRequiredService<CustomerDatabase>().EnsureSchemaAsync(cancellationToken);
        await services.GetRequiredService<SharedKeyRing>().PrepareAsync(cancellationToken);
    }
}
