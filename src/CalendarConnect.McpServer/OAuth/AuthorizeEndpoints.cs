using System.Text.Json.Serialization;
using CalendarConnect.McpServer.ConnectLinks;
using CalendarConnect.Infrastructure.Http;
using CalendarConnect.McpServer.Security;

namespace CalendarConnect.McpServer.OAuth;

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
        routes.MapPost("/oauth/authorize", AuthorizeAsync).RequireAuthorization(Policies.Service)
            .WithJsonBody<AuthorizeRequest>(() => AuthorizeRequest.BodyShape, AuthorizeRequest.UnknownField);
        return routes;
    }

    /// <param name="body">Bound and validated by the framework (WithJsonBody).</param>
    private static async Task<IResult> AuthorizeAsync(AuthorizeRequest body, AuthorizationRequests authorizations, ShareableLinks links,
        CancellationToken cancellationToken)
    {
        var customerId = CustomerIdRule.Canonical(body.CustomerId!); // ids are case-insensitive: COMP-A is comp-a
        var start = await authorizations.StartAsync(customerId, body.CustomerEmail, linkHash: null, cancellationToken);
        var link = await links.CreateAsync(customerId, body.CustomerEmail, cancellationToken);
        return TypedResults.Ok(new AuthorizeResponse(customerId, start.Url, start.State, start.ExpiresAt, link.Url, link.ExpiresAt));
    }
}
