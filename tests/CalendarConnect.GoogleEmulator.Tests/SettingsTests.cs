using CalendarConnect.Testing;
using Microsoft.Extensions.Configuration;

namespace CalendarConnect.GoogleEmulator.Tests;

/// <summary>EmulatorSettings as bound from configuration, and a bad setting stopping the executable with one line.</summary>
public class SettingsTests
{
    private static EmulatorSettings Read(Dictionary<string, string?> values)
    {
        var settings = new EmulatorSettings();
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().Bind(settings);
        return settings;
    }

    [Fact]
    public void Unset_or_blank_the_client_is_the_demo_client_and_the_state_is_kept_in_memory()
    {
        var settings = Read(new() { ["EMULATOR_CLIENT_ID"] = "", ["EMULATOR_STATE_FILE"] = "" });
        Assert.Equal(new(EmulatorDefaults.ClientId, EmulatorDefaults.ClientSecret), settings.Client);
        Assert.Equal(EmulatorDefaults.Port, settings.Port);
        Assert.Null(settings.StateFilePath);
    }

    [Fact]
    public void Each_setting_is_read_under_its_variable_name()
    {
        var settings = Read(new()
        {
            ["EMULATOR_CLIENT_ID"] = "id.apps.googleusercontent.com", ["EMULATOR_CLIENT_SECRET"] = "s",
            ["GOOGLE_EMULATOR_PORT"] = "61000", ["EMULATOR_STATE_FILE"] = "state.json",
        });
        Assert.Equal(new("id.apps.googleusercontent.com", "s"), settings.Client);
        Assert.Equal(61000, settings.Port);
        Assert.Equal(Path.GetFullPath("state.json"), settings.StateFilePath);
    }

    [Fact]
    public async Task A_port_out_of_range_stops_start_up_with_one_line()
    {
        var folder = Directory.CreateTempSubdirectory("cc-emulator-start-").FullName;
        var result = await ServiceProcess.RunAsync("CalendarConnect.GoogleEmulator",
            new Dictionary<string, string?> { ["GOOGLE_EMULATOR_PORT"] = "70000" }, folder, TimeSpan.FromSeconds(60));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Configuration error: GOOGLE_EMULATOR_PORT must be a port number between 0 and 65535 (default 60001).", Assert.Single(result.Lines));
        Assert.DoesNotContain("   at ", result.StandardError + result.StandardOutput);
    }
}
