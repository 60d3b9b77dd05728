using CalendarConnect.Assistant.Llm;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Assistant.Tests;

public class LlmConfigurationTests
{
    private static IHost BuildHost(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.Sources.Clear();
        settings.TryAdd("MCP_API_KEY", "k");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddBookingAssistant(builder.Configuration);
        return builder.Build();
    }

    private static async Task<string> StartFailure(Dictionary<string, string?> settings)
    {
        using var host = BuildHost(settings);
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        return Assert.Single(ex.Failures);
    }

    [Fact]
    public async Task Llm_mode_is_off_without_an_endpoint()
    {
        using var host = BuildHost(new() { [LlmOptions.ModelKey] = "ignored" });
        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.Null(host.Services.GetService<LlmBookingEngine>());
        Assert.NotNull(host.Services.GetRequiredService<BookingAssistant>());
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData("localhost:11434/v1")]
    [InlineData("ftp://models.internal/v1")]
    [InlineData("not a url")]
    public async Task A_malformed_endpoint_stops_the_host_with_one_line_naming_it(string endpoint)
    {
        var failure = await StartFailure(new() { [LlmOptions.EndpointKey] = endpoint, [LlmOptions.ModelKey] = "m" });

        Assert.StartsWith("ASSISTANT_LLM_ENDPOINT must be an absolute http(s) URL", failure);
    }

    [Fact]
    public async Task A_missing_model_stops_the_host_with_one_line_naming_it()
    {
        var failure = await StartFailure(new() { [LlmOptions.EndpointKey] = "http://localhost:11434/v1" });

        Assert.StartsWith("ASSISTANT_LLM_MODEL is not set", failure);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("301")]
    [InlineData("-5")]
    public async Task A_bad_timeout_stops_the_host_with_one_line_naming_it(string timeout)
    {
        var failure = await StartFailure(new()
        {
            [LlmOptions.EndpointKey] = "http://localhost:11434/v1", [LlmOptions.ModelKey] = "m", [LlmOptions.TimeoutKey] = timeout,
        });

        Assert.StartsWith("ASSISTANT_LLM_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 300", failure);
    }

    [Fact]
    public async Task The_api_key_is_never_in_a_configuration_message()
    {
        var failure = await StartFailure(new()
        {
            [LlmOptions.EndpointKey] = "http://localhost:11434/v1", [LlmOptions.ModelKey] = "m", [LlmOptions.ApiKeyKey] = "sk-secret\n",
        });

        Assert.StartsWith("ASSISTANT_LLM_API_KEY contains", failure);
        Assert.DoesNotContain("sk-secret", failure);
    }

    [Fact]
    public async Task A_valid_configuration_enables_the_engine_with_a_20_second_default()
    {
        using var host = BuildHost(new() { [LlmOptions.EndpointKey] = "https://api.openai.com/v1", [LlmOptions.ModelKey] = "gpt-4o-mini" });
        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.NotNull(host.Services.GetService<LlmBookingEngine>());
        Assert.Equal(TimeSpan.FromSeconds(20), host.Services.GetRequiredService<IOptions<LlmOptions>>().Value.Timeout);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }
}
