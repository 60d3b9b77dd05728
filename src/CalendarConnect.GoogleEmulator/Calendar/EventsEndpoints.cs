using System.Globalization;
using System.Text.Json.Nodes;
using CalendarConnect.GoogleEmulator.Accounts;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>events.list/get/insert/patch/update/delete on the caller's primary calendar.</summary>
public static class EventsEndpoints
{
    public static IResult List(string calendarId, HttpContext context, AccountStore accounts, TimeProvider clock)
    {
        var caller = ApiCaller.From(context);
        if (!caller.CanReadEvents) return ApiError.InsufficientPermissions("calendar.v3.Events.List");
        if (!caller.Owns(calendarId) || accounts.Snapshot(caller.Email) is not { } calendar) return ApiError.NotFound;
        if (EventsQuery.Parse(context.Request.Query, out var invalid) is not { } query) return invalid!;

        IEnumerable<ViewItem> items;
        if (query.Sync is { } sync)
        {
            if (!IsCurrent(sync, calendar) || (query.SingleEvents && !CalendarView.CanExpandChangesSince(calendar, sync.ChangeCount)))
                return ApiError.FullSyncRequired;
            items = CalendarView.Changes(calendar, sync.ChangeCount, query.SingleEvents, CalendarView.Horizon(null, null, clock.ToInstant()));
        }
        else
        {
            var horizon = CalendarView.Horizon(query.TimeMin, query.TimeMax, clock.ToInstant());
            // "When specified [updatedMin], entries deleted since this time will always be included regardless of showDeleted."
            var showDeleted = query.ShowDeleted || query.UpdatedMin is not null;
            items = CalendarView.Items(calendar, query.TimeMin, query.TimeMax, query.SingleEvents, showDeleted, horizon)
                .Where(i => Selected(i.Resource, query));
        }

        // Keyset paging over one total order; the first page's change count is what the last page hands out as nextSyncToken.
        var upper = query.Page?.Upper ?? calendar.ChangeCount;
        var remaining = items.Select(i => (Key: SortKey(i, query.OrderBy), Item: i))
            .Where(k => query.Page is not { } page || string.CompareOrdinal(k.Key, page.After) > 0)
            .OrderBy(k => k.Key, StringComparer.Ordinal)
            .ToList();
        var onPage = remaining.Take(query.MaxResults).ToList();
        var more = remaining.Count > onPage.Count;

        var outputZone = query.TimeZone is { } zoneId ? DateTimeZoneProviders.Tzdb[zoneId] : calendar.Zone;
        var body = CalendarResources.Events(calendar, query.TimeZone,
            onPage.Select(k => EventRendering.InZone(k.Item.Resource, outputZone, calendar.Zone)),
            more ? new PageCursor(upper, onPage[^1].Key).Write() : null,
            more ? null : new SyncPosition(calendar.SyncEpoch, upper).Write());
        if (Etags.NotModified(context, EventResource.Text(body, "etag"))) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return GoogleJson.Api(body);
    }

    public static IResult Get(string calendarId, string eventId, HttpContext context, CalendarEvents events)
    {
        var caller = ApiCaller.From(context);
        if (!caller.CanReadEvents) return ApiError.InsufficientPermissions("calendar.v3.Events.Get");
        if (!caller.Owns(calendarId)) return ApiError.NotFound;
        DateTimeZone? zone = null;
        if (context.Request.Query["timeZone"].FirstOrDefault() is { Length: > 0 } zoneId && !GoogleTime.TryFindZone(zoneId, out zone))
            return ApiError.Invalid(parameter: "timeZone");
        if (events.Get(caller.Email, eventId, zone, out var error) is not { } resource) return error!;
        if (Etags.NotModified(context, EventResource.Text(resource, "etag"))) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return GoogleJson.Api(resource);
    }

    public static async Task<IResult> Insert(string calendarId, HttpContext context, CalendarEvents events)
    {
        var caller = ApiCaller.From(context);
        if (!caller.CanWriteEvents) return ApiError.InsufficientPermissions("calendar.v3.Events.Insert");
        if (!caller.Owns(calendarId)) return ApiError.NotFound;
        var (body, parseError) = await JsonBody.ReadObjectAsync(context.Request);
        if (body is null) return parseError!;
        return events.Insert(caller.Email, body, asGiven: false, out var error) is { } stored ? GoogleJson.Api(stored) : error!;
    }

