using System.ComponentModel.DataAnnotations;
using System.Globalization;
using CalendarConnect.Infrastructure;
using CalendarConnect.Infrastructure.Settings;
using CalendarConnect.McpServer.Security;
using CalendarConnect.McpServer.TokenVault;
using Microsoft.Extensions.Options;

namespace CalendarConnect.McpServer.Configuration;

/// <summary>
/// Every setting of the MCP Calendar Server, bound by the configuration binder from the plain environment-variable
/// names of DESIGN.md (TOKEN_ENCRYPTION_KEY, MCP_API_KEY, ...), each read once, and validated once at start-up by
/// <see cref="McpServerSettingsValidator"/>: each failure is one line that names the variable to fix.
/// </summary>
public sealed class McpServerSettings : IValidatableObject
{
    private const string DefaultOAuthSuccessRedirectUrl = "https://calendar.google.com";
    private const string DefaultGoogleAuthUri = "https://accounts.google.com/o/oauth2/v2/auth";
    private const string DefaultGoogleTokenUri = "https://oauth2.googleapis.com/token";
    private const string DefaultGoogleRevokeUri = "https://oauth2.googleapis.com/revoke";
    private const string DefaultGoogleCalendarApiBase = "https://www.googleapis.com/calendar/v3/";
    public const int DefaultPort = 60000;
    public const string PortVariable = "MCP_PORT";
    private const double DefaultShareableLinkDays = 7, MaxShareableLinkDays = 90;

    [ConfigurationKeyName("TOKEN_ENCRYPTION_KEY")]
    public string TokenEncryptionKey { get; set; } = "";

    [ConfigurationKeyName(ServiceKeyRule.Variable)]
    public string McpApiKey { get; set; } = "";

    /// <summary>TOKEN_DB; when blank, <c>tokens.db</c> in DATA_DIR (see <see cref="ApplyDefaults"/>).</summary>
    [ConfigurationKeyName("TOKEN_DB")]
    public string TokenDb { get; set; } = "";

    [ConfigurationKeyName(DataDirectory.Variable)]
    public string? DataDir { get; set; }

    /// <summary>MCP_PORT: where this server listens on localhost (unless ASP.NET Core's <c>urls</c> says otherwise).</summary>
    [ConfigurationKeyName(PortVariable)]
    public int McpPort { get; set; } = DefaultPort;

    [ConfigurationKeyName("GOOGLE_CLIENT_ID")]
    [RequiredSetting(ErrorMessage = "GOOGLE_CLIENT_ID is not set: the OAuth client id of your Google Cloud project.")]
    public string GoogleClientId { get; set; } = "";

    [ConfigurationKeyName("GOOGLE_CLIENT_SECRET")]
    [RequiredSetting(ErrorMessage = "GOOGLE_CLIENT_SECRET is not set: the OAuth client secret of your Google Cloud project.")]
    public string GoogleClientSecret { get; set; } = "";

    /// <summary>GOOGLE_REDIRECT_URI; when blank, the callback on localhost at MCP_PORT.</summary>
    [ConfigurationKeyName("GOOGLE_REDIRECT_URI")]
    [AbsoluteHttpUrl("GOOGLE_REDIRECT_URI")]
    public string GoogleRedirectUri { get; set; } = $"http://localhost:{DefaultPort}/oauth/callback";

    [ConfigurationKeyName("OAUTH_SUCCESS_REDIRECT_URL")]
    [AbsoluteHttpUrl("OAUTH_SUCCESS_REDIRECT_URL")]
    public string OAuthSuccessRedirectUrl { get; set; } = DefaultOAuthSuccessRedirectUrl;

    [ConfigurationKeyName("GOOGLE_AUTH_URI")]
    [AbsoluteHttpUrl("GOOGLE_AUTH_URI")]
    public string GoogleAuthUri { get; set; } = DefaultGoogleAuthUri;

    [ConfigurationKeyName("GOOGLE_TOKEN_URI")]
    [AbsoluteHttpUrl("GOOGLE_TOKEN_URI")]
    public string GoogleTokenUri { get; set; } = DefaultGoogleTokenUri;

