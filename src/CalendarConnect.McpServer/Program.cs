namespace CalendarConnect.McpServer;

/// <summary>
/// The MCP Calendar Server: OAuth2 handler, encrypted token store, Google Calendar client and MCP endpoint.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var app = BuildApp(args);
        await app.RunAsync();
        return 0;
    }

    /// <param name="settings">Configuration that wins over environment variables (tests and the AppHost use it).</param>
    public static WebApplication BuildApp(string[] args, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        var port = builder.Configuration.GetValue("MCP_PORT", 60000);
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls($"http://localhost:{port}");

        var app = builder.Build();
        app.MapGet("/", () => "MCP Calendar Server");
        return app;
    }
}
