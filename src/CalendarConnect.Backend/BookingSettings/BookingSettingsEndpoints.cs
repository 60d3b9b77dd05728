using CalendarConnect.Backend.CustomerCalendars;
using CalendarConnect.Backend.McpServer;
using CalendarConnect.Backend.SignIn;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Backend.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using CalendarConnect.Infrastructure.Http;

namespace CalendarConnect.Backend.BookingSettings;

/// <summary>
/// GET|PUT /v1/customer-calendars/{customer_id}/booking-settings: a company's booking rules (weekly hours, slot length,
/// buffers, notice, horizon, calendars), kept by the MCP server; the backend is the admin's door to them.
/// </summary>
public static class BookingSettingsEndpoints
{
    /// <param name="company">/v1/customer-calendars/{customer_id}: admin only, the id checked (<see cref="CustomerIdFilter"/>).</param>
    public static RouteGroupBuilder MapBookingSettings(this RouteGroupBuilder company)
    {
        var group = company.MapGroup("/booking-settings")
            .WithTags("Booking settings")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        group.MapGet("", GetAsync).WithSummary("The company's booking settings (the defaults when it never saved any)")
            .WithDescription("409 when the stored settings are no longer valid; the problem says how to fix them (save new ones).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        // The body is declared optional so that JSON null is the "body must be an object" error as before; an empty
        // body is answered by PutAsync.
        group.MapPut("", PutAsync).AddEndpointFilter<CookieAntiforgeryFilter>()
            .WithJsonBody<BookingSettingsRequest>(() => ApiTexts.SettingsBodyShape, BookingSettingsRequest.UnknownField, optional: true,
                wrongValue: BookingSettingsRequest.WrongValue)
            .Accepts<BookingSettingsDocument>("application/json")
            .WithSummary("Replace the company's booking settings")
            .WithDescription("weekly_hours maps mon..sun to [\"HH:MM\", \"HH:MM\"] ranges; an empty list means closed. " +
                             "allow_off_grid_starts (default false) lets a booking start at any minute within the hours, not only at the slot starts. " +
                             "Refusals the MCP server makes (an unreadable calendar id) come back as 400 with \"errors\" too.");
        return company;
    }

    /// <summary>The company's settings, or the defaults when it never saved any.</summary>
    public static async Task<Results<Ok<BookingSettingsDocument>, ValidationProblem, ProblemHttpResult>> GetAsync(
        [FromRoute(Name = "customer_id")] string customerId, CustomerMemory memory, McpServerClient mcp, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (await memory.FindAsync(customerId, cancellationToken) is null) return Problems.UnknownCustomer(customerId);
        try
        {
            return TypedResults.Ok(await mcp.GetBookingSettingsAsync(customerId, cancellationToken));
        }
        catch (McpServerException ex)
        {
            loggers.CreateLogger(typeof(BookingSettingsEndpoints)).LogWarning("Booking settings of {CustomerId}: {Message}", customerId, ex.Message);
            return Problems.McpServerUnavailable();
        }
    }

    /// <summary>Replaces the whole object (fields left out take their defaults), as the MCP server does.</summary>
    public static async Task<Results<Ok<BookingSettingsDocument>, ValidationProblem, ProblemHttpResult>> PutAsync(
        [FromRoute(Name = "customer_id")] string customerId,
        // Declared optional (null for no body) but non-nullable, so the API document shows the record, not "null or it".
        [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] BookingSettingsRequest request,
        CustomerMemory memory, McpServerClient mcp, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // Bound and validated by the framework (WithJsonBody); a PUT without a body has nothing to replace the settings with.
        if (request is null) return Problems.Create(StatusCodes.Status400BadRequest, ApiTexts.EmptyBodyTitle, ApiTexts.EmptyBodyDetail);
        var json = request.ToMcpJson();

        if (await memory.FindAsync(customerId, cancellationToken) is null) return Problems.UnknownCustomer(customerId);
        var logger = loggers.CreateLogger(typeof(BookingSettingsEndpoints));
        try
        {
            var result = await mcp.PutBookingSettingsAsync(customerId, json, cancellationToken);
            if (result.Errors is { } refused)
                return TypedResults.ValidationProblem(refused, title: "Configuración rechazada",
                    detail: "El servidor de calendarios rechazó la configuración de horarios. Revise los campos indicados en \"errors\".");
            logger.LogInformation("Saved booking settings of {CustomerId}", customerId);
            return TypedResults.Ok(result.Saved!);
        }
        catch (McpServerException ex)
        {
            logger.LogWarning("Save booking settings of {CustomerId}: {Message}", customerId, ex.Message);
            return Problems.McpServerUnavailable();
        }
    }
}