    [ConfigurationKeyName("GOOGLE_REVOKE_URI")]
    [AbsoluteHttpUrl("GOOGLE_REVOKE_URI")]
    public string GoogleRevokeUri { get; set; } = DefaultGoogleRevokeUri;

    /// <summary>GOOGLE_CALENDAR_API_BASE, always ending in '/' so relative paths resolve under it.</summary>
    [ConfigurationKeyName("GOOGLE_CALENDAR_API_BASE")]
    [AbsoluteHttpUrl("GOOGLE_CALENDAR_API_BASE")]
    public string GoogleCalendarApiBase { get; set; } = DefaultGoogleCalendarApiBase;

    /// <summary>SHAREABLE_LINK_DAYS as given; read through <see cref="ShareableLinkLifetime"/>.</summary>
    [ConfigurationKeyName("SHAREABLE_LINK_DAYS")]
    public string? ShareableLinkDays { get; set; }

    /// <summary>BUSY_MIRROR as given; read through <see cref="BusyMirror"/>.</summary>
    [ConfigurationKeyName("BUSY_MIRROR")]
    public string? BusyMirrorSetting { get; set; }

    /// <summary>
    /// GOOGLE_PUSH_URL: the public https address of <c>POST /google/notifications</c>, where Google sends push
    /// notifications; null = no channels, the mirror is synced periodically.
    /// </summary>
    [ConfigurationKeyName("GOOGLE_PUSH_URL")]
    public string? GooglePushUrl { get; set; }

    /// <summary>MCP_SERVER_URL: how the backend and the assistant reach this server; its host is one of this server's names.</summary>
    [ConfigurationKeyName("MCP_SERVER_URL")]
    public string? McpServerUrl { get; set; }

    /// <summary>MCP_ALLOWED_HOSTS: further names of this server, comma-separated (see <see cref="AllowedHosts"/>).</summary>
    [ConfigurationKeyName(AllowedHosts.Variable)]
    public string? AllowedHostNames { get; set; }

    /// <summary>How long an authorization URL (its state) stays usable.</summary>
    public TimeSpan StateLifetime { get; } = TimeSpan.FromMinutes(30);

    /// <summary>Access tokens are refreshed this long before Google says they expire, so no call uses a dying token.</summary>
    public TimeSpan RefreshAhead { get; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a shareable link (GET /connect/{token}) stays usable: SHAREABLE_LINK_DAYS, 7 by default;
    /// zero when the setting is not a number of days in (0, 90] (the validator reports it).
    /// </summary>
    public TimeSpan ShareableLinkLifetime =>
        NonEmpty(ShareableLinkDays) is not { } days ? TimeSpan.FromDays(DefaultShareableLinkDays)
        : double.TryParse(days, CultureInfo.InvariantCulture, out var d) && d is > 0 and <= MaxShareableLinkDays ? TimeSpan.FromDays(d)
        : TimeSpan.Zero;

    /// <summary>
    /// BUSY_MIRROR: availability reads answer from the local busy-time mirror when it is fresh (<c>on</c>, the default),
    /// or always ask Google's freeBusy live (<c>off</c>: no mirror is kept, no push channel is opened).
    /// </summary>
    public bool BusyMirror => ParseBusyMirror(BusyMirrorSetting) ?? true;

    /// <summary>Where this server is reached from outside: the origin of GOOGLE_REDIRECT_URI (the callback lives here).</summary>
    public Uri PublicBaseUri => new(new Uri(GoogleRedirectUri).GetLeftPart(UriPartial.Authority) + "/");

    public IReadOnlyList<FernetKey> ParseEncryptionKeys()
    {
        var keys = new List<FernetKey>();
        foreach (var part in TokenEncryptionKey.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!FernetKey.TryParse(part, out var key)) return [];
            keys.Add(key);
        }

        return keys;
    }

