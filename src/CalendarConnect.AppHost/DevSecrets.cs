using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using CalendarConnect.Infrastructure;
using CalendarConnect.McpServer.TokenVault;
using CalendarConnect.Shared;

namespace CalendarConnect.AppHost;

/// <summary>
/// Secrets the system needs and a newcomer does not have yet: generated on first run into data/dev-secrets.json
/// (owner-only permissions) and reused afterwards, so a restart can still decrypt tokens.db and sign in.
/// An environment variable always wins over the file.
/// </summary>
public sealed record DevSecrets(
    [property: JsonPropertyName("TOKEN_ENCRYPTION_KEY")] string TokenEncryptionKey,
    [property: JsonPropertyName(ServiceKeyRule.Variable)] string McpApiKey,
    [property: JsonPropertyName("ADMIN_PASSWORD")] string AdminPassword,
    [property: JsonPropertyName("DATA_PROTECTION_KEY")] string? DataProtectionKey = null)
{
    public static string FilePath(string dataDirectory) => Path.Combine(dataDirectory, "dev-secrets.json");

    /// <summary>
    /// What the start-up banner shows for a secret: the value only at the start that generated it (a newcomer needs it
    /// once); afterwards where it is kept, never the value. A secret from the environment is never echoed.
    /// </summary>
    public static string Shown(string variable, string value, IReadOnlyCollection<string> generated, string dataDirectory,
        Func<string, string?> environment) =>
        environment(variable) is { Length: > 0 } ? $"(from {variable})"
        : generated.Contains(variable) ? value
        : $"({variable} in {FilePath(dataDirectory)})";

    public static (DevSecrets Secrets, IReadOnlyList<string> Generated) LoadOrCreate(string dataDirectory, Func<string, string?> environment)
    {
        var path = FilePath(dataDirectory);
        DevSecrets? stored;
        try
        {
            stored = File.Exists(path) ? JsonSerializer.Deserialize<DevSecrets>(File.ReadAllText(path)) : null;
        }
        catch (JsonException)
        {
            throw new InvalidDataException($"{path} is not readable JSON. Fix it, or delete it to generate new secrets " +
                "(a new TOKEN_ENCRYPTION_KEY cannot read the tokens already in data/: delete data/tokens.db too).");
        }
        var generated = new List<string>();

        string Pick(string variable, string? fromFile, Func<string> generate)
        {
            if (environment(variable) is { Length: > 0 } fromEnvironment) return fromEnvironment;
            if (fromFile is { Length: > 0 }) return fromFile;
            generated.Add(variable);
            return generate();
        }

        var secrets = new DevSecrets(
            Pick("TOKEN_ENCRYPTION_KEY", stored?.TokenEncryptionKey, FernetKey.Generate),
            Pick(ServiceKeyRule.Variable, stored?.McpApiKey, () => "mcp_" + RandomToken(32)),
            Pick("ADMIN_PASSWORD", stored?.AdminPassword, () => RandomToken(18)),
            // The backend's key ring in customers.db is encrypted with it: kept like the others so a restart keeps sessions.
            Pick("DATA_PROTECTION_KEY", stored?.DataProtectionKey, () => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));

        if (generated.Count > 0 || stored is null)
        {
            OwnerOnlyFiles.CreateFolder(dataDirectory);
            // Only values that did not come from the environment are written, so a real secret is never copied to disk.
            var toStore = new DevSecrets(
                environment("TOKEN_ENCRYPTION_KEY") is { Length: > 0 } ? stored?.TokenEncryptionKey ?? "" : secrets.TokenEncryptionKey,
                environment(ServiceKeyRule.Variable) is { Length: > 0 } ? stored?.McpApiKey ?? "" : secrets.McpApiKey,
                environment("ADMIN_PASSWORD") is { Length: > 0 } ? stored?.AdminPassword ?? "" : secrets.AdminPassword,
                environment("DATA_PROTECTION_KEY") is { Length: > 0 } ? stored?.DataProtectionKey ?? "" : secrets.DataProtectionKey);
            // Created owner-only from the first byte: the file is never readable by others, not even briefly.
            var temporary = path + ".tmp";
            var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temporary, create))
            using (var writer = new StreamWriter(stream))
                writer.Write(JsonSerializer.Serialize(toStore, new JsonSerializerOptions { WriteIndented = true }));
            File.Move(temporary, path, overwrite: true);
        }

        return (secrets, generated);
    }

    private static string RandomToken(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
