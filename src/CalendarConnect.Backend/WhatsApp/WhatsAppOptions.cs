using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.WhatsApp;

/// <summary>
/// The WhatsApp Cloud API webhook. Off (its routes answer 404) unless configured; once any of its secrets is set,
/// all three must be, or the backend does not start.
/// </summary>
public sealed class WhatsAppOptions
{
    public const string VerifyTokenVariable = "WHATSAPP_VERIFY_TOKEN";
    public const string AppSecretVariable = "WHATSAPP_APP_SECRET";
    public const string AccessTokenVariable = "WHATSAPP_ACCESS_TOKEN";
    public const string ApiBaseVariable = "WHATSAPP_API_BASE";
    public const string DefaultApiBase = "https://graph.facebook.com/v21.0";

    /// <summary>What Meta echoes in the verification GET (chosen by you in the app's webhook settings).</summary>
    public string VerifyToken { get; set; } = "";

    /// <summary>The Meta app's secret: Meta signs each webhook POST with it (X-Hub-Signature-256).</summary>
    public string AppSecret { get; set; } = "";

    /// <summary>A (system user) access token allowed to send messages from the business numbers.</summary>
    public string AccessToken { get; set; } = "";

    public string ApiBase { get; set; } = DefaultApiBase;

    public bool Enabled => VerifyToken.Length > 0 || AppSecret.Length > 0 || AccessToken.Length > 0;

    /// <summary>Waits before each new attempt to send a reply to the Graph API (not configurable by environment).</summary>
    public IReadOnlyList<TimeSpan> SendRetryDelays { get; set; } = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(15)];

    /// <summary>
    /// Waits before answering a stored message again when answering it failed before a reply went out (the database
    /// was down, say); one attempt more than delays, then the message is marked failed (not configurable by environment).
    /// </summary>
    public IReadOnlyList<TimeSpan> AnswerRetryDelays { get; set; } =
        [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30)];

    /// <summary>How long a worker holds a message it is answering; if it stops or crashes, another takes it after this.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often an idle worker looks for due messages without being woken (other replicas', retries, expired leases).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    internal static void Bind(WhatsAppOptions options, IConfiguration configuration)
    {
        options.VerifyToken = configuration[VerifyTokenVariable]?.Trim() ?? "";
        options.AppSecret = configuration[AppSecretVariable]?.Trim() ?? "";
        options.AccessToken = configuration[AccessTokenVariable]?.Trim() ?? "";
        if (configuration[ApiBaseVariable] is { Length: > 0 } apiBase) options.ApiBase = apiBase.Trim();
    }
}

public sealed class WhatsAppOptionsValidator : IValidateOptions<WhatsAppOptions>
{
    public ValidateOptionsResult Validate(string? name, WhatsAppOptions options)
    {
        if (!options.Enabled) return ValidateOptionsResult.Success;
        var failures = new List<string>();
        // Never the values: they are secrets.
        foreach (var (variable, value) in new[]
                 {
                     (WhatsAppOptions.VerifyTokenVariable, options.VerifyToken),
                     (WhatsAppOptions.AppSecretVariable, options.AppSecret),
                     (WhatsAppOptions.AccessTokenVariable, options.AccessToken),
                 })
        {
            if (value.Length == 0)
                failures.Add($"{variable} is not set: the WhatsApp webhook needs {WhatsAppOptions.VerifyTokenVariable}, {WhatsAppOptions.AppSecretVariable} and {WhatsAppOptions.AccessTokenVariable} together (or none of them to keep it off).");
        }
        if (!Uri.TryCreate(options.ApiBase, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            failures.Add($"{WhatsAppOptions.ApiBaseVariable} must be an https URL such as {WhatsAppOptions.DefaultApiBase} (http only on loopback): the access token travels with every reply.");
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
