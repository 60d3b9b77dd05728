using System.Text.Json;
using CalendarConnect.Infrastructure.Http;
using CalendarConnect.McpServer.Http;
using CalendarConnect.McpServer.Mirror;
using CalendarConnect.McpServer.OAuth;
using CalendarConnect.McpServer.Security;

namespace CalendarConnect.McpServer.Availability;

/// <summary>
/// <c>GET|PUT /customers/{customer_id}/booking-settings</c> (service key): the rules slots are computed with.
/// GET of a company that never saved any answers the defaults; PUT replaces the whole object.
/// </summary>
public static class BookingSettingsEndpoints
{
    public static IEndpointRouteBuilder MapBookingSettings(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/customers/{customerId}/booking-settings").RequireAuthorization(Policies.Service);
        group.MapGet("", GetAsync);
        // Any JSON is bound (strict, within the size limit); BookingSettingsJson reads it, as it reads a stored row.
        group.MapPut("", PutAsync).WithJsonBody<JsonElement>(() => "The body must be a JSON object with the booking settings.",
            _ => "The booking settings have no such field.");
        return routes;
    }

    private static async Task<IResult> GetAsync(string customerId, BookingSettingsStore store, CancellationToken cancellationToken)
    {
        if (!CustomerIdRule.IsValid(customerId)) return Problems.BadRequest(CustomerIdRule.Description);
        BookingSettings settings;
        try
        {
            settings = await store.GetAsync(customerId, cancellationToken);
        }
        catch (InvalidStoredSettingsException e)
        {
            // A row edited by hand: say what is wrong and how to fix it (PUT replaces it), rather than failing with 500.
            return Problems.BadRequest(e.Message, StatusCodes.Status409Conflict);
        }

        return TypedResults.Json(BookingSettingsJson.ToJson(settings));
    }

    private static async Task<IResult> PutAsync(string customerId, JsonElement body, BookingSettingsStore store, MirrorSignals mirror,
        CancellationToken cancellationToken)
    {
        if (!CustomerIdRule.IsValid(customerId)) return Problems.BadRequest(CustomerIdRule.Description);
        var (settings, errors) = BookingSettingsJson.Parse(body);
        if (settings is null) return Problems.BadRequest("The booking settings are not valid; see errors for each field.", errors: errors);
        await store.SaveAsync(customerId, settings, cancellationToken);
        mirror.Reconcile(customerId); // calendar_ids may have changed
        return TypedResults.Json(BookingSettingsJson.ToJson(settings));
    }
}