    /// <summary>
    /// After binding: a blank setting means its default, URLs are trimmed, and the defaults that depend on another
    /// setting are filled in (TOKEN_DB from DATA_DIR, GOOGLE_REDIRECT_URI from MCP_PORT).
    /// </summary>
    public void ApplyDefaults()
    {
        TokenDb = NonEmpty(TokenDb) ?? DataDirectory.DefaultFile(DataDir, "tokens.db");
        GoogleRedirectUri = NonEmpty(GoogleRedirectUri) ?? $"http://localhost:{McpPort}/oauth/callback";
        OAuthSuccessRedirectUrl = NonEmpty(OAuthSuccessRedirectUrl) ?? DefaultOAuthSuccessRedirectUrl;
        GoogleAuthUri = NonEmpty(GoogleAuthUri) ?? DefaultGoogleAuthUri;
        GoogleTokenUri = NonEmpty(GoogleTokenUri) ?? DefaultGoogleTokenUri;
        GoogleRevokeUri = NonEmpty(GoogleRevokeUri) ?? DefaultGoogleRevokeUri;
        var api = NonEmpty(GoogleCalendarApiBase) ?? DefaultGoogleCalendarApiBase;
        GoogleCalendarApiBase = api.EndsWith('/') ? api : api + "/";
        GooglePushUrl = NonEmpty(GooglePushUrl);
    }

    /// <summary>The checks that depend on more than one property or on a parse; the simple ones are attributes.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(TokenEncryptionKey))
            yield return new("TOKEN_ENCRYPTION_KEY is not set: give it a Fernet key (url-safe base64 of 32 bytes), e.g. from python -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\".");
        else if (ParseEncryptionKeys().Count == 0)
            yield return new("TOKEN_ENCRYPTION_KEY is not a valid Fernet key or comma-separated list of keys (each must be url-safe base64 of exactly 32 bytes).");
        if (string.IsNullOrWhiteSpace(McpApiKey))
            yield return new($"{ServiceKeyRule.Variable} is not set: the service key that the backend and the assistant send as 'Authorization: Bearer ...'.");
        else if (ServiceKeyRule.CharacterProblem(McpApiKey) is { } keyProblem)
            yield return new(keyProblem);
        else if (McpApiKey.Length < 16)
            yield return new($"{ServiceKeyRule.Variable} is too short: use at least 16 random characters.");
        // Never repeats the setting: it may hold a password.
        if (DatabaseSetting.IsPostgres(TokenDb) && DatabaseSetting.ProblemWith(TokenDb) is { } databaseProblem)
            yield return new($"TOKEN_DB is not a usable PostgreSQL connection string or URL: {databaseProblem}");
        if (ShareableLinkLifetime == TimeSpan.Zero)
            yield return new("SHAREABLE_LINK_DAYS must be a number of days between 0 and 90 (default 7).");
        if (NonEmpty(BusyMirrorSetting) is not null && ParseBusyMirror(BusyMirrorSetting) is null)
            yield return new("BUSY_MIRROR must be on or off (default on).");
        if (GooglePushUrl is { } push && !IsPushAddress(push))
            yield return new("GOOGLE_PUSH_URL must be the public https URL where Google posts this server's notifications (path google/notifications; http only on localhost, for the emulator).");
    }

    private static bool? ParseBusyMirror(string? value) => NonEmpty(value)?.ToLowerInvariant() switch
    {
        null or "on" or "true" or "1" => true,
        "off" or "false" or "0" => false,
        _ => null,
    };

    /// <summary>Google delivers only to https; the emulator also to loopback http.</summary>
    private static bool IsPushAddress(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == "https" || uri.Scheme == "http" && uri.IsLoopback) &&
        string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>Start-up validation of <see cref="McpServerSettings"/>, generated from its attributes and its own checks.</summary>
[OptionsValidator]
public sealed partial class McpServerSettingsValidator : IValidateOptions<McpServerSettings>;

public static class McpServerSettingsRegistration
{
    /// <summary>Binds <see cref="McpServerSettings"/> from <paramref name="configuration"/>, to be validated when the host starts.</summary>
    public static OptionsBuilder<McpServerSettings> AddMcpServerSettings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IValidateOptions<McpServerSettings>, McpServerSettingsValidator>();
        return services.AddOptions<McpServerSettings>().Bind(configuration).PostConfigure(s => s.ApplyDefaults()).ValidateOnStart();
    }

    /// <summary>The settings read outside a host (the <c>rotate-keys</c> command): bound and completed the same way.</summary>
    public static McpServerSettings Read(IConfiguration configuration)
    {
        var settings = new McpServerSettings();
        configuration.Bind(settings);
        settings.ApplyDefaults();
        return settings;
    }
}
