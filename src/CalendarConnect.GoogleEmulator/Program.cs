namespace CalendarConnect.GoogleEmulator;

/// <summary>
/// A local, wire-faithful stand-in for Google OAuth2 and Calendar API v3 (demo mode and tests only).
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
        var port = builder.Configuration.GetValue("GOOGLE_EMULATOR_PORT", 60001);
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls($"http://localhost:{port}");

        var app = builder.Build();
        app.MapGet("/", () => "Google emulator");
        return app;
    }
}
