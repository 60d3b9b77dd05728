namespace CalendarConnect.Backend;

/// <summary>
/// The Backend API (customer calendars, customer_memory), the admin page /clientes and the assistant entry points.
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
        var port = builder.Configuration.GetValue("BACKEND_PORT", 8000);
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls($"http://localhost:{port}");

        var app = builder.Build();
        app.MapGet("/", () => "Backend");
        return app;
    }
}
