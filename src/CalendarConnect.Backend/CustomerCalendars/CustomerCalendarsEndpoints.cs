using System.ComponentModel;
using System.Text.Json.Serialization;
using CalendarConnect.Backend.BookingSettings;
using CalendarConnect.Backend.McpKeys;
using CalendarConnect.Backend.McpServer;
using CalendarConnect.Backend.SignIn;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Backend.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using CalendarConnect.Infrastructure.Http;

namespace CalendarConnect.Backend.CustomerCalendars;

/// <summary>POST /connect answer (spec step 2): exactly the spec's six fields.</summary>
public sealed record ConnectResponse(
    string CustomerId, string CustomerEmail, string CustomerName, bool CalendarConnected,
    string AuthorizationUrl, string ShareableLink);

/// <summary>One company with its live connection status.</summary>
/// <param name="WhatsAppNumber">The company's WhatsApp business number (E.164), or null.</param>
/// <param name="AccountMismatch">The Google account that consented is not the company's customer_email.</param>
/// <param name="AccountAttempt">
/// The latest consent given with another Google account than the company's email, which connected nothing; null when
/// there is none. The admin may accept that account (POST …/account-attempt/accept).
/// </param>
public record CustomerCalendarView(
    string CustomerId, string CustomerEmail, string CustomerName,
    [property: JsonPropertyName("whatsapp_number")] string? WhatsAppNumber,
    string Status, bool CalendarConnected, string? CalendarEmail, bool AccountMismatch, AccountAttemptView? AccountAttempt = null);

/// <summary>DELETE answer: the company, now not connected, and what Google said to the revocation.</summary>
public sealed record CustomerCalendarDisconnection : CustomerCalendarView
{
    /// <summary>The company's fields (<paramref name="company"/>) at the top level, next to what Google said.</summary>
    public CustomerCalendarDisconnection(CustomerCalendarView company, bool grantMayStillBeActive, bool revocationRetrying) : base(company)
    {
        GrantMayStillBeActive = grantMayStillBeActive;
        RevocationRetrying = revocationRetrying;
    }

    /// <summary>
    /// Google did not confirm the revocation: until it does, the company's consent may still be active at Google (the tokens
    /// are deleted here either way).
    /// </summary>
    public bool GrantMayStillBeActive { get; }

    /// <summary>The MCP server retries the revocation in the background, with back-off, for about two hours.</summary>
    public bool RevocationRetrying { get; }
}

/// <summary>Which other Google account consented for the company, and when.</summary>
public sealed record AccountAttemptView(string AccountEmail, DateTimeOffset AttemptedAt);

public static class CustomerCalendarsEndpoints
{
    /// <summary>
    /// The connect answer keeps the spec's six fields; the shareable link's expiry travels in this header
    /// (ISO 8601), so the admin page can say "válido hasta …".
    /// </summary>
    public const string ShareableLinkExpiresHeader = "Shareable-Link-Expires-At";

    /// <summary>How many companies match the list's search and filter (all pages).</summary>
    public const string TotalCountHeader = "X-Total-Count";

    /// <summary>How many batch status questions (of up to 100 companies each) run at once when listing.</summary>
    private const int BatchParallelism = 4;
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(5);
    private const string Tag = "Customer calendars";

