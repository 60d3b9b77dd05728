using CalendarConnect.Infrastructure;
using CalendarConnect.McpServer.TokenVault;
using Microsoft.Extensions.Options;

namespace CalendarConnect.McpServer.Configuration;

/// <summary>
/// Every setting of the MCP Calendar Server, read from configuration under the plain environment-variable names
/// of DESIGN.md (TOKEN_ENCRYPTION_KEY, MCP_API_KEY, ...), validated once at start-up.
/// </summary>
public sealed class McpServerSettings
{
    public string TokenEncryptionKey { get; set; } = "";
    public string McpApiKey { get; set; } = "";
    public string TokenDb { get; set; } = "data/tokens.db";
    public string GoogleClientId { get; set; } = "";
    public string GoogleClientSecret { get; set; } = "";
    public string GoogleRedirectUri { get; set; } = "http://localhost:60000/oauth/callback";
    public string OAuthSuccessRedirectUrl { get; set; } = "https://calendar.google.com";
    public string GoogleAuthUri { get; set; } = "https://accounts.google.com/o/oauth2/v2/auth";
    public string GoogleTokenUri { get; set; } = "https://oauth2.googleapis.com/token";
    public string GoogleRevokeUri { get; set; } = "https://oauth2.googleapis.com/revoke";
    public string GoogleCalendarApiBase { get; set; } = "https://www.googleapis.com/calendar/v3/";

    /// <summary>How long an authorization URL (its state) stays usable.</summary>
    public TimeSpan StateLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a shareable link (GET /connect/{token}) stays usable: SHAREABLE_LINK_DAYS, 7 by default.</summary>
    public TimeSpan ShareableLinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Where this server is reached from outside: the origin of GOOGLE_REDIRECT_URI (the callback lives here).</summary>
    public Uri PublicBaseUri => new(new Uri(GoogleRedirectUri).GetLeftPart(UriPartial.Authority) + "/");

    /// <summary>
    /// BUSY_MIRROR: availability reads answer from the local busy-time mirror when it is fresh (<c>on</c>, the default),
    /// or always ask Google's freeBusy live (<c>off</c>: no mirror is kept, no push channel is opened).
    /// </summary>
    public bool BusyMirror { get; set; } = true;

    /// <summary>
    /// GOOGLE_PUSH_URL: the public https address of <c>POST /google/notifications</c>, where Google sends push
    /// notifications; null = no channels, the mirror is synced periodically.
    /// </summary>
    public string? GooglePushUrl { get; set; }

    /// <summary>The value BUSY_MIRROR had when it could not be read (reported by the validator).</summary>
    public string? InvalidBusyMirror { get; set; }

    /// <summary>Access tokens are refreshed this long before Google says they expire, so no call uses a dying token.</summary>
    public TimeSpan RefreshAhead { get; set; } = TimeSpan.FromMinutes(5);

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

