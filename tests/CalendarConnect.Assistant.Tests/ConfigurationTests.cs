using CalendarConnect.Assistant.McpCalendar;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Assistant.Tests;

public class ConfigurationTests
{
    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddBookingAssistant(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public async Task A_missing_MCP_API_KEY_stops_the_host_with_one_line_naming_it()
    {
        using var host = BuildHost(new() { ["MCP_SERVER_URL"] = "http://localhost:60000" });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal("MCP_API_KEY is not set: the booking assistant needs the MCP server's service key.", Assert.Single(ex.Failures));
    }

    [Theory]
    [InlineData(" a-long-enough-service-key ")]
    [InlineData("a-long-enough-service-key\r\n")]
    public async Task An_MCP_API_KEY_with_spaces_or_control_characters_stops_the_host_with_one_line(string key)
    {
        using var host = BuildHost(new() { ["MCP_SERVER_URL"] = "http://localhost:60000", ["MCP_API_KEY"] = key });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        var line = Assert.Single(ex.Failures);
        Assert.StartsWith("MCP_API_KEY may contain only visible ASCII characters", line);
        Assert.DoesNotContain("a-long-enough-service-key", line);
    }

    [Fact]
    public async Task A_malformed_MCP_SERVER_URL_stops_the_host_with_one_line_naming_it()
    {
        using var host = BuildHost(new() { ["MCP_SERVER_URL"] = "localhost:60000/x y", ["MCP_API_KEY"] = "k" });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.StartsWith("MCP_SERVER_URL must be an absolute http(s) URL", Assert.Single(ex.Failures));
    }

    [Fact]
    public void Defaults_to_localhost_60000_and_its_mcp_endpoint()
    {
        using var host = BuildHost(new() { ["MCP_API_KEY"] = "k" });

        var options = host.Services.GetRequiredService<IOptions<McpCalendarOptions>>().Value;

        Assert.Equal(new Uri("http://localhost:60000/mcp"), options.McpEndpoint);
    }

    [Theory]
    [InlineData("http://mcp.internal:60000", "http://mcp.internal:60000/mcp")]
    [InlineData("http://mcp.internal:60000/", "http://mcp.internal:60000/mcp")]
    [InlineData("https://calendar.example.com/base", "https://calendar.example.com/base/mcp")]
    [InlineData("http://127.0.0.1:60000/mcp", "http://127.0.0.1:60000/mcp")]
    public void The_mcp_endpoint_is_the_base_plus_mcp(string serverUrl, string expected)
    {
        Assert.Equal(new Uri(expected), new McpCalendarOptions { ServerUrl = serverUrl }.McpEndpoint);
    }
}
