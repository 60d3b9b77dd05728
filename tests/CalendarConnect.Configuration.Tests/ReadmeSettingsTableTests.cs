namespace CalendarConnect.Configuration.Tests;

/// <summary>README's Settings table and the variables the services read are the same set.</summary>
public sealed class ReadmeSettingsTableTests
{
    [Fact]
    public void Every_variable_a_service_reads_is_in_the_readme_settings_table()
    {
        var documented = ConfigurationVariables.Documented();
        var missing = ConfigurationVariables.Read().Where(v => !documented.Contains(v.Key))
            .Select(v => $"{v.Key} (read in {v.Value}) is missing from README.md's Settings table").ToList();
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
    }

    [Fact]
    public void Every_variable_in_the_readme_settings_table_is_read_by_a_service()
    {
        var read = ConfigurationVariables.Read();
        var unread = ConfigurationVariables.Documented().Where(name => !read.ContainsKey(name))
            .Select(name => $"{name} is documented in README.md's Settings table but no service reads it").ToList();
        Assert.True(unread.Count == 0, string.Join(Environment.NewLine, unread));
    }

    [Fact]
    public void The_scan_finds_the_variables_of_every_service()
    {
        // Guards the collector itself: variables of each service (MCP server, backend, assistant, emulator, AppHost)
        // and of each way of reading one.
        var read = ConfigurationVariables.Read();
        Assert.All(["TOKEN_ENCRYPTION_KEY", "CUSTOMER_DB", "BACKEND_PORT", "WHATSAPP_API_BASE", "ASSISTANT_RATE_LIMIT_PER_IP",
                "MCP_SERVER_URL", "ASSISTANT_LLM_MODEL", "EMULATOR_STATE_FILE", "DATA_DIR", "MCP_API_KEY", "MCP_PORT"],
            name => Assert.True(read.ContainsKey(name), $"{name} was not found"));
    }

    [Fact]
    public void The_services_read_their_variables_only_through_their_settings_classes()
    {
        // A variable read by hand escapes the start-up validation and may be read twice; the AppHost alone composes
        // settings from the environment (before the services it hosts exist).
        var reads = ConfigurationVariables.HandReadsOutsideTheAppHost();
        Assert.True(reads.Count == 0, "Read it through the service's settings class ([ConfigurationKeyName]) instead:" +
            Environment.NewLine + string.Join(Environment.NewLine, reads));
    }
}