    public static IEndpointRouteBuilder MapCustomerCalendars(this IEndpointRouteBuilder app)
    {
        // The resource: admin only, and everything of one company under /{customer_id}, whose id is checked once there.
        var api = app.MapGroup("/v1/customer-calendars").RequireAuthorization(AdminAuthentication.ApiPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        var company = api.MapGroup("/{customer_id}").AddEndpointFilter<CustomerIdFilter>().ProducesValidationProblem();
        var group = api.MapGroup("").WithTags(Tag);
        var calendar = company.MapGroup("").WithTags(Tag);
        company.MapMcpKeys();
        company.MapBookingSettings();
        group.MapPost("/connect", ConnectAsync).AddEndpointFilter<CookieAntiforgeryFilter>()
            .WithJsonBody<ConnectRequest>(() => ApiTexts.ConnectBodyShape, _ => ApiTexts.ConnectUnknownField)
            .WithSummary("Save a company and get its Google authorization link")
            .WithDescription("The spec's connect contract: saves (or updates) the company in customer_memory and asks the MCP server for the " +
                             "authorization URL and a shareable link. customer_id is case-insensitive, here and in every path: it is stored " +
                             "and answered lower-case, so COMP-A is the company comp-a (connecting it again updates that company). " +
                             "The link's expiry is in the Shareable-Link-Expires-At header (ISO 8601, UTC). " +
                             "Optional whatsapp_number (\"+\" or \"00\" and the country code, e.g. \"+54 9 11 5555-0000\") sets the company's WhatsApp " +
                             "business number; left out, null or \"\", the number is kept: connect never clears it (PATCH with null does). " +
                             "The answer is the spec's six fields either way. A number another company holds answers 409 and saves nothing, " +
                             "except when it is taken in the instant between that check and the save: then the company (id, email, name) is " +
                             "saved without the number and the 409's detail says so; connecting again with another number, or none, completes it.")
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesValidationProblem(StatusCodes.Status409Conflict);
        group.MapGet("", ListAsync)
            .WithSummary("List the companies with their live connection status: search, status filter, pages")
            .WithDescription($"The body is a JSON array (one page), newest company first. status is {ConnectionStatus.NotConnected}, {ConnectionStatus.Connected}, " +
                             $"{ConnectionStatus.NeedsReauthorization}, or {CalendarStatus.Unknown} when the MCP server could not tell. The status filter uses the statuses the MCP " +
                             "server's feed of status changes reported, caught up before answering; while the MCP server cannot be reached it " +
                             "uses the last known ones, and status=unknown lists every company. The X-Total-Count header says how many " +
                             "companies match (all pages); the Link header (RFC 8288) has first, prev, next and last as relative URLs " +
                             "that keep q, status and page_size. Without page the answer is the first page only (50 companies by default): " +
                             "to read them all, follow the Link header's rel=\"next\" until there is none. Bad parameters answer 400 with \"errors\".")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                if (operation.Responses?.GetValueOrDefault("200") is Microsoft.OpenApi.OpenApiResponse ok)
                {
                    ok.Headers ??= new Dictionary<string, Microsoft.OpenApi.IOpenApiHeader>();
                    ok.Headers[TotalCountHeader] = new Microsoft.OpenApi.OpenApiHeader
                    {
                        Description = "How many companies match the search and filter, over all pages.",
                        Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.Integer },
                    };
                    ok.Headers["Link"] = new Microsoft.OpenApi.OpenApiHeader
                    {
                        Description = "RFC 8288: rel=\"first\", \"prev\", \"next\", \"last\" as relative URLs keeping q, status and page_size.",
                        Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String },
                    };
                }
                return Task.CompletedTask;
            });
        calendar.MapGet("", GetAsync)
            .WithSummary("One company with its live connection status")
            .ProducesProblem(StatusCodes.Status404NotFound);
        calendar.MapPatch("", UpdateAsync).AddEndpointFilter<CookieAntiforgeryFilter>()
            .WithJsonBody<CustomerCalendarPatch>(() => ApiTexts.PatchBodyShape, CustomerCalendarPatch.UnknownField)
            .Accepts<CustomerCalendarPatch>("application/merge-patch+json", "application/json")
            .WithSummary("Change a company's name, email or WhatsApp number")
            .WithDescription("JSON merge patch (RFC 7396): fields left out are kept; whatsapp_number null clears it, while \"\" answers 400 " +
                             "(send null to clear). A new number needs \"+\" or \"00\" and the country code. An empty patch {} changes nothing " +
                             "and answers the company as it is. customer_id cannot change. A WhatsApp number is stored in E.164 and belongs " +
                             "to one company: a number another company holds answers 409 and nothing is changed. Changing the email does " +
                             "not touch a connected calendar; account_mismatch is recomputed against the new email.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem(StatusCodes.Status409Conflict);
        calendar.MapPost("/account-attempt/accept", AcceptAccountAsync).AddEndpointFilter<CookieAntiforgeryFilter>()
            .WithJsonBody<AcceptAccountRequest>(() => ApiTexts.AcceptAccountBodyShape, _ => ApiTexts.AcceptAccountUnknownField)
            .WithSummary("Accept the other Google account a company signed in with")
            .WithDescription("When a company consents with another Google account than its customer_email, nothing is connected or stored " +
                             "and the attempt shows in the company's account_attempt. This deliberate action accepts that account: " +
                             "the body names it ({\"account_email\": \"…\"}, compared case-insensitively, so a newer attempt with yet another " +
                             "account is not accepted in its place: 409). The company's customer_email becomes that account, its outstanding " +
                             "links expect it, and the answer is the connect answer (authorization_url, shareable_link, expiry in " +
                             "Shareable-Link-Expires-At) for it: the company consents once more with that account and is connected. " +
                             "The first consent's tokens were not kept, by design: no grant to an account nobody accepted is stored.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        calendar.MapDelete("", DisconnectAsync).AddEndpointFilter<CookieAntiforgeryFilter>()
            .WithSummary("Disconnect a company's calendar")
            .WithDescription("Revokes the grant at Google and deletes the tokens; the company stays in the list and can connect again. " +
                             "When Google does not confirm the revocation, grant_may_still_be_active is true: the company's consent may " +
                             "still work at Google, and revocation_retrying says the MCP server retries it in the background.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status502BadGateway);
        return app;
    }

    /// <summary>Saves the company in customer_memory, then asks the MCP server for the authorization URL and shareable link.</summary>
    public static async Task<Results<Ok<ConnectResponse>, ValidationProblem, ProblemHttpResult>> ConnectAsync(
        ConnectRequest request, HttpResponse response, CustomerMemory memory, McpServerClient mcp, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var body = request.Normalized(); // bound and validated by the framework (WithJsonBody)

        // A number another company holds is refused before anything is saved.
        if (body.WhatsAppNumber is { } number && await memory.FindByWhatsAppNumberAsync(number, cancellationToken) is { } holder
            && holder.CustomerId != body.CustomerId)
            return Problems.WhatsAppNumberTaken(number, holder.CustomerId);
        var saved = await memory.UpsertAsync(body.CustomerId!, body.CustomerEmail!, body.CustomerName!, cancellationToken);
        if (body.WhatsAppNumber is not null
            && await memory.SetWhatsAppNumberAsync(body.CustomerId!, body.WhatsAppNumber, cancellationToken) == WhatsAppNumberResult.TakenByAnotherCustomer)
        {
            // Taken in the instant since the check: the company is saved (as a retry would save it), the number is
            // not, and the 409 says so. The taker may already be gone again: then it is "another company".
            var taker = await memory.FindByWhatsAppNumberAsync(body.WhatsAppNumber, cancellationToken);
            return Problems.WhatsAppNumberTaken(body.WhatsAppNumber, taker?.CustomerId, companySaved: true);
        }
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
    /// One page of the companies that match the search (id, name, email, WhatsApp number) and status filter, with
    /// the total, both from the database. The status filter uses the statuses learned from the MCP server's feed of
    /// status changes, caught up first (one call); when the feed cannot be read it uses the last known statuses, and
    /// "unknown" then matches every company. The page's companies show their live status, asked in one call (per
    /// 100 companies); "unknown" for any the MCP server could not tell.
    /// </summary>
    public static async Task<Results<Ok<CustomerCalendarView[]>, ValidationProblem>> ListAsync(
        HttpRequest request, HttpResponse response, CustomerMemory memory, McpServerClient mcp, CalendarStatusSync statusSync,
        ILoggerFactory loggers,
        [FromQuery, Description("Search text: part of the id, name, email or WhatsApp number; case and accents are ignored. Up to 200 characters.")] string? q,
        [FromQuery, Description($"Only companies with this status: {ConnectionStatus.NotConnected}, {ConnectionStatus.Connected}, {ConnectionStatus.NeedsReauthorization} or {CalendarStatus.Unknown}.")] string? status,
        [FromQuery, Description("Page number, from 1 (default 1).")] string? page,
        [FromQuery(Name = "page_size"), Description("Companies per page, 1 to 200 (default 50).")] string? pageSize,
        CancellationToken cancellationToken)
    {
        _ = (q, status, page, pageSize); // documented here, read (with repeats detected) from the query itself
        var (query, errors) = CustomerCalendarQuery.Parse(request.Query);
        if (query is null) return Problems.Validation(errors);

        var mcpAnswers = true;
        var statusFilter = query.Status;
        if (query.Status is not null)
        {
            mcpAnswers = await statusSync.CatchUpAsync(cancellationToken);
            // Unknown is what the MCP server cannot tell: while its feed cannot be read, that is every company.
            if (query.Status == CalendarStatus.Unknown && !mcpAnswers) statusFilter = null;
        }
        var filter = new CustomerListFilter(
            query.Text is { } text ? CustomerCalendarQuery.Fold(text) : null,
            query.Text is { } typed ? CustomerCalendarQuery.PhoneDigits(typed) : null,
            statusFilter, ((long)query.Page - 1) * query.PageSize, query.PageSize);
        var (total, companies) = await memory.ListPageAsync(filter, cancellationToken);

        // The MCP server just failed to answer the feed: the rows say unknown without waiting for it again.
        var statuses = mcpAnswers
            ? await StatusesAsync(companies.Select(c => c.CustomerId), mcp, loggers.CreateLogger(typeof(CustomerCalendarsEndpoints)), cancellationToken)
            : new Dictionary<string, CalendarStatus>();
        var pageItems = companies.Select(c => View(c, statuses.GetValueOrDefault(c.CustomerId) ?? CalendarStatus.UnknownFor(c.CustomerId)));

        response.Headers[TotalCountHeader] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers.Link = query.LinkHeader(request.PathBase + request.Path, total);
        return TypedResults.Ok(pageItems.ToArray());
    }

    /// <summary>Live statuses of these companies, asked in batches of 100 (at once); missing ones the MCP server could not tell.</summary>
    private static async Task<IReadOnlyDictionary<string, CalendarStatus>> StatusesAsync(IEnumerable<string> customerIds,
        McpServerClient mcp, ILogger logger, CancellationToken cancellationToken)
    {
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<string, CalendarStatus>(StringComparer.Ordinal);
        var chunks = customerIds.Chunk(McpServerClient.StatusBatchSize).ToList();
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
                    logger.LogWarning("Status of {Count} companies unknown: {Message}", chunk.Length, ex is McpServerException ? ex.Message : "timed out");
                }
            });
        return statuses;
    }

    public static async Task<Results<Ok<CustomerCalendarView>, ValidationProblem, ProblemHttpResult>> GetAsync(
        [FromRoute(Name = "customer_id")] string customerId, CustomerMemory memory, McpServerClient mcp,
        CancellationToken cancellationToken)
    {
        var customer = await memory.FindAsync(customerId, cancellationToken);
        if (customer is null) return Problems.UnknownCustomer(customerId);
        return TypedResults.Ok(View(customer, await StatusOrUnknownAsync(mcp, customerId, cancellationToken)));
    }

    /// <summary>Merge patch of the company's name, email and WhatsApp number; the answer is the company as saved, with its live status.</summary>
    public static async Task<Results<Ok<CustomerCalendarView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        [FromRoute(Name = "customer_id")] string customerId, CustomerCalendarPatch patch, CustomerMemory memory, McpServerClient mcp,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // Bound and validated by the framework (WithJsonBody).
        if (patch.IsEmpty())
        {
            // {} changes nothing: the company as it is, without touching updated_at.
            var current = await memory.FindAsync(customerId, cancellationToken);
            if (current is null) return Problems.UnknownCustomer(customerId);
            return TypedResults.Ok(View(current, await StatusOrUnknownAsync(mcp, customerId, cancellationToken)));
        }
        var update = await memory.UpdateAsync(customerId, patch.NewEmail(), patch.NewName(), patch.WhatsAppNumber.IsGiven,
            patch.NewWhatsAppNumber(), cancellationToken);
        switch (update.Result)
        {
            case WhatsAppNumberResult.UnknownCustomer:
                return Problems.UnknownCustomer(customerId);
            case WhatsAppNumberResult.TakenByAnotherCustomer:
                return Problems.WhatsAppNumberTaken(patch.NewWhatsAppNumber()!, update.Holder);
        }
        loggers.CreateLogger(typeof(CustomerCalendarsEndpoints)).LogInformation("Updated {CustomerId}", customerId);
        return TypedResults.Ok(View(update.Customer!, await StatusOrUnknownAsync(mcp, customerId, cancellationToken)));
    }

    /// <summary>
    /// Disconnect: the MCP server revokes the grant at Google, deletes the tokens and kills the links.
    /// The company stays in customer_memory and can be connected again.
    /// </summary>
    public static async Task<Results<Ok<CustomerCalendarDisconnection>, ValidationProblem, ProblemHttpResult>> DisconnectAsync(
        [FromRoute(Name = "customer_id")] string customerId, CustomerMemory memory, McpServerClient mcp, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var customer = await memory.FindAsync(customerId, cancellationToken);
        if (customer is null) return Problems.UnknownCustomer(customerId);
        var logger = loggers.CreateLogger(typeof(CustomerCalendarsEndpoints));
        try
        {
            var disconnection = await mcp.DisconnectAsync(customerId, cancellationToken);
            logger.LogInformation("Disconnected {CustomerId} (revoked at Google: {Revoked}, retrying: {Retrying})", customerId,
                disconnection.RevokedAtGoogle, disconnection.RevocationRetrying);
            var view = View(customer, CalendarStatus.NotConnectedFor(customerId));
            return TypedResults.Ok(new CustomerCalendarDisconnection(view, disconnection.GrantMayStillBeActive, disconnection.RevocationRetrying));
        }
        catch (McpServerException ex)
        {
            logger.LogWarning("Disconnect {CustomerId}: {Message}", customerId, ex.Message);
            return Problems.McpServerUnavailable();
        }
    }

    /// <summary>
    /// The admin accepts the Google account of the company's latest attempt: the MCP server first (its links then expect
    /// that account), then the company's customer_email here, then a fresh authorization for it, as connect answers.
    /// </summary>
    public static async Task<Results<Ok<ConnectResponse>, ValidationProblem, ProblemHttpResult>> AcceptAccountAsync(
        [FromRoute(Name = "customer_id")] string customerId, AcceptAccountRequest request, HttpResponse response, CustomerMemory memory,
        McpServerClient mcp, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var accountEmail = request.TrimmedEmail(); // bound and validated by the framework (WithJsonBody)

        var customer = await memory.FindAsync(customerId, cancellationToken);
        if (customer is null) return Problems.UnknownCustomer(customerId);
        var logger = loggers.CreateLogger(typeof(CustomerCalendarsEndpoints));
        try
        {
            var accepted = await mcp.AcceptAccountAttemptAsync(customerId, accountEmail, cancellationToken);
            if (accepted is null) return Problems.NoAccountAttempt(customerId, accountEmail);
            var update = await memory.UpdateAsync(customerId, accepted, null, false, null, cancellationToken);
            if (update.Result == WhatsAppNumberResult.UnknownCustomer) return Problems.UnknownCustomer(customerId);
            logger.LogInformation("Accepted another Google account for {CustomerId}", customerId);
            var saved = update.Customer!;
            var authorization = await mcp.StartAuthorizationAsync(saved.CustomerId, saved.CustomerEmail, cancellationToken);
            if (authorization.ShareableLinkExpiresAt is { } expires)
                response.Headers[ShareableLinkExpiresHeader] = expires.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
            var status = await StatusOrUnknownAsync(mcp, customerId, cancellationToken);
            return TypedResults.Ok(new ConnectResponse(saved.CustomerId, saved.CustomerEmail, saved.CustomerName,
                status.CalendarConnected, authorization.AuthorizationUrl, authorization.ShareableLink!));
        }
        catch (McpServerException ex)
        {
            logger.LogWarning("Accept account {CustomerId}: {Message}", customerId, ex.Message);
            return Problems.McpServerUnavailable();
        }
    }

    /// <summary>A 400 problem for an id that breaks the customer_id rule, else null.</summary>
    public static ValidationProblem? CustomerIdProblem(string customerId) =>
        ConnectRequest.CustomerIdError(customerId) is { } error
            ? Problems.Validation(new Dictionary<string, string[]> { ["customer_id"] = [error] })
            : null;

    private static CustomerCalendarView View(CustomerRecord customer, CalendarStatus status) => new(
        customer.CustomerId, customer.CustomerEmail, customer.CustomerName, customer.WhatsAppNumber, status.Status,
        status.CalendarConnected, status.CalendarEmail, AccountMismatch(customer, status),
        status.AccountAttempt is { AccountEmail.Length: > 0 } attempt ? new AccountAttemptView(attempt.AccountEmail, attempt.AttemptedAt) : null);

    /// <summary>
    /// The consenting Google account against the company's customer_email as saved here now (case-insensitive). The
    /// MCP server compares against the email it was sent at connect time, which a later PATCH does not update; its
    /// flag is used only when it names no calendar account.
    /// </summary>
    internal static bool AccountMismatch(CustomerRecord customer, CalendarStatus status) =>
        status.CalendarEmail is { Length: > 0 } calendarEmail
            ? !string.Equals(calendarEmail.Trim(), customer.CustomerEmail, StringComparison.OrdinalIgnoreCase)
            : status.AccountMismatch;

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
