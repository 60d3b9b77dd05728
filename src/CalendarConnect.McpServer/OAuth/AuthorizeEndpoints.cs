using System.Text.Json.Serialization;
using CalendarConnect.McpServer.Configuration;
using CalendarConnect.McpServer.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace CalendarConnect.McpServer.OAuth;

public sealed record AuthorizeRequest(
    [property: JsonPropertyName("customer_id")] string? CustomerId,
    [property: JsonPropertyName("customer_email")] string? CustomerEmail);

public sealed record AuthorizeResponse(
    [property: JsonPropertyName("customer_id")] string CustomerId,
    [property: JsonPropertyName("authorization_url")] string AuthorizationUrl,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt);

/// <summary>Spec step 2.3: the MCP server mints a state and builds Google's authorization URL.</summary>
public static class AuthorizeEndpoints
{
    public const string CalendarScope = "https://www.googleapis.com/auth/calendar";

    public static IEndpointRouteBuilder MapAuthorize(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/oauth/authorize", AuthorizeAsync).RequireAuthorization();
        return routes;
    }

    private static async Task<IResult> AuthorizeAsync(HttpRequest request, AuthorizationStates states, IOptions<McpServerSettings> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<AuthorizeRequest>(request, cancellationToken);
        if (problem is not null) return problem;

        var errors = new Dictionary<string, string[]>();
        if (!CustomerIds.IsValid(body!.CustomerId)) errors["customer_id"] = [CustomerIds.Rule];
        if (body.CustomerEmail is not null && !CustomerIds.IsValidEmail(body.CustomerEmail))
            errors["customer_email"] = ["customer_email must be a valid email address."];
        if (errors.Count > 0) return Problems.BadRequest("Some fields are invalid.", errors: errors);

        var settings = options.Value;
        var state = OAuthRandom.NewState();
        var verifier = OAuthRandom.NewCodeVerifier();
        var expiresAt = time.GetUtcNow().Add(settings.StateLifetime);
        await states.SaveAsync(state, body.CustomerId!, body.CustomerEmail, verifier, expiresAt, cancellationToken);

        var parameters = new Dictionary<string, string?>
        {
            ["client_id"] = settings.GoogleClientId,
            ["redirect_uri"] = settings.GoogleRedirectUri,
            ["scope"] = CalendarScope,
            ["response_type"] = "code",
            ["access_type"] = "offline",
            ["prompt"] = "consent",
            ["state"] = state,
            ["code_challenge"] = OAuthRandom.CodeChallenge(verifier),
            ["code_challenge_method"] = "S256",
        };
        // The company's Google account, pre-filled on Google's sign-in page.
        if (body.CustomerEmail is not null) parameters["login_hint"] = body.CustomerEmail;
        var url = QueryHelpers.AddQueryString(settings.GoogleAuthUri, parameters);

        return TypedResults.Ok(new AuthorizeResponse(body.CustomerId!, url, state, expiresAt));
    }
}
