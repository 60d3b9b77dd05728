using CalendarConnect.Infrastructure.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Configuration.Tests;

/// <summary>
/// The hosting defaults every service applies (Infrastructure's <see cref="ServiceDefaults"/>), seen through a service
/// as it is built, and that ASP.NET Core's own settings still win over them.
/// </summary>
public sealed class ServiceDefaultsTests
{
    [Fact]
    public async Task A_stop_may_take_the_grace_period_and_framework_categories_log_warnings_only()
    {
        await using var app = GoogleEmulator.Program.BuildApp([], new Dictionary<string, string?>());

        Assert.Equal(ServiceDefaults.ShutdownGracePeriod, app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        Assert.True(ServiceDefaults.ShutdownGracePeriod > TimeSpan.FromSeconds(10), "a stop must outlast a booking's 10 s budget");
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger("System.Net.Http.HttpClient.Default.LogicalHandler").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("CalendarConnect.GoogleEmulator.Anything").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public async Task The_operators_settings_win_over_the_defaults()
    {
        await using var app = GoogleEmulator.Program.BuildApp([], new Dictionary<string, string?>
        {
            ["shutdownTimeoutSeconds"] = "90",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
        });

        Assert.Equal(TimeSpan.FromSeconds(90), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        Assert.True(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Information));
    }

    [Theory]
    [InlineData("urls", "http://+:8080")]
    [InlineData("http_ports", "8080")]
    [InlineData("https_ports", "8443")]
    public void ASP_NET_Cores_listen_settings_decide_where_a_service_listens(string key, string value)
    {
        Assert.True(ServiceDefaults.ListensWhereConfigured(new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build()));
        Assert.False(ServiceDefaults.ListensWhereConfigured(new ConfigurationBuilder().AddInMemoryCollection([new(key, " ")]).Build()));
    }
}
