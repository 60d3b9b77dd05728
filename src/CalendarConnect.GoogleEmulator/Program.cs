using CalendarConnect.Infrastructure.Hosting;
using CalendarConnect.GoogleEmulator.Accounts;
using CalendarConnect.GoogleEmulator.Calendar;
using CalendarConnect.GoogleEmulator.Control;
using CalendarConnect.GoogleEmulator.Home;
using CalendarConnect.GoogleEmulator.OAuth;
using CalendarConnect.GoogleEmulator.Persistence;
using CalendarConnect.GoogleEmulator.Push;
using CalendarConnect.Infrastructure;
using CalendarConnect.Infrastructure.Http;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CalendarConnect.GoogleEmulator;

/// <summary>
/// A local, wire-faithful stand-in for Google OAuth2 and Calendar API v3 (demo mode and tests only).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        return await StartupFailure.RunAsync(() => BuildApp(args));
    }

    /// <param name="settings">Configuration that wins over environment variables (tests and the AppHost use it).</param>
    public static WebApplication BuildApp(string[] args, IReadOnlyDictionary<string, string?>? settings = null) =>
        BuildApp(args, settings, configureServices: null);

    /// <exception cref="StartupException">EMULATOR_STATE_FILE is set to a file that cannot be loaded.</exception>
    /// <param name="configureServices">Runs before the emulator's own registrations, so tests can supply e.g. a fake <see cref="TimeProvider"/>.</param>
    public static WebApplication BuildApp(
        string[] args, IReadOnlyDictionary<string, string?>? settings, Action<IServiceCollection>? configureServices)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        // Settings, each read once here and validated before anything else uses them.
        builder.Services.AddSingleton<IValidateOptions<EmulatorSettings>, EmulatorSettingsValidator>();
        builder.Services.AddOptions<EmulatorSettings>().Bind(builder.Configuration).ValidateOnStart();
        builder.AddServiceDefaults().ListenOnLocalhostUnlessConfigured(s => s.GetRequiredService<IOptions<EmulatorSettings>>().Value.Port);

        configureServices?.Invoke(builder.Services);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(s => s.GetRequiredService<IOptions<EmulatorSettings>>().Value.Client);
        builder.Services.AddSingleton<AccountStore>();
        builder.Services.AddSingleton<GrantStore>();
        builder.Services.AddSingleton<CalendarEvents>();
        builder.Services.AddSingleton<FaultStore>();
        builder.Services.AddSingleton<GoogleLatency>();
        builder.Services.AddSingleton<UserRateLimit>();
        builder.Services.AddSingleton<RequestLog>();
        builder.Services.AddSingleton<PushChannels>();
        builder.Services.AddHostedService(s => s.GetRequiredService<PushChannels>());
        // The control API's bodies are request records (strict JSON); the Google-facing endpoints read theirs by hand,
        // the way Google does, and bind nothing the framework could refuse.
        builder.Services.AddJsonRequestBodies();
        var app = builder.Build();
        // Before anything listens, so no request sees an empty emulator.
        try
        {
            if (app.Services.GetRequiredService<IOptions<EmulatorSettings>>().Value.StateFilePath is { } stateFile)
                ActivatorUtilities.CreateInstance<EmulatorStateFile>(app.Services, stateFile).LoadAndFollow();
        }
        catch (Exception e) when (e is StartupException or OptionsValidationException)
        {
            ((IDisposable)app).Dispose();
            throw;
        }
        // Outermost first: every Google request is logged (also one its client gave up on), then slowed, then maybe failed.
        app.UseMiddleware<RequestLogMiddleware>();
        app.UseMiddleware<LatencyMiddleware>();
        app.UseMiddleware<FaultInjectionMiddleware>();
        app.UseControlApiErrors();

        app.MapHomePage();
        app.MapOAuth();
        app.MapCalendarApi();
        app.MapControlApi();
        return app;
    }
}
