using CalendarConnect.Backend.McpServer;
using CalendarConnect.Backend.SignIn;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Backend.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CalendarConnect.Backend.CustomerCalendars;

/// <summary>POST /connect answer (spec step 2).</summary>
public sealed record ConnectResponse(
    string CustomerId, string CustomerEmail, string CustomerName, bool CalendarConnected,
    string AuthorizationUrl, string ShareableLink);

/// <summary>One company with its live connection status.</summary>
public sealed record CustomerCalendarView(
    string CustomerId, string CustomerEmail, string CustomerName, string Status, bool CalendarConnected,
    string? CalendarEmail);

public static class CustomerCalendarsEndpoints
{
    /// <summary>How many status questions to the MCP server run at once when listing.</summary>
    private const int StatusParallelism = 8;
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapCustomerCalendars(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/customer-calendars").RequireAuthorization(AdminAuthentication.ApiPolicy);
        group.MapPost("/connect", ConnectAsync).AddEndpointFilter<CookieAntiforgeryFilter>();
        group.MapGet("", ListAsync);
        group.MapGet("/{customer_id}", GetAsync);
        return app;
    }

    /// <summary>Saves the company in customer_memory, then asks the MCP server for the authorization URL.</summary>
    public static async Task<Results<Ok<ConnectResponse>, ValidationProblem, ProblemHttpResult>> ConnectAsync(
        HttpRequest request, CustomerMemory memory, McpServerClient mcp, ILoggerFactory loggers,
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
            // A later issue gives the shareable link its own long-lived URL (/connect/{token}); for now it is the same.
            return TypedResults.Ok(new ConnectResponse(saved.CustomerId, saved.CustomerEmail, saved.CustomerName,
                status.CalendarConnected, authorization.AuthorizationUrl, authorization.AuthorizationUrl));
        }
        catch (McpServerException ex)
        {
            loggers.CreateLogger(typeof(CustomerCalendarsEndpoints)).LogWarning("Connect {CustomerId}: {Message}", saved.CustomerId, ex.Message);
            return Problems.McpServerUnavailable();
        }
    }

    /// <summary>Every company with its live status; status "unknown" for any the MCP server could not tell.</summary>
    public static async Task<Ok<CustomerCalendarView[]>> ListAsync(
        CustomerMemory memory, McpServerClient mcp, CancellationToken cancellationToken)
    {
        var customers = await memory.ListAsync(cancellationToken);
        var views = new CustomerCalendarView[customers.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, customers.Count),
            new ParallelOptions { MaxDegreeOfParallelism = StatusParallelism, CancellationToken = cancellationToken },
            async (i, ct) => views[i] = View(customers[i], await StatusOrUnknownAsync(mcp, customers[i].CustomerId, ct)));
        return TypedResults.Ok(views);
    }

    public static async Task<Results<Ok<CustomerCalendarView>, ValidationProblem, ProblemHttpResult>> GetAsync(
        [FromRoute(Name = "customer_id")] string customerId, CustomerMemory memory, McpServerClient mcp,
        CancellationToken cancellationToken)
    {
        if (ConnectRequest.CustomerIdError(customerId) is { } error)
            return Problems.Validation(new Dictionary<string, string[]> { ["customer_id"] = [error] });
        var customer = await memory.FindAsync(customerId, cancellationToken);
        if (customer is null) return Problems.UnknownCustomer(customerId);
        return TypedResults.Ok(View(customer, await StatusOrUnknownAsync(mcp, customerId, cancellationToken)));
    }

    private static CustomerCalendarView View(CustomerRecord customer, CalendarStatus status) => new(
        customer.CustomerId, customer.CustomerEmail, customer.CustomerName, status.Status, status.CalendarConnected,
        status.CalendarEmail);

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