    public static void Bind(McpServerSettings s, IConfiguration c)
    {
        s.TokenEncryptionKey = c["TOKEN_ENCRYPTION_KEY"] ?? "";
        s.McpApiKey = c[ServiceKeyRule.Variable] ?? "";
        s.TokenDb = NonEmpty(c["TOKEN_DB"]) ?? DataDirectory.DefaultFile(c[DataDirectory.Variable], "tokens.db");
        s.GoogleClientId = c["GOOGLE_CLIENT_ID"] ?? "";
        s.GoogleClientSecret = c["GOOGLE_CLIENT_SECRET"] ?? "";
        s.GoogleRedirectUri = NonEmpty(c["GOOGLE_REDIRECT_URI"]) ?? $"http://localhost:{c.GetValue("MCP_PORT", 60000)}/oauth/callback";
        s.OAuthSuccessRedirectUrl = NonEmpty(c["OAUTH_SUCCESS_REDIRECT_URL"]) ?? s.OAuthSuccessRedirectUrl;
        s.GoogleAuthUri = NonEmpty(c["GOOGLE_AUTH_URI"]) ?? s.GoogleAuthUri;
        s.GoogleTokenUri = NonEmpty(c["GOOGLE_TOKEN_URI"]) ?? s.GoogleTokenUri;
        s.GoogleRevokeUri = NonEmpty(c["GOOGLE_REVOKE_URI"]) ?? s.GoogleRevokeUri;
        if (NonEmpty(c["SHAREABLE_LINK_DAYS"]) is { } days)
            s.ShareableLinkLifetime = double.TryParse(days, System.Globalization.CultureInfo.InvariantCulture, out var d) ? TimeSpan.FromDays(d) : TimeSpan.Zero;
        s.GooglePushUrl = NonEmpty(c["GOOGLE_PUSH_URL"]);
        switch (NonEmpty(c["BUSY_MIRROR"])?.ToLowerInvariant())
        {
            case null or "on" or "true" or "1": s.BusyMirror = true; break;
            case "off" or "false" or "0": s.BusyMirror = false; break;
            case var other: s.InvalidBusyMirror = other; break;
        }
        var api = NonEmpty(c["GOOGLE_CALENDAR_API_BASE"]) ?? s.GoogleCalendarApiBase;
        s.GoogleCalendarApiBase = api.EndsWith('/') ? api : api + "/";
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>Start-up validation: each failure is one line that names the variable to fix.</summary>
public sealed class McpServerSettingsValidator : IValidateOptions<McpServerSettings>
{
    public ValidateOptionsResult Validate(string? name, McpServerSettings s)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(s.TokenEncryptionKey))
            failures.Add("TOKEN_ENCRYPTION_KEY is not set: give it a Fernet key (url-safe base64 of 32 bytes), e.g. from python -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\".");
        else if (s.ParseEncryptionKeys().Count == 0)
            failures.Add("TOKEN_ENCRYPTION_KEY is not a valid Fernet key or comma-separated list of keys (each must be url-safe base64 of exactly 32 bytes).");
        if (string.IsNullOrWhiteSpace(s.McpApiKey))
            failures.Add($"{ServiceKeyRule.Variable} is not set: the service key that the backend and the assistant send as 'Authorization: Bearer ...'.");
        else if (ServiceKeyRule.CharacterProblem(s.McpApiKey) is { } keyProblem)
            failures.Add(keyProblem);
        else if (s.McpApiKey.Length < 16)
            failures.Add($"{ServiceKeyRule.Variable} is too short: use at least 16 random characters.");
        // Never repeats the setting: it may hold a password.
        if (DatabaseSetting.IsPostgres(s.TokenDb) && DatabaseSetting.ProblemWith(s.TokenDb) is { } databaseProblem)
            failures.Add($"TOKEN_DB is not a usable PostgreSQL connection string or URL: {databaseProblem}");
        if (string.IsNullOrWhiteSpace(s.GoogleClientId)) failures.Add("GOOGLE_CLIENT_ID is not set: the OAuth client id of your Google Cloud project.");
        if (string.IsNullOrWhiteSpace(s.GoogleClientSecret)) failures.Add("GOOGLE_CLIENT_SECRET is not set: the OAuth client secret of your Google Cloud project.");
        CheckAbsoluteUrl(failures, "GOOGLE_REDIRECT_URI", s.GoogleRedirectUri);
        if (s.ShareableLinkLifetime <= TimeSpan.Zero || s.ShareableLinkLifetime > TimeSpan.FromDays(90))
            failures.Add("SHAREABLE_LINK_DAYS must be a number of days between 0 and 90 (default 7).");
        CheckAbsoluteUrl(failures, "OAUTH_SUCCESS_REDIRECT_URL", s.OAuthSuccessRedirectUrl);
        CheckAbsoluteUrl(failures, "GOOGLE_AUTH_URI", s.GoogleAuthUri);
        CheckAbsoluteUrl(failures, "GOOGLE_TOKEN_URI", s.GoogleTokenUri);
        CheckAbsoluteUrl(failures, "GOOGLE_REVOKE_URI", s.GoogleRevokeUri);
        CheckAbsoluteUrl(failures, "GOOGLE_CALENDAR_API_BASE", s.GoogleCalendarApiBase);
        if (s.InvalidBusyMirror is not null) failures.Add("BUSY_MIRROR must be on or off (default on).");
        if (s.GooglePushUrl is { } push && !IsPushAddress(push))
            failures.Add("GOOGLE_PUSH_URL must be the public https URL where Google posts this server's notifications (path google/notifications; http only on localhost, for the emulator).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Google delivers only to https; the emulator also to loopback http.</summary>
    private static bool IsPushAddress(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == "https" || uri.Scheme == "http" && uri.IsLoopback) &&
        string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo);

    private static void CheckAbsoluteUrl(List<string> failures, string variable, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            failures.Add($"{variable} must be an absolute http(s) URL.");
    }
}
