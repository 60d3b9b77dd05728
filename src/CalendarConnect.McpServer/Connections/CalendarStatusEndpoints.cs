using System.Text.Json.Serialization;
using CalendarConnect.McpServer.Http;
using CalendarConnect.McpServer.OAuth;
using CalendarConnect.McpServer.Security;
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
    [property: JsonPropertyName("updated_at")] DateTimeOffset? UpdatedAt,
    [property: JsonPropertyName("account_attempt")] AccountAttempt? AccountAttempt)
{
    /// <param name="attempt">The company's latest consent with another Google account than expected, which connected nothing.</param>
    public static CalendarStatusResponse From(ConnectionSummary s, AccountAttempt? attempt) => new(s.CustomerId, s.Status,
        s.Status == ConnectionStatus.Connected, s.CalendarEmail, s.CustomerEmail, s.AccountMismatch, s.LastError, s.UpdatedAt, attempt);
}

/// <param name="GrantMayStillBeActive">Google did not confirm the revocation: until it does, the company's consent may still work there.</param>
/// <param name="RevocationRetrying">The revocation is retried in the background (see <see cref="RevocationRetries"/>).</param>
public sealed record DisconnectResponse(
    [property: JsonPropertyName("customer_id")] string CustomerId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("revoked_at_google")] bool RevokedAtGoogle,
    [property: JsonPropertyName("grant_may_still_be_active")] bool GrantMayStillBeActive,
    [property: JsonPropertyName("revocation_retrying")] bool RevocationRetrying);

/// <summary>
/// Spec step 6 ("Estado final"): the live connection status that the backend shows the admin, one company or
/// many at once, and the feed of status changes; and the disconnection of a company's calendar.
/// </summary>
public static class CalendarStatusEndpoints
{
    public const int MaxBatch = 100;

    public static IEndpointRouteBuilder MapCalendarStatus(this IEndpointRouteBuilder routes)
    {
        var customers = routes.MapGroup("/customers").RequireAuthorization(Policies.Service);
        customers.MapGet("/calendar-status", GetManyAsync);
        customers.MapGet("/calendar-status/changes", GetChangesAsync);
        customers.MapGet("/{customerId}/calendar-status", GetStatusAsync);
        customers.MapDelete("/{customerId}/calendar", DisconnectAsync);
        return routes;
    }

    private static async Task<IResult> GetStatusAsync(string customerId, TokenStore tokens, AccountAttempts attempts, CancellationToken cancellationToken)
    {
        if (!CustomerIdRule.IsValid(customerId)) return Problems.BadRequest(CustomerIdRule.Description);
        var attempt = (await attempts.OfCustomersAsync([customerId], cancellationToken)).GetValueOrDefault(customerId);
        return TypedResults.Ok(CalendarStatusResponse.From(await tokens.GetSummaryAsync(customerId, cancellationToken), attempt));
    }

    /// <summary>GET /customers/calendar-status?customer_id=a&amp;customer_id=b: one item per id asked, in order.</summary>
    private static async Task<IResult> GetManyAsync(HttpRequest request, TokenStore tokens, AccountAttempts attempts, CancellationToken cancellationToken)
    {
        var ids = request.Query["customer_id"].Where(id => !string.IsNullOrEmpty(id)).Select(id => id!).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0) return Problems.BadRequest("Name the companies with one or more customer_id query parameters.");
        if (ids.Count > MaxBatch) return Problems.BadRequest($"Ask for at most {MaxBatch} companies at a time.");
        if (ids.FirstOrDefault(id => !CustomerIdRule.IsValid(id)) is not null) return Problems.BadRequest(CustomerIdRule.Description);
        var summaries = await tokens.GetSummariesAsync(ids, cancellationToken);
        var attemptsOf = await attempts.OfCustomersAsync(ids, cancellationToken);
        return TypedResults.Ok(summaries.Select(s => CalendarStatusResponse.From(s, attemptsOf.GetValueOrDefault(s.CustomerId))).ToList());
    }

    /// <summary>
    /// GET /customers/calendar-status/changes?after={seq}&amp;limit={n}: the status changes recorded after the cursor
    /// (0 = from the start), at most <c>limit</c> (default 500, at most 1000). The backend follows it to filter its
    /// list by status without asking about every company.
    /// </summary>
    private static async Task<IResult> GetChangesAsync(HttpRequest request, CalendarStatusFeed feed, CancellationToken cancellationToken)
    {
        if (request.Query["after"].Count > 1 || request.Query["limit"].Count > 1) return Problems.BadRequest("Give after and limit at most once each.");
        if (!ReadWholeNumber(request.Query["after"], 0, long.MaxValue, out var after))
            return Problems.BadRequest("after must be a whole number, 0 or more: the cursor of the last answer (0 to start).");
        if (!ReadWholeNumber(request.Query["limit"], CalendarStatusFeed.DefaultLimit, CalendarStatusFeed.MaxLimit, out var limit) || limit < 1)
            return Problems.BadRequest($"limit must be a whole number from 1 to {CalendarStatusFeed.MaxLimit}.");
        return TypedResults.Ok(await feed.ReadAsync(after, (int)limit, cancellationToken));
    }

    /// <summary>Digits only (no sign, spaces or exponent), at most <paramref name="max"/>; absent or empty is <paramref name="fallback"/>.</summary>
    private static bool ReadWholeNumber(string? raw, long fallback, long max, out long value)
    {
        value = fallback;
        if (string.IsNullOrEmpty(raw)) return true;
        return raw.Length <= 19 && raw.All(char.IsAsciiDigit)
            && long.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value)
            && value <= max;
    }

    private static async Task<IResult> DisconnectAsync(string customerId, Disconnection disconnection, CancellationToken cancellationToken)
    {
        if (!CustomerIdRule.IsValid(customerId)) return Problems.BadRequest(CustomerIdRule.Description);
        var (revoked, retrying) = await disconnection.DisconnectAsync(customerId, cancellationToken);
        return TypedResults.Ok(new DisconnectResponse(customerId, ConnectionStatus.NotConnected, revoked, retrying, retrying));
    }
}
