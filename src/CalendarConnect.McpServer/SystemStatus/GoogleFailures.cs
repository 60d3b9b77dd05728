using CalendarConnect.McpServer.Connections;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.McpServer.OAuth;

namespace CalendarConnect.McpServer.SystemStatus;

/// <summary>The kinds of Google failure the admin's status view counts.</summary>
public static class GoogleFailureKinds
{
    /// <summary>A Calendar API call (freeBusy, events, calendars, watch) that Google failed, refused or did not answer.</summary>
    public const string CalendarApi = "calendar_api";

    /// <summary>A refresh of a company's access token that failed, <c>invalid_grant</c> included.</summary>
    public const string TokenRefresh = "token_refresh";

    public static readonly IReadOnlyList<string> All = [CalendarApi, TokenRefresh];
}

/// <summary>
/// The failures of one company, of one kind, in one minute (UTC): how many, and the latest one's reason, HTTP status
/// (null when Google gave no answer) and time.
/// </summary>
public sealed record GoogleFailureBucket(string CustomerId, string Kind, DateTimeOffset Minute, long Failures, string Reason, int? HttpStatus,
    DateTimeOffset LastAt)
{
    /// <summary>Two counts of the same bucket as one: the sum, with the later failure's details.</summary>
    public GoogleFailureBucket Merge(GoogleFailureBucket other) => other.LastAt >= LastAt
        ? other with { Failures = Failures + other.Failures }
        : this with { Failures = Failures + other.Failures };
}

/// <summary>
/// Where a Google call or a token refresh failed, this is told so (one call at each such point); the failures are counted
/// here per company, kind and minute, and <see cref="GoogleFailureFlusher"/> writes the counts to the database every few
/// seconds, where the status view of every replica reads them. Recording is a dictionary update under a lock: no I/O on
/// the caller's path, and a storm of failures costs one row per company and minute, not one per request. At most
/// <see cref="MaxPendingBuckets"/> buckets wait between two writes; beyond that failures are only counted as dropped.
/// Only a reason code (Google's <c>errors[].reason</c>, the token endpoint's <c>error</c>, or ours such as <c>timeout</c>)
/// is kept, never a message, token or body: <see cref="ReasonCode"/> drops anything else.
/// </summary>
public sealed class GoogleFailures(TimeProvider time)
{
    public const int MaxPendingBuckets = 1000;

    private readonly Lock _gate = new();
    private Dictionary<(string CustomerId, string Kind, DateTimeOffset Minute), GoogleFailureBucket> _pending = [];
    private long _dropped;

    /// <summary>A Calendar API call failed (a refused call of the company's open circuit breaker never reached Google: not counted).</summary>
    public void CalendarCallFailed(string customerId, GoogleApiException failure)
    {
        if (failure.IsCircuitOpen) return;
        Record(customerId, GoogleFailureKinds.CalendarApi, failure.Reason, (int)failure.Status);
    }

    /// <summary>A freeBusy answer named a calendar it could not read (its <c>errors[].reason</c>, or missing from the answer).</summary>
    public void CalendarUnreadable(string customerId, string? reason) => Record(customerId, GoogleFailureKinds.CalendarApi, reason ?? "missing", 0);

    /// <summary>A refresh of the company's access token failed.</summary>
    public void RefreshFailed(string customerId, TokenFailure failure) => Record(customerId, GoogleFailureKinds.TokenRefresh, failure.Error, failure.Status);

    /// <summary>A refresh of the company's access token ran out of its budget (Google hung, or another replica's refresh did).</summary>
    public void RefreshTimedOut(string customerId) => Record(customerId, GoogleFailureKinds.TokenRefresh, RefreshFailures.Timeout, 0);

    /// <param name="status">Google's HTTP status, or 0 when there was no answer.</param>
    public void Record(string customerId, string kind, string? reason, int status)
    {
        var now = time.GetUtcNow();
        var bucket = new GoogleFailureBucket(customerId, kind, MinuteOf(now), 1, ReasonCode.Clean(reason), status > 0 ? status : null, now);
        lock (_gate)
        {
            var key = (bucket.CustomerId, bucket.Kind, bucket.Minute);
            if (_pending.TryGetValue(key, out var pending)) _pending[key] = pending.Merge(bucket);
            else if (_pending.Count < MaxPendingBuckets) _pending[key] = bucket;
            else _dropped++;
        }
    }

    /// <summary>Everything counted since the last call, and how many failures found no room.</summary>
    public (IReadOnlyList<GoogleFailureBucket> Buckets, long Dropped) Drain()
    {
        lock (_gate)
        {
            var drained = _pending.Values.ToList();
            var dropped = _dropped;
            _pending = [];
            _dropped = 0;
            return (drained, dropped);
        }
    }

    /// <summary>Buckets a write could not save come back, to go with the next one (room permitting).</summary>
    public void Return(IReadOnlyList<GoogleFailureBucket> buckets)
    {
        lock (_gate)
        {
            foreach (var bucket in buckets)
            {
                var key = (bucket.CustomerId, bucket.Kind, bucket.Minute);
                if (_pending.TryGetValue(key, out var pending)) _pending[key] = pending.Merge(bucket);
                else if (_pending.Count < MaxPendingBuckets) _pending[key] = bucket;
                else _dropped += bucket.Failures;
            }
        }
    }

    public static DateTimeOffset MinuteOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero);
    }
}

/// <summary>A failure's reason as stored and shown: a short code of letters, digits, '_', '-' and '.', or <see cref="Other"/>.</summary>
public static class ReasonCode
{
    public const int MaxLength = 64;
    public const string Unknown = "unknown";
    public const string Other = "other";

    public static string Clean(string? reason)
    {
        if (string.IsNullOrEmpty(reason)) return Unknown;
        if (reason.Length > MaxLength || !reason.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')) return Other;
        return reason;
    }
}
