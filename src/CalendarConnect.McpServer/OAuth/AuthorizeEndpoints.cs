using System.Text.Json.Serialization;
using CalendarConnect.McpServer.ConnectLinks;
using CalendarConnect.McpServer.Http;
using CalendarConnect.McpServer.Security;

namespace CalendarConnect.McpServer.OAuth;

public sealed record AuthorizeRequest(
    [property: JsonPropertyName("customer_id")] string? CustomerId,
    [property: JsonPropertyName("customer_email")] string? CustomerEmail);

public sealed record AuthorizeResponse(
    [property: JsonPropertyName("customer_id")] string CustomerId,
    [property: JsonPropertyName("authorization_url")] string AuthorizationUrl,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("shareable_link")] string ShareableLink,
    [property: JsonPropertyName("shareable_link_expires_at")] DateTimeOffset ShareableLinkExpiresAt);

/// <summary>
/// Spec step 2.3: the MCP server mints a state and builds Google's authorization URL (valid 30 minutes, once),
/// and a shareable link for the company (valid for days, see <see cref="ShareableLinks"/>).
/// </summary>
public static class AuthorizeEndpoints
{
    public static IEndpointRouteBuilder MapAuthorize(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/oauth/authorize", AuthorizeAsync).RequireAuthorization(Policies.Service);
        return routes;
    }

    private static async Task<IResult> AuthorizeAsync(HttpRequest request, AuthorizationRequests authorizations, ShareableLinks links,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<AuthorizeRequest>(request, cancellationToken);
        if (problem is not null) return problem;

        var errors = new Dictionary<string, string[]>();
        if (!CustomerIdRule.IsValid(body!.CustomerId)) errors["customer_id"] = [CustomerIdRule.Description];
        if (body.CustomerEmail is not null && !EmailAddressRule.IsValid(body.CustomerEmail))
            errors["customer_email"] = ["customer_email must be a valid email address."];
        if (errors.Count > 0) return Problems.BadRequest("Some fields are invalid.", errors: errors);

        var customerId = CustomerIdRule.Canonical(body.CustomerId!); // ids are case-insensitive: COMP-A is comp-a
        var start = await authorizations.StartAsync(customerId, body.CustomerEmail, linkHash: null, cancellationToken);
        var link = await links.CreateAsync(customerId, body.CustomerEmail, cancellationToken);
        return TypedResults.Ok(new AuthorizeResponse(customerId, start.Url, start.State, start.ExpiresAt, link.Url, link.ExpiresAt));
    }
}
