using System.Globalization;
using CalendarConnect.Backend.Configuration;
using CalendarConnect.Backend.SignIn;
using CalendarConnect.GoogleEmulator;
using CalendarConnect.Infrastructure;
using CalendarConnect.McpServer.Configuration;
using CalendarConnect.Shared;
using Microsoft.Extensions.Configuration;

namespace CalendarConnect.AppHost;

/// <summary>
/// What the AppHost itself reads from the environment, bound by the configuration binder and checked by
/// <see cref="Problems"/> before anything starts, each problem one line naming the variable to fix. The hosted services
/// read everything else through their own settings classes, from what the AppHost hands them.
/// </summary>
public sealed class AppHostSettings
{
    // Each service's own name and default for its port: the AppHost passes the port on, it does not define it.
    private const string McpPortVariable = McpServerSettings.PortVariable;
    private const string BackendPortVariable = BackendSettings.PortVariable;
    private const string EmulatorPortVariable = EmulatorSettings.PortVariable;

    [ConfigurationKeyName(McpPortVariable)]
    public string? McpPortText { get; set; }

    [ConfigurationKeyName(BackendPortVariable)]
    public string? BackendPortText { get; set; }

    [ConfigurationKeyName(EmulatorPortVariable)]
    public string? EmulatorPortText { get; set; }

    [ConfigurationKeyName(DataDirectory.Variable)]
    public string? DataDir { get; set; }

    /// <summary>Set (with GOOGLE_CLIENT_SECRET, which the MCP server reads) for real Google; unset for the demo.</summary>
    [ConfigurationKeyName("GOOGLE_CLIENT_ID")]
    public string? GoogleClientId { get; set; }

    [ConfigurationKeyName("GOOGLE_PUSH_URL")]
    public string? GooglePushUrl { get; set; }

    [ConfigurationKeyName("MCP_SERVER_URL")]
    public string? McpServerUrl { get; set; }

    [ConfigurationKeyName("TOKEN_DB")]
    public string? TokenDb { get; set; }

    [ConfigurationKeyName("CUSTOMER_DB")]
    public string? CustomerDb { get; set; }

    [ConfigurationKeyName("EMULATOR_STATE_FILE")]
    public string? EmulatorStateFile { get; set; }

    [ConfigurationKeyName(AdminOptions.UserVariable)]
    public string? AdminUser { get; set; }

    [ConfigurationKeyName("TOKEN_ENCRYPTION_KEY")]
    public string? TokenEncryptionKey { get; set; }

    [ConfigurationKeyName(ServiceKeyRule.Variable)]
    public string? McpApiKey { get; set; }

    [ConfigurationKeyName(AdminOptions.PasswordVariable)]
    public string? AdminPassword { get; set; }

    [ConfigurationKeyName(SharedKeyRingOptions.Variable)]
    public string? DataProtectionKey { get; set; }

    public static AppHostSettings FromEnvironment() =>
        new ConfigurationBuilder().AddEnvironmentVariables().Build().Get<AppHostSettings>() ?? new();

    public bool DemoMode => Blank(GoogleClientId) is null;
    public int McpPort => PortOr(McpPortText, McpServerSettings.DefaultPort);
    public int BackendPort => PortOr(BackendPortText, BackendSettings.DefaultPort);
    public int EmulatorPort => PortOr(EmulatorPortText, EmulatorDefaults.Port);

    /// <summary>Each port with its variable, the emulator's only in demo mode.</summary>
    public IEnumerable<(string Variable, int Port)> Ports()
    {
        yield return (McpPortVariable, McpPort);
        yield return (BackendPortVariable, BackendPort);
        if (DemoMode) yield return (EmulatorPortVariable, EmulatorPort);
    }

    /// <summary>A secret given in the environment, or null (then dev-secrets.json keeps or generates it).</summary>
    public string? Secret(string variable) => Blank(variable switch
    {
        "TOKEN_ENCRYPTION_KEY" => TokenEncryptionKey,
        ServiceKeyRule.Variable => McpApiKey,
        AdminOptions.PasswordVariable => AdminPassword,
        SharedKeyRingOptions.Variable => DataProtectionKey,
        _ => throw new ArgumentOutOfRangeException(nameof(variable), variable, "Not a secret the AppHost keeps."),
    });

    /// <summary>What is wrong with the settings, one line each; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var (variable, text) in new[] { (McpPortVariable, McpPortText), (BackendPortVariable, BackendPortText), (EmulatorPortVariable, EmulatorPortText) })
            if (Blank(text) is { } given && !TryPort(given, out _))
                problems.Add($"{variable} must be a port number from 1 to 65535 (it is '{given}').");
        if (problems.Count > 0) return problems;
        foreach (var clash in Ports().GroupBy(p => p.Port).Where(g => g.Count() > 1))
            problems.Add($"{string.Join(" and ", clash.Select(p => p.Variable))} are both {clash.Key}: each service needs a port of its own.");
        return problems;
    }

    private static int PortOr(string? text, int fallback) => Blank(text) is { } given && TryPort(given, out var port) ? port : fallback;

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
