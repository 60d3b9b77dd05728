using CalendarConnect.McpServer.Http;
using CalendarConnect.McpServer.OAuth;
using CalendarConnect.McpServer.Security;
using CalendarConnect.McpServer.TokenVault;

namespace CalendarConnect.McpServer.ConnectLinks;

/// <summary>
/// GET /connect/{token}: the shareable link a company opens; each visit starts a fresh authorization at Google.
/// DELETE /customers/{id}/connect-links: the admin revokes every outstanding link of a company.
/// </summary>
public static class ConnectLinkEndpoints
{
    public static IEndpointRouteBuilder MapConnectLinks(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/connect/{token}", VisitAsync);
        routes.MapDelete("/customers/{customerId}/connect-links", RevokeAsync).RequireAuthorization(Policies.Service);
        return routes;
    }

    private static async Task<IResult> VisitAsync(string token, ShareableLinks links, AuthorizationRequests authorizations, TokenStore tokens,
        HttpResponse response, CancellationToken cancellationToken)
    {
        // Links are personal: keep them out of caches and of the Referer sent to Google.
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        var target = await links.FindLiveAsync(token, cancellationToken);
        if (target is null) return CallbackPages.DeadLink();
        var summary = await tokens.GetSummaryAsync(target.CustomerId, cancellationToken);
        // Connected with the account the link expects: nothing to do. Another account (the admin accepted a new one): go on.
        if (summary.Status == ConnectionStatus.Connected
            && (target.CustomerEmail is null || summary.CalendarEmail is null || AccountAttempts.IsExpected(summary.CalendarEmail, target.CustomerEmail)))
            return CallbackPages.AlreadyConnected();
        var start = await authorizations.StartAsync(target.CustomerId, target.CustomerEmail, target.LinkHash, cancellationToken);
        return TypedResults.Redirect(start.Url);
    }

    private static async Task<IResult> RevokeAsync(string customerId, ShareableLinks links, CancellationToken cancellationToken)
    {
        if (!CustomerIdRule.IsValid(customerId)) return Problems.BadRequest(CustomerIdRule.Description);
        await links.RevokeAllAsync(customerId, cancellationToken);
        return TypedResults.NoContent();
    }
}
