using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using CalendarConnect.McpServer.Configuration;
using CalendarConnect.McpServer.GoogleCalendar;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace CalendarConnect.McpServer.OAuth;

/// <summary>Google's token response (snake_case on the wire).</summary>
public sealed record GoogleTokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("scope")] string? Scope,
    [property: JsonPropertyName("token_type")] string? TokenType);

/// <summary>What Google said to a revocation.</summary>
public enum RevokeOutcome
{
    Revoked,

    /// <summary>The token was already dead (revoked or expired): nothing to revoke.</summary>
    AlreadyDead,

    /// <summary>No answer, or an error (5xx, 429…): the grant may still be active at Google.</summary>
    Failed,
}

public enum TokenFailureKind
{
    /// <summary>The grant is dead (used, expired or revoked): only a new authorization helps.</summary>
    InvalidGrant,

    /// <summary>Our client id/secret are wrong: an operator must fix configuration.</summary>
    InvalidClient,

    /// <summary>Google was unreachable, slow or answered 5xx/429: try again later; nothing is lost.</summary>
    Transient,

    /// <summary>Any other refusal.</summary>
    Rejected,
}

/// <summary>
/// A token endpoint failure. <see cref="Error"/> is Google's error code, safe to log and store (no token inside);
/// <see cref="Status"/> the HTTP status (0 when there was no answer); <see cref="RetryAfter"/> Google's Retry-After, if any.
/// </summary>
public sealed record TokenFailure(TokenFailureKind Kind, string Error, string? Description, int Status = 0, TimeSpan? RetryAfter = null);

/// <summary>
/// Google's OAuth2 token endpoint over plain HttpClient (code exchange, refresh, revoke). Kept small and
/// ours so that refresh locking and <c>invalid_grant</c> handling stay in our hands (see ecosystem notes).
/// Every request is bounded by the client's resilience handler (<see cref="GoogleResilience.AddTokenEndpointResilience"/>);
/// only a refresh is safe to send twice there. A code can be redeemed once (a second exchange answers <c>invalid_grant</c>),
/// so a code exchange is sent again only after a 5xx or no answer, which mean Google did not redeem it
/// (<see cref="GoogleRequests.CodeExchange"/>). A second revocation would report a revoked grant as a failure, so it is sent once.
/// </summary>
public sealed class GoogleOAuthClient(HttpClient http, IOptions<McpServerSettings> options, WaitClock clock)
{
    private readonly McpServerSettings _settings = options.Value;

    /// <summary>
    /// Redeems the authorization code. One transient failure (a 5xx, or no answer in <see cref="GoogleResilience.TokenAttemptTimeout"/>)
    /// is tried once more about <see cref="GoogleResilience.TokenRetryDelay"/> later by the client's resilience handler
    /// (<see cref="GoogleRequests.CodeExchange"/>): Google did not redeem the code, and the person is waiting on the page.
    /// A 200 with an unreadable body is not retried (the code was redeemed), nor a 429 (Google asked to slow down) or any refusal.
    /// </summary>
    public Task<(GoogleTokenResponse? Tokens, TokenFailure? Failure)> ExchangeCodeAsync(string code, string codeVerifier, CancellationToken cancellationToken) =>
        PostTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["code_verifier"] = codeVerifier,
            ["client_id"] = _settings.GoogleClientId,
            ["client_secret"] = _settings.GoogleClientSecret,
            ["redirect_uri"] = _settings.GoogleRedirectUri,
        }, GoogleEndpoints.TokenExchange, safeToRepeat: false, cancellationToken, codeExchange: true);

    /// <summary><see cref="TokenFailure.Error"/> when Google gave no answer in time.</summary>
    public const string NoAnswerInTime = "timeout";

    private const string MalformedResponse = "malformed_response";

    public Task<(GoogleTokenResponse? Tokens, TokenFailure? Failure)> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        PostTokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = _settings.GoogleClientId,
            ["client_secret"] = _settings.GoogleClientSecret,
        }, GoogleEndpoints.TokenRefresh, safeToRepeat: true, cancellationToken);

    /// <summary>
    /// Revokes a grant at Google. The token goes in the body, never in a URL that could be logged. A 400 is Google's
    /// <c>invalid_token</c>: the token is already dead (revoked, expired), so there is nothing left to revoke.
    /// </summary>
    public async Task<RevokeOutcome> RevokeAsync(string token, CancellationToken cancellationToken)
    {
        try
        {
            using var request = TokenRequest(_settings.GoogleRevokeUri, GoogleEndpoints.Revoke, new Dictionary<string, string> { ["token"] = token }, safeToRepeat: false);
            using var response = await http.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode ? RevokeOutcome.Revoked
                : response.StatusCode == HttpStatusCode.BadRequest ? RevokeOutcome.AlreadyDead
                : RevokeOutcome.Failed;
        }
        catch (Exception e) when (IsNoAnswer(e) && !cancellationToken.IsCancellationRequested)
        {
            return RevokeOutcome.Failed;
        }
    }

    private static HttpRequestMessage TokenRequest(string uri, string endpoint, Dictionary<string, string> form, bool safeToRepeat, bool codeExchange = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form) };
        request.Options.Set(GoogleRequests.Endpoint, endpoint);
        request.Options.Set(GoogleRequests.SafeToRepeat, safeToRepeat);
        request.Options.Set(GoogleRequests.CodeExchange, codeExchange);
        return request;
    }

    /// <summary>No answer: no connection, the resilience handler's timeout, or the HttpClient's own backstop timeout.</summary>
    private static bool IsNoAnswer(Exception e) => e is HttpRequestException or TaskCanceledException or TimeoutRejectedException;

    private async Task<(GoogleTokenResponse?, TokenFailure?)> PostTokenAsync(Dictionary<string, string> form, string endpoint, bool safeToRepeat,
        CancellationToken cancellationToken, bool codeExchange = false)
    {
        using var request = TokenRequest(_settings.GoogleTokenUri, endpoint, form, safeToRepeat, codeExchange);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (IsNoAnswer(e) && !cancellationToken.IsCancellationRequested)
        {
            return (null, e is TimeoutRejectedException
                ? new TokenFailure(TokenFailureKind.Transient, NoAnswerInTime, "Google's token endpoint did not answer in time.")
                : new TokenFailure(TokenFailureKind.Transient, "unreachable", "Google's token endpoint could not be reached."));
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    var tokens = JsonSerializer.Deserialize<GoogleTokenResponse>(body);
                    if (tokens is { AccessToken.Length: > 0 }) return (tokens, null);
                }
                catch (JsonException)
                {
                }

                return (null, new TokenFailure(TokenFailureKind.Transient, MalformedResponse, "Google's token endpoint answered with an unreadable body.",
                    (int)response.StatusCode));
            }

            var (error, description) = ReadError(body);
            var kind = response.StatusCode switch
            {
                >= HttpStatusCode.InternalServerError or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout => TokenFailureKind.Transient,
                _ when error == "invalid_grant" => TokenFailureKind.InvalidGrant,
                _ when error is "invalid_client" or "unauthorized_client" => TokenFailureKind.InvalidClient,
                _ => TokenFailureKind.Rejected,
            };
            return (null, new TokenFailure(kind, error ?? $"http_{(int)response.StatusCode}", description, (int)response.StatusCode,
                GoogleResilience.RetryAfterOf(response, clock.Time.GetUtcNow())));
        }
    }

    private static (string? Error, string? Description) ReadError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, null);
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            var description = root.TryGetProperty("error_description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            return (error, description);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
