namespace CalendarConnect.Backend.SystemStatus;

/// <summary>
/// The admin's "Estado del sistema" (GET /v1/system-status): the MCP server's GET /system-status as it answered it, after
/// <see cref="IsWellFormed"/>. Field names are snake_case on both sides. Reasons are short codes (never a message, token or
/// body): <c>invalid_grant</c>, <c>backendError</c>, <c>timeout</c>…
/// </summary>
public sealed record SystemStatusView(DateTimeOffset GeneratedAt, ReauthorizationListView NeedsReauthorization, GoogleFailuresView GoogleFailures,
    MirrorView Mirror)
{
    /// <summary>Every list present and every customer id valid: an answer the page can show as it is.</summary>
    public bool IsWellFormed() =>
        NeedsReauthorization is { Companies: not null } && GoogleFailures is { ByKind: not null, Latest: not null } && Mirror is { Calendars: not null }
        && NeedsReauthorization.Companies.All(c => c is not null && ValidId(c.CustomerId) && c.Reason is not null)
        && GoogleFailures.Latest.All(f => f is not null && ValidId(f.CustomerId) && f.Kind is not null && f.Reason is not null)
        && Mirror.Calendars.All(c => c is not null && ValidId(c.CustomerId) && c.CalendarId is not null);

    private static bool ValidId(string? customerId) => customerId is not null && CustomerCalendars.ConnectRequest.CustomerIdError(customerId) is null;
}

/// <param name="Total">How many companies need re-authorization; <see cref="Companies"/> lists the latest of them (at most 200).</param>
public sealed record ReauthorizationListView(long Total, ReauthorizationView[] Companies);

/// <param name="Reason">Why (<c>invalid_grant</c>: revoked or expired at Google; <c>no_refresh_token</c>).</param>
/// <param name="Since">When the connection stopped working.</param>
public sealed record ReauthorizationView(string CustomerId, string Reason, DateTimeOffset? Since);

/// <param name="ByKind"><c>calendar_api</c> and <c>token_refresh</c>, with their counts in the window.</param>
/// <param name="Latest">The latest failures, newest first: each the latest of a company and kind within one minute, with that minute's count.</param>
public sealed record GoogleFailuresView(int WindowMinutes, DateTimeOffset Since, Dictionary<string, long> ByKind, GoogleFailureView[] Latest);

/// <param name="HttpStatus">Google's HTTP status, or null when Google did not answer (timeout, unreachable).</param>
public sealed record GoogleFailureView(string CustomerId, string Kind, string Reason, int? HttpStatus, long Count, DateTimeOffset LastAt);

/// <param name="Enabled">BUSY_MIRROR on the MCP server; when off there is no mirror and no calendar is listed.</param>
/// <param name="Calendars">Mirrored calendars, least recently synced first (at most 200).</param>
public sealed record MirrorView(bool Enabled, long Total, MirroredCalendarView[] Calendars);

/// <param name="Failures">Failed syncs in a row; <paramref name="LastError"/> the last one's reason code.</param>
public sealed record MirroredCalendarView(string CustomerId, string CalendarId, DateTimeOffset? SyncedAt, int Failures, string? LastError);
