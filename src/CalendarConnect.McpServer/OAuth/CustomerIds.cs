using System.Text.RegularExpressions;
using CalendarConnect.Shared;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CalendarConnect.McpServer.OAuth;

/// <summary>
/// What a customer id and a customer email may look like, everywhere in the MCP server. Ids are case-insensitive:
/// every id that enters (a route's {customerId}, X-Customer-Id, ?customer_id=, a body's customer_id) is turned into its
/// canonical form, lower-case, at the boundary (<see cref="UseCanonicalCustomerIds"/>, the authorize body), so the
/// rest of the server only ever sees canonical ids.
/// </summary>
public static partial class CustomerIds
{
    public const int MaxLength = 64;

    /// <summary>"COMP-A" → "comp-a": the one form stored and compared.</summary>
    public static string Canonical(string customerId) => CustomerIdCase.Canonical(customerId);

    /// <summary>
    /// Whether an id stored outside our tables (an event's <c>calendarconnect_customer_id</c> at Google, written before
    /// ids were canonical, may be "COMP-A") names this company, whose id is canonical.
    /// </summary>
    public static bool SameCompany(string? stored, string canonicalCustomerId) => stored is not null && Canonical(stored) == canonicalCustomerId;

    /// <summary>Before anything reads them: the route's customerId, the X-Customer-Id header and ?customer_id= values, canonical.</summary>
    public static IApplicationBuilder UseCanonicalCustomerIds(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var request = context.Request;
        if (request.RouteValues.TryGetValue("customerId", out var routeId) && routeId is string id) request.RouteValues["customerId"] = Canonical(id);
        var header = request.Headers[Mcp.CustomerContext.HeaderName];
        if (header.Any(h => h is not null && Canonical(h) != h))
            request.Headers[Mcp.CustomerContext.HeaderName] = new StringValues(header.Select(h => h is null ? null : Canonical(h)).ToArray());
        var query = request.Query["customer_id"];
        if (query.Any(q => q is not null && Canonical(q) != q))
        {
            var values = request.Query.ToDictionary(p => p.Key, p => p.Value);
            values["customer_id"] = new StringValues(query.Select(q => q is null ? null : Canonical(q)).ToArray());
            request.Query = new QueryCollection(values);
        }
        return next(context);
    });

    /// <summary>Letters, digits, '.', '_' and '-', starting with a letter or digit: safe in URLs, headers, logs and SQL.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")] // \z, not $: "$" also matches before a final newline
    private static partial Regex Pattern();

    public static bool IsValid(string? customerId) => customerId is not null && Pattern().IsMatch(customerId);

    /// <summary>The rule the backend applies too (<see cref="Shared.EmailAddressRule"/>), so it never saves an email refused here.</summary>
    public static bool IsValidEmail(string? email) => Shared.EmailAddressRule.IsValid(email);

    public const string Rule = "customer_id must be 1-64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit.";
}
