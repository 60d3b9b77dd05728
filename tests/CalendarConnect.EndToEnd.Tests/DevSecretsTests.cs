using CalendarConnect.AppHost;
using CalendarConnect.McpServer.TokenVault;

namespace CalendarConnect.EndToEnd.Tests;

/// <summary>The AppHost's generated secrets: made once, kept owner-only, reused, never copied from the environment.</summary>
public class DevSecretsTests
{
    [Fact]
    public void Generated_once_kept_private_and_reused()
    {
        var folder = Directory.CreateTempSubdirectory("cc-secrets-").FullName;
        var (first, generated) = DevSecrets.LoadOrCreate(folder, _ => null);
        Assert.Equal(["TOKEN_ENCRYPTION_KEY", "MCP_API_KEY", "ADMIN_PASSWORD", "DATA_PROTECTION_KEY"], generated);
        Assert.True(FernetKey.TryParse(first.TokenEncryptionKey, out _));
        Assert.Equal(32, Convert.FromBase64String(first.DataProtectionKey!).Length);
        Assert.True(first.McpApiKey.Length >= 16);
        var file = Path.Combine(folder, "dev-secrets.json");
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        var (second, none) = DevSecrets.LoadOrCreate(folder, _ => null);
        Assert.Empty(none);
        Assert.Equal(first, second);
    }

    [Fact]
    public void The_environment_wins_and_is_never_written_to_disk()
    {
        var folder = Directory.CreateTempSubdirectory("cc-secrets-").FullName;
        var (secrets, generated) = DevSecrets.LoadOrCreate(folder, name => name == "ADMIN_PASSWORD" ? "from-the-environment" : null);
        Assert.Equal("from-the-environment", secrets.AdminPassword);
        Assert.DoesNotContain("ADMIN_PASSWORD", generated);
        Assert.DoesNotContain("from-the-environment", File.ReadAllText(Path.Combine(folder, "dev-secrets.json")));
    }

    /// <summary>The banner prints a secret only at the start that generated it; later starts say where it is kept.</summary>
    [Fact]
    public void A_secret_is_shown_once_when_generated_then_only_where_it_is_kept()
    {
        var folder = Directory.CreateTempSubdirectory("cc-secrets-").FullName;
        var (first, generated) = DevSecrets.LoadOrCreate(folder, _ => null);
        Assert.Equal(first.AdminPassword, DevSecrets.Shown("ADMIN_PASSWORD", first.AdminPassword, generated, folder, _ => null));
        Assert.Equal(first.McpApiKey, DevSecrets.Shown("MCP_API_KEY", first.McpApiKey, generated, folder, _ => null));

        var (loaded, none) = DevSecrets.LoadOrCreate(folder, _ => null);
        var file = Path.Combine(folder, "dev-secrets.json");
        Assert.Equal($"(ADMIN_PASSWORD in {file})", DevSecrets.Shown("ADMIN_PASSWORD", loaded.AdminPassword, none, folder, _ => null));
        Assert.Equal($"(MCP_API_KEY in {file})", DevSecrets.Shown("MCP_API_KEY", loaded.McpApiKey, none, folder, _ => null));

        Assert.Equal("(from MCP_API_KEY)", DevSecrets.Shown("MCP_API_KEY", "from-the-environment", none, folder,
            name => name == "MCP_API_KEY" ? "from-the-environment" : null));
    }

    [Fact]
    public void A_corrupt_file_is_reported_not_replaced()
    {
        var folder = Directory.CreateTempSubdirectory("cc-secrets-").FullName;
        var file = Path.Combine(folder, "dev-secrets.json");
        File.WriteAllText(file, "{ not json");
        var error = Assert.Throws<InvalidDataException>(() => DevSecrets.LoadOrCreate(folder, _ => null));
        Assert.Contains("dev-secrets.json is not readable JSON", error.Message);
        Assert.Equal("{ not json", File.ReadAllText(file));
    }
}