    public static Task<IResult> Patch(string calendarId, string eventId, HttpContext context, CalendarEvents events) =>
        Change(calendarId, eventId, context, events, replaceWhole: false, "calendar.v3.Events.Patch");

    public static Task<IResult> Update(string calendarId, string eventId, HttpContext context, CalendarEvents events) =>
        Change(calendarId, eventId, context, events, replaceWhole: true, "calendar.v3.Events.Update");

    public static IResult Delete(string calendarId, string eventId, HttpContext context, CalendarEvents events)
    {
        var caller = ApiCaller.From(context);
        if (!caller.CanWriteEvents) return ApiError.InsufficientPermissions("calendar.v3.Events.Delete");
        if (!caller.Owns(calendarId)) return ApiError.NotFound;
        return events.Delete(caller.Email, eventId, Etags.IfMatch(context)) is { } error ? error : TypedResults.NoContent();
    }

    private static async Task<IResult> Change(string calendarId, string eventId, HttpContext context, CalendarEvents events, bool replaceWhole, string method)
    {
        var caller = ApiCaller.From(context);
        if (!caller.CanWriteEvents) return ApiError.InsufficientPermissions(method);
        if (!caller.Owns(calendarId)) return ApiError.NotFound;
        var (body, parseError) = await JsonBody.ReadObjectAsync(context.Request);
        if (body is null) return parseError!;
        return events.Patch(caller.Email, eventId, body, replaceWhole, Etags.IfMatch(context), out var error) is { } stored
            ? GoogleJson.Api(stored)
            : error!;
    }

    /// <summary>A sync token of this calendar's current generation that does not claim changes it has not seen yet.</summary>
    private static bool IsCurrent(SyncPosition sync, AccountSnapshot calendar) =>
        sync.Epoch == calendar.SyncEpoch && sync.ChangeCount <= calendar.ChangeCount;

    /// <summary>The filters of a full listing: updatedMin, q, iCalUID and the extended property constraints.</summary>
    private static bool Selected(JsonObject resource, EventsQuery query) =>
        (query.UpdatedMin is not { } updatedMin
            || GoogleTime.TryParseWithOffset(EventResource.Text(resource, "updated"), out var updated) && updated >= updatedMin)
        && (query.Text is not { } text || Matches(resource, text))
        && (query.ICalUid is not { } uid || EventResource.Text(resource, "iCalUID") == uid)
        && query.MatchesExtendedProperties(resource);

    /// <summary>
    /// The item's place in the listing as text that sorts ordinally: by start (or by updated for orderBy=updated), then
    /// by id, which is unique within one listing.
    /// </summary>
    private static string SortKey(ViewItem item, string? orderBy)
    {
        var id = EventResource.Text(item.Resource, "id") ?? "";
        if (orderBy == "updated") return $"{EventResource.Text(item.Resource, "updated")}\u0001{id}";
        var ticks = (item.Span?.Start ?? Instant.MinValue).ToUnixTimeTicks();
        return $"{unchecked((ulong)(ticks - long.MinValue)).ToString("D20", CultureInfo.InvariantCulture)}\u0001{id}";
    }

    /// <summary>q: free text over summary, description, location and the people involved, case-insensitive.</summary>
    private static bool Matches(JsonObject resource, string text)
    {
        var haystack = new[] { "summary", "description", "location" }.Select(f => EventResource.Text(resource, f))
            .Concat(new[] { resource["organizer"], resource["creator"] }.Concat((resource["attendees"] as JsonArray ?? []).AsEnumerable())
                .OfType<JsonObject>().SelectMany(p => new[] { EventResource.Text(p, "email"), EventResource.Text(p, "displayName") }));
        return text.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .All(term => haystack.Any(h => h?.Contains(term, StringComparison.OrdinalIgnoreCase) == true));
    }
}
