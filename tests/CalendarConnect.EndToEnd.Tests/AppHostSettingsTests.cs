using CalendarConnect.AppHost;
using Microsoft.Extensions.Configuration;

namespace CalendarConnect.EndToEnd.Tests;

/// <summary>The AppHost's own variables: bound by name, defaults when unset, and one clear line per mistake.</summary>
public class AppHostSettingsTests
{
    private static AppHostSettings Bound(params (string Name, string Value)[] variables) =>
        new ConfigurationBuilder().AddInMemoryCollection(variables.Select(v => new KeyValuePair<string, string?>(v.Name, v.Value)))
            .Build().Get<AppHostSettings>() ?? new();

    [Fact]
    public void Unset_means_the_demo_on_the_documented_ports()
    {
        var settings = Bound();
        Assert.Empty(settings.Problems());
        Assert.True(settings.DemoMode);
        Assert.Equal([("MCP_PORT", 60000), ("BACKEND_PORT", 8000), ("GOOGLE_EMULATOR_PORT", 60001)], settings.Ports());
        Assert.Null(settings.Secret("ADMIN_PASSWORD"));
    }

    [Fact]
    public void Variables_are_read_by_their_names_and_real_google_needs_no_emulator_port()
    {
        var settings = Bound(("MCP_PORT", " 61000 "), ("BACKEND_PORT", "8080"), ("GOOGLE_CLIENT_ID", "id.apps.googleusercontent.com"),
            ("ADMIN_PASSWORD", "from-env"), ("MCP_API_KEY", "   "));
        Assert.Empty(settings.Problems());
        Assert.False(settings.DemoMode);
        Assert.Equal([("MCP_PORT", 61000), ("BACKEND_PORT", 8080)], settings.Ports());
        Assert.Equal("from-env", settings.Secret("ADMIN_PASSWORD"));
        Assert.Null(settings.Secret("MCP_API_KEY")); // blank is unset: dev-secrets.json keeps it
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("80.5")]
    public void A_port_that_is_not_one_is_named_instead_of_silently_replaced_by_the_default(string value)
    {
        var problem = Assert.Single(Bound(("BACKEND_PORT", value)).Problems());
        Assert.Equal($"BACKEND_PORT must be a port number from 1 to 65535 (it is '{value}').", problem);
    }

    [Fact]
    public void Two_services_on_one_port_are_named_before_either_starts()
    {
        var problem = Assert.Single(Bound(("MCP_PORT", "8000")).Problems());
        Assert.Equal("MCP_PORT and BACKEND_PORT are both 8000: each service needs a port of its own.", problem);
        // Only the demo runs the emulator, so only then can its port clash.
        Assert.Empty(Bound(("GOOGLE_EMULATOR_PORT", "8000"), ("GOOGLE_CLIENT_ID", "id")).Problems());
    }
}
