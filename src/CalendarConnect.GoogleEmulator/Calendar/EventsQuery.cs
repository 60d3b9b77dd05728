using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>privateExtendedProperty / sharedExtendedProperty: name=value, matched against extendedProperties.{Scope}.</summary>
public sealed record ExtendedPropertyFilter(string Scope, string Name, string Value);

/// <summary>The parameters of events.list (and events.watch, which takes the same), validated like Google does.</summary>
public sealed record EventsQuery(
    Instant? TimeMin,
    Instant? TimeMax,
    Instant? UpdatedMin,
    bool SingleEvents,
    string? OrderBy,
    int MaxResults,
    PageCursor? Page,
    bool ShowDeleted,
    string? Text,
    string? ICalUid,
    IReadOnlyList<ExtendedPropertyFilter> ExtendedProperties,
    string? TimeZone,
    SyncPosition? Sync)
{
    public const int DefaultMaxResults = 250;
    public const int MaxMaxResults = 2500;

    /// <summary>The discovery document's list: these "cannot be specified together with nextSyncToken".</summary>
    private static readonly string[] NotWithSyncToken =
        ["iCalUID", "orderBy", "privateExtendedProperty", "q", "sharedExtendedProperty", "timeMin", "timeMax", "updatedMin"];

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

        PageCursor? page = null;
        if (One("pageToken") is { } pageToken)
        {
            if (!PageCursor.TryRead(pageToken, out var cursor)) return Fail(out error, ApiError.Invalid(parameter: "pageToken"));
            page = cursor;
        }

        var timeZone = One("timeZone");
        if (timeZone is not null && !GoogleTime.TryFindZone(timeZone, out _)) return Fail(out error, ApiError.Invalid(parameter: "timeZone"));

        var properties = new List<ExtendedPropertyFilter>();
        foreach (var (parameter, scope) in new[] { ("privateExtendedProperty", "private"), ("sharedExtendedProperty", "shared") })
        {
            foreach (var constraint in query[parameter])
            {
                var separator = constraint?.IndexOf('=') ?? -1;
                if (separator <= 0) return Fail(out error, ApiError.Invalid(parameter: parameter));
                properties.Add(new ExtendedPropertyFilter(scope, constraint![..separator], constraint[(separator + 1)..]));
            }
        }

        SyncPosition? sync = null;
        if (One("syncToken") is { } syncToken)
        {
            // A token that is not one of ours is "Invalid Value" (recorded), not 410.
            if (!SyncPosition.TryRead(syncToken, out var position)) return Fail(out error, ApiError.Invalid());
            if (NotWithSyncToken.Any(name => query[name].Any(v => !string.IsNullOrEmpty(v))))
                return Fail(out error, ApiError.BadRequest("Sync token cannot be used with other filtering parameters."));
            // Deletions always come back in incremental sync; asking for them to be left out is refused.
            if (One("showDeleted") is not null && !showDeleted)
                return Fail(out error, ApiError.BadRequest("showDeleted cannot be false with a sync token: deleted events are always returned."));
            sync = position;
        }

        return new EventsQuery(timeMin, timeMax, updatedMin, singleEvents, orderBy, maxResults, page,
            showDeleted || sync is not null, One("q"), One("iCalUID"), properties, timeZone, sync);
    }

    /// <summary>Whether the event carries every asked extended property with exactly that value.</summary>
    public bool MatchesExtendedProperties(JsonObject resource) =>
        ExtendedProperties.All(p => resource["extendedProperties"]?[p.Scope]?[p.Name] is JsonValue value
            && value.TryGetValue<string>(out var text) && text == p.Value);

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

/// <summary>
/// Where the next page starts: after the item with sort key <see cref="After"/> (keyset paging, so an event deleted or
/// added between pages never shifts others past the client), and the calendar's change count when the first page was
/// read (<see cref="Upper"/>), which becomes the listing's nextSyncToken: anything changed since comes in the next sync.
/// </summary>
public sealed record PageCursor(long Upper, string After)
{
    public string Write() => PageToken.Encode($"page:{Upper.ToString(CultureInfo.InvariantCulture)}:{After}");

    public static bool TryRead(string token, out PageCursor cursor)
    {
        cursor = new PageCursor(0, "");
        var parts = PageToken.Decode(token)?.Split(':', 3);
        if (parts is not ["page", var upper, var after] || !long.TryParse(upper, NumberStyles.None, CultureInfo.InvariantCulture, out var u))
            return false;
        cursor = new PageCursor(u, after);
        return true;
    }
}

/// <summary>Opaque tokens (page and sync tokens) as URL-safe base64.</summary>
public static class PageToken
{
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
