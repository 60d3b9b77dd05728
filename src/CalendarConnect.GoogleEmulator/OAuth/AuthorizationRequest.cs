namespace CalendarConnect.GoogleEmulator.OAuth;

/// <summary>A validated request to /o/oauth2/v2/auth (from the query string, or the consent form posting it back).</summary>
public sealed record AuthorizationRequest(
    string ClientId,
    string RedirectUri,
    string ResponseType,
    string Scope,
    string? State,
    string? CodeChallenge,
    string? CodeChallengeMethod,
    string? AccessType,
    string? Prompt,
    string? LoginHint)
{
    public bool WantsOfflineAccess => AccessType == "offline";
    public bool ForcesConsent => PromptValues.Contains("consent");
    public IReadOnlyList<string> Scopes => Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    private string[] PromptValues => (Prompt ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The scopes this emulator knows; Google rejects unknown ones with invalid_scope.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownScopes = new Dictionary<string, string>
    {
        [EmulatorDefaults.CalendarScope] = "Ver y gestionar tus eventos de Google Calendar, y ver, editar, compartir y eliminar tus calendarios",
        ["https://www.googleapis.com/auth/calendar.events"] = "Ver y gestionar tus eventos de Google Calendar",
        ["https://www.googleapis.com/auth/calendar.readonly"] = "Ver tus calendarios y eventos de Google Calendar",
        ["https://www.googleapis.com/auth/calendar.events.readonly"] = "Ver tus eventos de Google Calendar",
        ["https://www.googleapis.com/auth/calendar.freebusy"] = "Ver tu disponibilidad en Google Calendar",
        ["openid"] = "Asociarte con tu información personal en Google",
        ["email"] = "Ver tu dirección de correo electrónico principal de la cuenta de Google",
        ["profile"] = "Ver tu información personal, incluida la que hayas hecho pública",
        ["https://www.googleapis.com/auth/userinfo.email"] = "Ver tu dirección de correo electrónico principal de la cuenta de Google",
        ["https://www.googleapis.com/auth/userinfo.profile"] = "Ver tu información personal, incluida la que hayas hecho pública",
    };

    /// <summary>Validates in Google's order: client first, then redirect URI, then the rest.</summary>
    public static AuthorizationRequest? Parse(Func<string, string?> field, RegisteredClient client, out AuthorizationErrorPage? error)
    {
        error = null;
        var clientId = field("client_id");
        if (string.IsNullOrEmpty(clientId)) return Fail(out error, 400, "invalid_request", "Missing required parameter: client_id");
        if (clientId != client.ClientId) return Fail(out error, 401, "invalid_client", "The OAuth client was not found.");

        var redirectUri = field("redirect_uri");
        if (string.IsNullOrEmpty(redirectUri)) return Fail(out error, 400, "invalid_request", "Missing required parameter: redirect_uri");
        if (!IsLoopbackRedirect(redirectUri))
            return Fail(out error, 400, "redirect_uri_mismatch",
                $"You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. redirect_uri={redirectUri}");

        var responseType = field("response_type");
        if (string.IsNullOrEmpty(responseType)) return Fail(out error, 400, "invalid_request", "Required parameter is missing: response_type");
        if (responseType != "code") return Fail(out error, 400, "invalid_request", $"Invalid response_type: {responseType}");

        var scope = field("scope");
        if (string.IsNullOrWhiteSpace(scope)) return Fail(out error, 400, "invalid_request", "Missing required parameter: scope");
        var unknown = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(s => !KnownScopes.ContainsKey(s)).ToList();
        if (unknown.Count > 0) return Fail(out error, 400, "invalid_scope", $"Some requested scopes were invalid. {{invalid=[{string.Join(", ", unknown)}]}}");

        var accessType = Optional(field("access_type"));
        if (accessType is not null and not ("online" or "offline"))
            return Fail(out error, 400, "invalid_request", $"Invalid access_type: {accessType}");

        var prompt = Optional(field("prompt"));
        if (prompt is not null)
        {
            var values = prompt.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (values.Any(v => v is not ("none" or "consent" or "select_account")))
                return Fail(out error, 400, "invalid_request", $"Invalid prompt: {prompt}");
            if (values.Contains("none") && values.Length > 1)
                return Fail(out error, 400, "invalid_request", "prompt=none cannot be combined with other prompt values");
        }

        var challenge = Optional(field("code_challenge"));
        var method = Optional(field("code_challenge_method"));
        if (challenge is null && method is not null)
            return Fail(out error, 400, "invalid_request", "Missing code_challenge.");
        if (challenge is not null)
        {
            method ??= "plain"; // Google's default, as in RFC 7636.
            if (method is not ("S256" or "plain"))
                return Fail(out error, 400, "invalid_request", $"Invalid code_challenge_method: {method}");
            if (!Pkce.IsWellFormed(challenge))
                return Fail(out error, 400, "invalid_request", "Invalid code_challenge.");
        }

        return new AuthorizationRequest(clientId, redirectUri, responseType, scope.Trim(), Optional(field("state")),
            challenge, method, accessType, prompt, Optional(field("login_hint")));
    }

    /// <summary>Google's rule for native/loopback clients: http(s) to localhost, 127.0.0.1 or [::1] on any port.</summary>
    public static bool IsLoopbackRedirect(string redirectUri) =>
        Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri)
        && uri.Scheme is "http" or "https"
        && string.IsNullOrEmpty(uri.Fragment)
        && string.IsNullOrEmpty(uri.UserInfo)
        && (uri.IsLoopback && uri.Host is "localhost" or "127.0.0.1" or "[::1]");

    /// <summary>The request as name/value pairs, for the consent form's hidden inputs.</summary>
    public IEnumerable<KeyValuePair<string, string>> AsFields()
    {
        var fields = new (string Name, string? Value)[]
        {
            ("client_id", ClientId), ("redirect_uri", RedirectUri), ("response_type", ResponseType), ("scope", Scope),
            ("state", State), ("code_challenge", CodeChallenge), ("code_challenge_method", CodeChallengeMethod),
            ("access_type", AccessType), ("prompt", Prompt), ("login_hint", LoginHint),
        };
        return fields.Where(f => f.Value is not null).Select(f => KeyValuePair.Create(f.Name, f.Value!));
    }

    private static string? Optional(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static AuthorizationRequest? Fail(out AuthorizationErrorPage error, int status, string code, string detail)
    {
        error = new AuthorizationErrorPage(status, code, detail);
        return null;
    }
}
