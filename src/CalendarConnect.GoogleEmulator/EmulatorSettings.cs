using System.ComponentModel.DataAnnotations;
using CalendarConnect.GoogleEmulator.OAuth;
using CalendarConnect.GoogleEmulator.Persistence;
using Microsoft.Extensions.Options;

namespace CalendarConnect.GoogleEmulator;

/// <summary>
/// Every setting of the emulator, bound by the configuration binder from its environment-variable names, each read
/// once, and validated at start-up by <see cref="EmulatorSettingsValidator"/> (one line per problem, naming the variable).
/// </summary>
public sealed class EmulatorSettings : IValidatableObject
{
    private const int HighestPort = 65535;
    public const string PortVariable = "GOOGLE_EMULATOR_PORT";

    /// <summary>GOOGLE_EMULATOR_PORT: where the emulator listens on localhost (unless ASP.NET Core's <c>urls</c> says otherwise).</summary>
    [ConfigurationKeyName(PortVariable)]
    public int Port { get; set; } = EmulatorDefaults.Port;

    [ConfigurationKeyName("EMULATOR_CLIENT_ID")]
    public string? ClientId { get; set; }

    [ConfigurationKeyName("EMULATOR_CLIENT_SECRET")]
    public string? ClientSecret { get; set; }

    /// <summary>EMULATOR_STATE_FILE as given; read through <see cref="StateFilePath"/>.</summary>
    [ConfigurationKeyName(EmulatorStateFile.Setting)]
    public string? StateFile { get; set; }

    /// <summary>The one OAuth client the emulator accepts: the demo client unless both halves are set.</summary>
    public RegisteredClient Client => new(
        ClientId is { Length: > 0 } id ? id : EmulatorDefaults.ClientId,
        ClientSecret is { Length: > 0 } secret ? secret : EmulatorDefaults.ClientSecret);

    /// <summary>The full path of the state file, or null to keep the state in memory only.</summary>
    public string? StateFilePath => StateFile is { Length: > 0 } file ? Path.GetFullPath(file) : null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Port is < 0 or > HighestPort)
            yield return new($"GOOGLE_EMULATOR_PORT must be a port number between 0 and {HighestPort} (default {EmulatorDefaults.Port}).");
    }
}

/// <summary>Start-up validation of <see cref="EmulatorSettings"/>, generated from its checks.</summary>
[OptionsValidator]
public sealed partial class EmulatorSettingsValidator : IValidateOptions<EmulatorSettings>;
