using System.Text.Json.Serialization;
using CalendarConnect.McpServer.Configuration;
using CalendarConnect.McpServer.Mirror;
using CalendarConnect.McpServer.Storage;
using CalendarConnect.McpServer.TokenVault;
using Dapper;
using Microsoft.Extensions.Options;

namespace CalendarConnect.McpServer.SystemStatus;

/// <summary>A company whose Google connection must be authorized again: why (<c>invalid_grant</c>, <c>no_refresh_token</c>) and since when.</summary>
public sealed record ReauthorizationNeeded(
    [property: JsonPropertyName("customer_id")] string CustomerId,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("since")] DateTimeOffset? Since);

public sealed record ReauthorizationList(
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("companies")] IReadOnlyList<ReauthorizationNeeded> Companies);

public sealed record GoogleFailureItem(
    [property: JsonPropertyName("customer_id")] string CustomerId,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("http_status")] int? HttpStatus,
    [property: JsonPropertyName("count")] long Count,
    [property: JsonPropertyName("last_at")] DateTimeOffset LastAt)
{
    public static GoogleFailureItem From(GoogleFailureBucket b) => new(b.CustomerId, b.Kind, b.Reason, b.HttpStatus, b.Failures, b.LastAt);
}

/// <param name="ByKind">Every kind (<see cref="GoogleFailureKinds"/>) with its count, 0 when none.</param>
/// <param name="Latest">The latest minutes with failures, newest first: each the latest failure of a company and kind in that minute.</param>
public sealed record GoogleFailureReport(
    [property: JsonPropertyName("window_minutes")] int WindowMinutes,
    [property: JsonPropertyName("since")] DateTimeOffset Since,
    [property: JsonPropertyName("by_kind")] IReadOnlyDictionary<string, long> ByKind,
    [property: JsonPropertyName("latest")] IReadOnlyList<GoogleFailureItem> Latest);

public sealed record MirroredCalendarStatus(
    [property: JsonPropertyName("customer_id")] string CustomerId,
    [property: JsonPropertyName("calendar_id")] string CalendarId,
    [property: JsonPropertyName("synced_at")] DateTimeOffset? SyncedAt,
    [property: JsonPropertyName("failures")] int Failures,
    [property: JsonPropertyName("last_error")] string? LastError);

/// <param name="Enabled">BUSY_MIRROR: when off, no calendar is mirrored and <see cref="Calendars"/> is empty.</param>
/// <param name="Calendars">The mirrored calendars, least recently synced first (never synced before all).</param>
public sealed record MirrorReport(
    [property: JsonPropertyName("enabled")] bool Enabled,
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("calendars")] IReadOnlyList<MirroredCalendarStatus> Calendars);

/// <summary>GET /system-status: what the admin's "Estado del sistema" shows, as every replica sees it (all from the database).</summary>
public sealed record SystemStatusReport(
    [property: JsonPropertyName("generated_at")] DateTimeOffset GeneratedAt,
    [property: JsonPropertyName("needs_reauthorization")] ReauthorizationList NeedsReauthorization,
    [property: JsonPropertyName("google_failures")] GoogleFailureReport GoogleFailures,
    [property: JsonPropertyName("mirror")] MirrorReport Mirror);

/// <summary>
/// Reads the status view's three parts from tokens.db: connections needing re-authorization (oauth_tokens), Google failures
/// in a recent window (<see cref="GoogleFailureStore"/>), and each mirrored calendar's last sync (mirror_calendars). Each list
/// is bounded (<see cref="MaxListed"/>) and says its total.
/// </summary>
public sealed class SystemStatusReader(TokenDatabase database, GoogleFailureStore failures, IOptions<McpServerSettings> settings, TimeProvider time)
{
    public const int MaxListed = 200;

#pragma warning disable IDE1006
    private sealed class ReauthorizationRow
    {
        public string customer_id { get; init; } = "";
        public string? last_error { get; init; }
        public string? updated_at { get; init; }
    }

    private sealed class MirrorRow
    {
        public string customer_id { get; init; } = "";
        public string calendar_id { get; init; } = "";
        public string? synced_at { get; init; }
        public int failures { get; init; }
        public string? last_error { get; init; }
    }
#pragma warning restore IDE1006

    public async Task<SystemStatusReport> ReadAsync(int windowMinutes, int latest, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var since = now - TimeSpan.FromMinutes(windowMinutes);
        var summary = await failures.ReadAsync(since, latest, cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);

        var reauthorizationTotal = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM oauth_tokens WHERE status = @status", new { status = ConnectionStatus.NeedsReauthorization }, cancellationToken: cancellationToken));
        var reauthorization = await connection.QueryAsync<ReauthorizationRow>(new CommandDefinition("""
            SELECT customer_id, last_error, updated_at FROM oauth_tokens WHERE status = @status
            ORDER BY updated_at DESC, customer_id LIMIT @limit
            """, new { status = ConnectionStatus.NeedsReauthorization, limit = MaxListed }, cancellationToken: cancellationToken));

        var mirrorEnabled = settings.Value.BusyMirror;
        long mirrorTotal = 0;
        IReadOnlyList<MirroredCalendarStatus> calendars = [];
        if (mirrorEnabled)
        {
            mirrorTotal = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM mirror_calendars", cancellationToken: cancellationToken));
            calendars = (await connection.QueryAsync<MirrorRow>(new CommandDefinition("""
                    SELECT customer_id, calendar_id, synced_at, failures, last_error FROM mirror_calendars
                    ORDER BY CASE WHEN synced_at IS NULL THEN 0 ELSE 1 END, synced_at, customer_id, calendar_id LIMIT @limit
                    """, new { limit = MaxListed }, cancellationToken: cancellationToken)))
                .Select(r => new MirroredCalendarStatus(r.customer_id, r.calendar_id, MirrorTime.Parse(r.synced_at)?.ToDateTimeOffset(), r.failures,
                    r.last_error is null ? null : ReasonCode.Clean(r.last_error)))
                .ToList();
        }

        return new SystemStatusReport(now,
            new ReauthorizationList(reauthorizationTotal, reauthorization
                .Select(r => new ReauthorizationNeeded(r.customer_id, ReasonCode.Clean(r.last_error), TokenStore.ParseTimestamp(r.updated_at)))
                .ToList()),
            new GoogleFailureReport(windowMinutes, since, summary.ByKind, summary.Latest.Select(GoogleFailureItem.From).ToList()),
            new MirrorReport(mirrorEnabled, mirrorTotal, calendars));
    }
}
