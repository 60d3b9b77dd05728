using CalendarConnect.McpServer.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CalendarConnect.McpServer.Tests;

/// <summary>McpServerSettings as bound from configuration: defaults, derived values, and the validator's lines.</summary>
public class SettingsTests
{
    private static McpServerSettings Read(Dictionary<string, string?> values) =>
        McpServerSettingsRegistration.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build());

    private static IReadOnlyList<string> Failures(McpServerSettings settings) =>
        new McpServerSettingsValidator().Validate(null, settings) is { Failed: true } result ? [.. result.Failures] : [];

    [Fact]
    public void Blank_settings_take_their_defaults_and_the_derived_ones_follow_their_source()
    {
        var settings = Read(new()
        {
            ["MCP_PORT"] = "60123", ["GOOGLE_REDIRECT_URI"] = " ", ["GOOGLE_TOKEN_URI"] = "", ["GOOGLE_PUSH_URL"] = "  ",
            ["GOOGLE_CALENDAR_API_BASE"] = " http://localhost:60001/calendar/v3 ", ["SHAREABLE_LINK_DAYS"] = "", ["BUSY_MIRROR"] = "OFF",
        });
        Assert.Equal("http://localhost:60123/oauth/callback", settings.GoogleRedirectUri);
        Assert.Equal("https://oauth2.googleapis.com/token", settings.GoogleTokenUri);
        Assert.Equal("https://accounts.google.com/o/oauth2/v2/auth", settings.GoogleAuthUri);
        Assert.Equal("http://localhost:60001/calendar/v3/", settings.GoogleCalendarApiBase);
        Assert.Null(settings.GooglePushUrl);
        Assert.Equal(TimeSpan.FromDays(7), settings.ShareableLinkLifetime);
        Assert.False(settings.BusyMirror);
    }

    [Fact]
    public void Each_problem_is_one_line_naming_its_variable_without_member_names()
    {
        var settings = Read(new()
        {
            ["TOKEN_ENCRYPTION_KEY"] = "", ["MCP_API_KEY"] = "", ["GOOGLE_AUTH_URI"] = "ftp://x", ["SHAREABLE_LINK_DAYS"] = "91",
            ["BUSY_MIRROR"] = "sometimes",
        });
        Assert.Equal(
        [
            "BUSY_MIRROR must be on or off (default on).",
            "GOOGLE_AUTH_URI must be an absolute http(s) URL.",
            "GOOGLE_CLIENT_ID is not set: the OAuth client id of your Google Cloud project.",
            "GOOGLE_CLIENT_SECRET is not set: the OAuth client secret of your Google Cloud project.",
            "MCP_API_KEY is not set: the service key that the backend and the assistant send as 'Authorization: Bearer ...'.",
            "SHAREABLE_LINK_DAYS must be a number of days between 0 and 90 (default 7).",
            "TOKEN_ENCRYPTION_KEY is not set: give it a Fernet key (url-safe base64 of 32 bytes), e.g. from python -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\".",
        ], Failures(settings).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("seven")]
    [InlineData("1e308")]
    public void A_shareable_link_lifetime_out_of_range_is_reported(string days)
    {
        var failures = Failures(Read(new() { ["SHAREABLE_LINK_DAYS"] = days }));
        Assert.Contains("SHAREABLE_LINK_DAYS must be a number of days between 0 and 90 (default 7).", failures);
    }
}
