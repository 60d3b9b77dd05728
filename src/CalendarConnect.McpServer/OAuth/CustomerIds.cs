using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CalendarConnect.McpServer.OAuth;

/// <summary>
/// Customer ids at the MCP server's boundary (what an id may look like is <see cref="CustomerIdRule"/>). Ids are case-insensitive:
/// every id that enters (a route's {customerId}, X-Customer-Id, ?customer_id=, a body's customer_id) is turned into its
/// canonical form, lower-case, at the boundary (<see cref="UseCanonicalCustomerIds"/>, the authorize body), so the
/// rest of the server only ever sees canonical ids.
/// </summary>
public static class CustomerIds
{
    /// <summary>
    /// Whether an id stored outside our tables (an event's <c>calendarconnect_customer_id</c> at Google, written before
    /// ids were canonical, may be "COMP-A") names this company, whose id is canonical.
    /// </summary>
    public static bool SameCompany(string? stored, string canonicalCustomerId) => stored is not null && CustomerIdRule.Canonical(stored) == canonicalCustomerId;

    /// <summary>Before anything reads them: the route's customerId, the X-Customer-Id header and ?customer_id= values, canonical.</summary>
    public static IApplicationBuilder UseCanonicalCustomerIds(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var request = context.Request;
        if (request.RouteValues.TryGetValue("customerId", out var routeId) && routeId is string id) request.RouteValues["customerId"] = CustomerIdRule.Canonical(id);
        var header = request.Headers[CustomerIdHeader.Name];
        if (header.Any(h => h is not null && CustomerIdRule.Canonical(h) != h))
            request.Headers[CustomerIdHeader.Name] = new StringValues(header.Select(h => h is null ? null : CustomerIdRule.Canonical(h)).ToArray());
        var query = request.Query["customer_id"];
        if (query.Any(q => q is not null && CustomerIdRule.Canonical(q) != q))
        {
            var values = request.Query.ToDictionary(p => p.Key, p => p.Value);
            values["customer_id"] = new StringValues(query.Select(q => q is null ? null : CustomerIdRule.Canonical(q)).ToArray());
            request.Query = new QueryCollection(values);
        }
        return next(context);
    });
}
