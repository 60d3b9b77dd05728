using CalendarConnect.McpServer.Configuration;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace CalendarConnect.McpServer.OAuth;

/// <summary>A Google authorization URL ready to open, and the state it carries.</summary>
public sealed record AuthorizationStart(string Url, string State, DateTimeOffset ExpiresAt);

/// <summary>
/// Mints a fresh state and PKCE pair, stores them, and builds Google's authorization URL (spec step 2.3).
/// Used by POST /oauth/authorize and by every visit of a shareable link.
/// </summary>
public sealed class AuthorizationRequests(AuthorizationStates states, IOptions<McpServerSettings> options, TimeProvider time)
{
    public const string CalendarScope = "https://www.googleapis.com/auth/calendar";

    public async Task<AuthorizationStart> StartAsync(string customerId, string? customerEmail, string? linkHash, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var state = OAuthRandom.NewState();
        var verifier = OAuthRandom.NewCodeVerifier();
        var expiresAt = time.GetUtcNow().Add(settings.StateLifetime);
        await states.SaveAsync(state, customerId, customerEmail, verifier, expiresAt, linkHash, cancellationToken);

        var parameters = new Dictionary<string, string?>
        {
            ["client_id"] = settings.GoogleClientId,
            ["redirect_uri"] = settings.GoogleRedirectUri,
            ["scope"] = CalendarScope,
            ["response_type"] = "code",
            ["access_type"] = "offline",
            // Always ask for consent, so Google always returns a refresh token.
            ["prompt"] = "consent",
            ["state"] = state,
            ["code_challenge"] = OAuthRandom.CodeChallenge(verifier),
            ["code_challenge_method"] = "S256",
        };
        // The company's Google account, pre-filled on Google's sign-in page.
        if (customerEmail is not null) parameters["login_hint"] = customerEmail;
        return new AuthorizationStart(QueryHelpers.AddQueryString(settings.GoogleAuthUri, parameters), state, expiresAt);
    }
}
