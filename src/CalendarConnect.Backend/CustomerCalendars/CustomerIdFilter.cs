using CalendarConnect.Backend.Web;

namespace CalendarConnect.Backend.CustomerCalendars;

/// <summary>
/// The one check of the route's {customer_id}, on the group of everything under /v1/customer-calendars/{customer_id}:
/// an id that breaks the customer_id rule is a 400 naming customer_id before any endpoint of a company runs.
/// </summary>
public sealed class CustomerIdFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Request.RouteValues.GetValueOrDefault(CanonicalCustomerIds.RouteValue) is not string customerId
        || CustomerCalendarsEndpoints.CustomerIdProblem(customerId) is not { } problem
            ? next(context)
            : ValueTask.FromResult<object?>(problem);
}
