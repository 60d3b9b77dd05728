namespace CalendarConnect.Backend.Web;

/// <summary>
/// Customer ids are case-insensitive: "COMP-A" and "comp-a" are one company, stored and answered as "comp-a". Every
/// id that enters the backend is made canonical here, at the boundary: the routes' {customer_id} by the middleware
/// below, the connect body by <see cref="CustomerCalendars.ConnectRequest"/> and the assistant's body by its endpoint,
/// so the rest of the backend only ever sees canonical ids.
/// </summary>
public static class CanonicalCustomerIds
{
    public const string RouteValue = "customer_id";

    public static string Of(string customerId) => CustomerIdRule.Canonical(customerId);

    /// <summary>The route's {customer_id}, canonical before any endpoint binds it.</summary>
    public static WebApplication UseCanonicalCustomerIds(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.Request.RouteValues.TryGetValue(RouteValue, out var value) && value is string id)
                context.Request.RouteValues[RouteValue] = Of(id);
            return next(context);
        });
        return app;
    }
}
