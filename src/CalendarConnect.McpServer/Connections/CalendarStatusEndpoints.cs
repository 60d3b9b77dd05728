using System.Text.Json.Serialization;
using CalendarConnect.McpServer.Http;
using CalendarConnect.McpServer.OAuth;
using CalendarConnect.McpServer.TokenVault;

namespace CalendarConnect.McpServer.Connections;

public sealed record CalendarStatusResponse(
    [property: JsonPropertyName("customer_id")] string CustomerId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("calendar_connected")] bool CalendarConnected,
    [property: JsonPropertyName("calendar_email")] string? CalendarEmail,
    [property: JsonPropertyName("customer_email")] string? CustomerEmail,
    [property: JsonPropertyName("account_mismatch")] bool AccountMismatch,
    [property: JsonPropertyName("last_error")] string? LastError,
    [property: JsonPropertyName("updated_at")] DateTimeOffset? UpdatedAt);

/// <summary>Spec step 6 ("Estado final"): the live connection status that the backend shows the admin.</summary>
public static class CalendarStatusEndpoints
{
    public static IEndpointRouteBuilder MapCalendarStatus(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/customers/{customerId}/calendar-status", GetStatusAsync).RequireAuthorization();
        return routes;
    }

    private static async Task<IResult> GetStatusAsync(string customerId, TokenStore tokens, CancellationToken cancellationToken)
    {
        if (!CustomerIds.IsValid(customerId)) return Problems.BadRequest(CustomerIds.Rule);
        var summary = await tokens.GetSummaryAsync(customerId, cancellationToken);
        return TypedResults.Ok(new CalendarStatusResponse(summary.CustomerId, summary.Status,
            summary.Status == ConnectionStatus.Connected, summary.CalendarEmail, summary.CustomerEmail, summary.AccountMismatch,
            summary.LastError, summary.UpdatedAt));
    }
}
