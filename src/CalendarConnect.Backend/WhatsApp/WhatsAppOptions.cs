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

    /// <summary>The problems with these settings, one line each naming the variable (checked at start-up through BackendSettings).</summary>
    public IEnumerable<string> Problems()
    {
        if (!Enabled) yield break;
        // Never the values: they are secrets.
        foreach (var (variable, value) in new[] { (VerifyTokenVariable, VerifyToken), (AppSecretVariable, AppSecret), (AccessTokenVariable, AccessToken) })
        {
            if (value.Length == 0)
                yield return $"{variable} is not set: the WhatsApp webhook needs {VerifyTokenVariable}, {AppSecretVariable} and {AccessTokenVariable} together (or none of them to keep it off).";
        }
        if (!Uri.TryCreate(ApiBase, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            yield return $"{ApiBaseVariable} must be an https URL such as {DefaultApiBase} (http only on loopback): the access token travels with every reply.";
    }
}
