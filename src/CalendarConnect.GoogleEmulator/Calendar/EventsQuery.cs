using System.Globalization;
using System.Text;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>The parameters of events.list, validated like Google does.</summary>
public sealed record EventsQuery(
    Instant? TimeMin,
    Instant? TimeMax,
    Instant? UpdatedMin,
    bool SingleEvents,
    string? OrderBy,
    int MaxResults,
    int Offset,
    bool ShowDeleted,
    string? Text,
    string? TimeZone,
    SyncPosition? Sync)
{
    public const int DefaultMaxResults = 250;
    public const int MaxMaxResults = 2500;

    public static EventsQuery? Parse(IQueryCollection query, out ApiError? error)
    {
        error = null;
        string? One(string name) => query[name].FirstOrDefault() is { Length: > 0 } v ? v : null;

        Instant? timeMin = null, timeMax = null, updatedMin = null;
        foreach (var (name, assign) in new (string, Action<Instant>)[]
                 { ("timeMin", v => timeMin = v), ("timeMax", v => timeMax = v), ("updatedMin", v => updatedMin = v) })
        {
            if (One(name) is not { } text) continue;
            // Google insists on an offset: "2025-03-01T00:00:00" alone is a 400.
            if (!GoogleTime.TryParseWithOffset(text, out var instant)) return Fail(out error, ApiError.BadRequest());
            assign(instant);
        }
        if (timeMin is { } min && timeMax is { } max && max <= min) return Fail(out error, ApiError.TimeRangeEmpty with { Location = "timeMax", LocationType = "parameter" });

        if (!TryBool(One("singleEvents"), out var singleEvents)) return Fail(out error, ApiError.Invalid(parameter: "singleEvents"));
        if (!TryBool(One("showDeleted"), out var showDeleted)) return Fail(out error, ApiError.Invalid(parameter: "showDeleted"));

        var orderBy = One("orderBy");
        if (orderBy is not null and not ("startTime" or "updated")) return Fail(out error, ApiError.Invalid(parameter: "orderBy"));
        if (orderBy == "startTime" && !singleEvents)
            return Fail(out error, ApiError.BadRequest("The requested ordering is not available for the particular query."));

        var maxResults = DefaultMaxResults;
        if (One("maxResults") is { } m)
        {
            if (!int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out maxResults) || maxResults < 1)
                return Fail(out error, ApiError.Invalid(parameter: "maxResults"));
            maxResults = Math.Min(maxResults, MaxMaxResults);
        }

        var offset = 0;
        if (One("pageToken") is { } pageToken && !PageToken.TryRead(pageToken, out offset))
            return Fail(out error, ApiError.Invalid(parameter: "pageToken"));

        var timeZone = One("timeZone");
        if (timeZone is not null && !GoogleTime.TryFindZone(timeZone, out _)) return Fail(out error, ApiError.Invalid(parameter: "timeZone"));

        SyncPosition? sync = null;
        if (One("syncToken") is { } syncToken)
        {
            if (!SyncPosition.TryRead(syncToken, out var position))
                return Fail(out error, ApiError.Invalid() with { Location = "syncToken", LocationType = "parameter" });
            // Google refuses sync tokens combined with filters that would change the result set.
            if (timeMin is not null || timeMax is not null || updatedMin is not null || orderBy is not null || One("q") is not null || One("iCalUID") is not null)
                return Fail(out error, ApiError.BadRequest("Sync token cannot be used with other filtering parameters."));
            sync = position;
        }

        return new EventsQuery(timeMin, timeMax, updatedMin, singleEvents, orderBy, maxResults, offset,
            showDeleted || sync is not null, One("q"), timeZone, sync);
    }

    private static bool TryBool(string? text, out bool value)
    {
        value = false;
        if (text is null) return true;
        return bool.TryParse(text, out value);
    }

    private static EventsQuery? Fail(out ApiError? error, ApiError value)
    {
        error = value;
        return null;
    }
}

/// <summary>Opaque page tokens: an offset into the (deterministically ordered) result.</summary>
public static class PageToken
{
    public static string Write(int offset) => Encode($"page:{offset}");

    public static bool TryRead(string token, out int offset)
    {
        offset = 0;
        return Decode(token) is { } text && text.StartsWith("page:", StringComparison.Ordinal)
            && int.TryParse(text[5..], NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }

    internal static string Encode(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).Replace('+', '-').Replace('/', '_');

    internal static string? Decode(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/')));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>A sync token: which calendar generation and how many changes the client has seen.</summary>
public sealed record SyncPosition(string Epoch, long ChangeCount)
{
    public string Write() => PageToken.Encode($"sync:{Epoch}:{ChangeCount}");

    public static bool TryRead(string token, out SyncPosition position)
    {
        position = new SyncPosition("", 0);
        var parts = PageToken.Decode(token)?.Split(':');
        if (parts is not ["sync", var epoch, var count] || !long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            return false;
        position = new SyncPosition(epoch, n);
        return true;
    }
}
