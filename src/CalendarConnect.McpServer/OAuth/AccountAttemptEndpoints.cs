using System.Text.Json.Serialization;
using CalendarConnect.Infrastructure.Http;
using CalendarConnect.McpServer.Http;
using CalendarConnect.McpServer.Security;

namespace CalendarConnect.McpServer.OAuth;

/// <param name="CustomerEmail">The email the company's links and authorizations expect from now on: the accepted account.</param>
public sealed record AcceptAccountResponse(
    [property: JsonPropertyName("customer_id")] string CustomerId,
    [property: JsonPropertyName("customer_email")] string CustomerEmail);

/// <summary>
/// POST /customers/{id}/account-attempt/accept (service key): the admin's one deliberate action that accepts the Google
/// account of the company's latest attempt (see <see cref="AccountAttempts"/>). The body names the account, so an attempt
/// with yet another account made while the admin was deciding is not accepted in its place (404).
/// </summary>
public static class AccountAttemptEndpoints
{
    public static IEndpointRouteBuilder MapAccountAttempts(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/customers/{customerId}/account-attempt/accept", AcceptAsync).RequireAuthorization(Policies.Service)
            .WithJsonBody<AcceptAccountRequest>(() => AcceptAccountRequest.BodyShape, AcceptAccountRequest.UnknownField);
        return routes;
    }

    /// <param name="body">Bound and validated by the framework (WithJsonBody).</param>
    private static async Task<IResult> AcceptAsync(string customerId, AcceptAccountRequest body, AccountAttempts attempts, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (!CustomerIdRule.IsValid(customerId)) return Problems.BadRequest(CustomerIdRule.Description);
        var accepted = await attempts.AcceptAsync(customerId, body.AccountEmail!, cancellationToken);
        if (accepted is null)
            return Problems.BadRequest("This company has no sign-in attempt with that Google account (none, or a newer one with another account).",
                StatusCodes.Status404NotFound);
        loggers.CreateLogger(typeof(AccountAttemptEndpoints)).LogInformation(
            "Customer {CustomerId}: the admin accepted the Google account of the latest attempt; the company's next consent with it connects", customerId);
        return TypedResults.Ok(new AcceptAccountResponse(customerId, accepted));
    }
}
