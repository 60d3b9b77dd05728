using CalendarConnect.Backend.McpServer;
using CalendarConnect.Backend.SignIn;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Backend.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CalendarConnect.Backend.CustomerCalendars;

/// <summary>POST /connect answer (spec step 2): exactly the spec's six fields.</summary>
public sealed record ConnectResponse(
    string CustomerId, string CustomerEmail, string CustomerName, bool CalendarConnected,
    string AuthorizationUrl, string ShareableLink);

/// <summary>One company with its live connection status.</summary>
/// <param name="AccountMismatch">The Google account that consented is not the company's customer_email.</param>
public sealed record CustomerCalendarView(
    string CustomerId, string CustomerEmail, string CustomerName, string Status, bool CalendarConnected,
    string? CalendarEmail, bool AccountMismatch);

public static class CustomerCalendarsEndpoints
{
    /// <summary>
    /// The connect answer keeps the spec's six fields; the shareable link's expiry travels in this header
    /// (ISO 8601), so the admin page can say "válido hasta …".
    /// </summary>
    public const string ShareableLinkExpiresHeader = "Shareable-Link-Expires-At";

    /// <summary>How many batch status questions (of up to 100 companies each) run at once when listing.</summary>
    private const int BatchParallelism = 4;
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapCustomerCalendars(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/customer-calendars").RequireAuthorization(AdminAuthentication.ApiPolicy)
            .WithTags("Customer calendars").ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapPost("/connect", ConnectAsync).AddEndpointFilter<CookieAntiforgeryFilter>()
            .Accepts<ConnectRequest>("application/json")
            .WithSummary("Save a company and get its Google authorization link")
            .WithDescription("The spec's connect contract: saves (or updates) the company in customer_memory and asks the MCP server for the " +
                             "authorization URL and a shareable link. The link's expiry is in the Shareable-Link-Expires-At header (ISO 8601, UTC).")
            .ProducesProblem(StatusCodes.Status502BadGateway);
        group.MapGet("", ListAsync)
            .WithSummary("List every company with its live connection status")
            .WithDescription("status is not_connected, connected, needs_reauthorization, or unknown when the MCP server could not tell.");
        group.MapGet("/{customer_id}", GetAsync)
            .WithSummary("One company with its live connection status")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{customer_id}", DisconnectAsync).AddEndpointFilter<CookieAntiforgeryFilter>()
            .WithSummary("Disconnect a company's calendar")
            .WithDescription("Revokes the grant at Google and deletes the tokens; the company stays in the list and can connect again.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status502BadGateway);
        return app;
    }

    /// <summary>Saves the company in customer_memory, then asks the MCP server for the authorization URL and shareable link.</summary>
    public static async Task<Results<Ok<ConnectResponse>, ValidationProblem, ProblemHttpResult>> ConnectAsync(
        HttpRequest request, HttpResponse response, CustomerMemory memory, McpServerClient mcp, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ReadAsync(request, cancellationToken);
        if (problem is not null) return problem;
        ConnectRequest? body;
        Dictionary<string, string[]> errors;
        using (document)
        {
            (body, errors) = ConnectRequest.Validate(document!.RootElement);
        }
        if (body is null) return Problems.Validation(errors);

        var saved = await memory.UpsertAsync(body.CustomerId, body.CustomerEmail, body.CustomerName, cancellationToken);
        try
        {
            var authorization = await mcp.StartAuthorizationAsync(saved.CustomerId, saved.CustomerEmail, cancellationToken);
            var status = await mcp.GetCalendarStatusAsync(saved.CustomerId, cancellationToken);
            if (authorization.ShareableLinkExpiresAt is { } expires)
                response.Headers[ShareableLinkExpiresHeader] = expires.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
            return TypedResults.Ok(new ConnectResponse(saved.CustomerId, saved.CustomerEmail, saved.CustomerName,
                status.CalendarConnected, authorization.AuthorizationUrl, authorization.ShareableLink!));
        }
        catch (McpServerException ex)
        {
            loggers.CreateLogger(typeof(CustomerCalendarsEndpoints)).LogWarning("Connect {CustomerId}: {Message}", saved.CustomerId, ex.Message);
            return Problems.McpServerUnavailable();
        }
    }

    /// <summary>
    /// Every company with its live status, asked of the MCP server in batches of 100; status "unknown" for any
    /// the MCP server could not tell.
    /// </summary>
    public static async Task<Ok<CustomerCalendarView[]>> ListAsync(
        CustomerMemory memory, McpServerClient mcp, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var customers = await memory.ListAsync(cancellationToken);
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<string, CalendarStatus>(StringComparer.Ordinal);
        var chunks = customers.Select(c => c.CustomerId).Chunk(McpServerClient.StatusBatchSize).ToList();
        await Parallel.ForEachAsync(chunks,
            new ParallelOptions { MaxDegreeOfParallelism = BatchParallelism, CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(StatusTimeout);
                try
                {
                    foreach (var (id, status) in await mcp.GetCalendarStatusBatchAsync(chunk, timeout.Token)) statuses[id] = status;
                }
                catch (Exception ex) when (ex is McpServerException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
                {
                    loggers.CreateLogger(typeof(CustomerCalendarsEndpoints))
                        .LogWarning("Status of {Count} companies unknown: {Message}", chunk.Length, ex is McpServerException ? ex.Message : "timed out");
                }
            });
        return TypedResults.Ok(customers
            .Select(c => View(c, statuses.GetValueOrDefault(c.CustomerId) ?? CalendarStatus.UnknownFor(c.CustomerId)))
            .ToArray());
    }

    public static async Task<Results<Ok<CustomerCalendarView>, ValidationProblem, ProblemHttpResult>> GetAsync(
        [FromRoute(Name = "customer_id")] string customerId, CustomerMemory memory, McpServerClient mcp,
        CancellationToken cancellationToken)
    {
        if (CustomerIdProblem(customerId) is { } invalid) return invalid;
        var customer = await memory.FindAsync(customerId, cancellationToken);
        if (customer is null) return Problems.UnknownCustomer(customerId);
        return TypedResults.Ok(View(customer, await StatusOrUnknownAsync(mcp, customerId, cancellationToken)));
    }

    /// <summary>
    /// Disconnect: the MCP server revokes the grant at Google, deletes the tokens and kills the links.
    /// The company stays in customer_memory and can be connected again.
    /// </summary>
    public static async Task<Results<Ok<CustomerCalendarView>, ValidationProblem, ProblemHttpResult>> DisconnectAsync(
        [FromRoute(Name = "customer_id")] string customerId, CustomerMemory memory, McpServerClient mcp, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (CustomerIdProblem(customerId) is { } invalid) return invalid;
        var customer = await memory.FindAsync(customerId, cancellationToken);
        if (customer is null) return Problems.UnknownCustomer(customerId);
        var logger = loggers.CreateLogger(typeof(CustomerCalendarsEndpoints));
        try
        {
            var disconnection = await mcp.DisconnectAsync(customerId, cancellationToken);
            logger.LogInformation("Disconnected {CustomerId} (revoked at Google: {Revoked})", customerId, disconnection.RevokedAtGoogle);
            return TypedResults.Ok(View(customer, CalendarStatus.NotConnectedFor(customerId)));
        }
        catch (McpServerException ex)
        {
            logger.LogWarning("Disconnect {CustomerId}: {Message}", customerId, ex.Message);
            return Problems.McpServerUnavailable();
        }
    }

    /// <summary>A 400 problem for an id that breaks the customer_id rule, else null.</summary>
    public static ValidationProblem? CustomerIdProblem(string customerId) =>
        ConnectRequest.CustomerIdError(customerId) is { } error
            ? Problems.Validation(new Dictionary<string, string[]> { ["customer_id"] = [error] })
            : null;

    private static CustomerCalendarView View(CustomerRecord customer, CalendarStatus status) => new(
        customer.CustomerId, customer.CustomerEmail, customer.CustomerName, status.Status, status.CalendarConnected,
        status.CalendarEmail, status.AccountMismatch);

    private static async Task<CalendarStatus> StatusOrUnknownAsync(McpServerClient mcp, string customerId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StatusTimeout);
        try
        {
            return await mcp.GetCalendarStatusAsync(customerId, timeout.Token);
        }
        catch (McpServerException)
        {
            return CalendarStatus.UnknownFor(customerId);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CalendarStatus.UnknownFor(customerId);
        }
    }
}
