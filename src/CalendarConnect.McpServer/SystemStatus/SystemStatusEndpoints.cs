using System.Globalization;
using CalendarConnect.McpServer.Http;
using CalendarConnect.McpServer.Security;

namespace CalendarConnect.McpServer.SystemStatus;

/// <summary>
/// GET /system-status?window_minutes={1..1440, default 60}&amp;latest={1..50, default 10} (service key): companies needing
/// re-authorization, Google failures in the window (counts by kind, the latest few), and each mirrored calendar's last sync.
/// The backend shows it to the admin as "Estado del sistema".
/// </summary>
public static class SystemStatusEndpoints
{
    public const int DefaultWindowMinutes = 60;
    public const int MaxWindowMinutes = 1440; // the failures are kept a day (GoogleFailureFlusher.Retention)
    public const int DefaultLatest = 10;
    public const int MaxLatest = 50;

    public static IEndpointRouteBuilder MapSystemStatus(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/system-status", GetAsync).RequireAuthorization(Policies.Service);
        return routes;
    }

    private static async Task<IResult> GetAsync(HttpRequest request, SystemStatusReader reader, CancellationToken cancellationToken)
    {
        if (request.Query["window_minutes"].Count > 1 || request.Query["latest"].Count > 1)
            return Problems.BadRequest("Give window_minutes and latest at most once each.");
        if (!ReadNumber(request.Query["window_minutes"], DefaultWindowMinutes, MaxWindowMinutes, out var windowMinutes))
            return Problems.BadRequest($"window_minutes must be a whole number from 1 to {MaxWindowMinutes}.");
        if (!ReadNumber(request.Query["latest"], DefaultLatest, MaxLatest, out var latest))
            return Problems.BadRequest($"latest must be a whole number from 1 to {MaxLatest}.");
        return TypedResults.Ok(await reader.ReadAsync(windowMinutes, latest, cancellationToken));
    }

    /// <summary>Digits only, from 1 to <paramref name="max"/>; absent is <paramref name="fallback"/>.</summary>
    private static bool ReadNumber(string? raw, int fallback, int max, out int value)
    {
        value = fallback;
        if (raw is null) return true;
        return raw.Length is > 0 and <= 5 && raw.All(char.IsAsciiDigit)
            && int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1 && value <= max;
    }
}
