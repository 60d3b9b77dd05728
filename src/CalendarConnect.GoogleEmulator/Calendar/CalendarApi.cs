using System.Text.Json.Nodes;
using CalendarConnect.GoogleEmulator.Accounts;

namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>Calendar API v3 under /calendar/v3: calendars, calendarList, events and freeBusy.</summary>
public static class CalendarApi
{
    public static IEndpointRouteBuilder MapCalendarApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/calendar/v3").AddEndpointFilter<AccessTokenFilter>().DisableAntiforgery();

        api.MapGet("/calendars/{calendarId}", GetCalendar);
        api.MapGet("/users/me/calendarList", ListCalendars);
        api.MapGet("/users/me/calendarList/{calendarId}", GetCalendarListEntry);

        api.MapGet("/calendars/{calendarId}/events", EventsEndpoints.List);
        api.MapPost("/calendars/{calendarId}/events", EventsEndpoints.Insert);
        api.MapGet("/calendars/{calendarId}/events/{eventId}", EventsEndpoints.Get);
        api.MapPatch("/calendars/{calendarId}/events/{eventId}", EventsEndpoints.Patch);
        api.MapPut("/calendars/{calendarId}/events/{eventId}", EventsEndpoints.Update);
        api.MapDelete("/calendars/{calendarId}/events/{eventId}", EventsEndpoints.Delete);

        api.MapPost("/freeBusy", FreeBusyEndpoint.Query);
        return routes;
    }

    private static IResult GetCalendar(string calendarId, HttpContext context, AccountStore accounts)
    {
        var caller = ApiCaller.From(context);
        if (!caller.CanReadEvents) return ApiError.InsufficientPermissions("calendar.v3.Calendars.Get");
        if (!caller.Owns(calendarId) || accounts.Snapshot(caller.Email) is not { } account) return ApiError.NotFound;
        return GoogleJson.Api(CalendarResources.Calendar(account));
    }

    private static IResult ListCalendars(HttpContext context, AccountStore accounts)
    {
        var caller = ApiCaller.From(context);
        if (!caller.CanReadCalendars) return ApiError.InsufficientPermissions("calendar.v3.CalendarList.List");
        if (accounts.Snapshot(caller.Email) is not { } account) return ApiError.NotFound;
        return GoogleJson.Api(CalendarResources.CalendarList(account));
    }

    private static IResult GetCalendarListEntry(string calendarId, HttpContext context, AccountStore accounts)
    {
        var caller = ApiCaller.From(context);
        if (!caller.CanReadCalendars) return ApiError.InsufficientPermissions("calendar.v3.CalendarList.Get");
        if (!caller.Owns(calendarId) || accounts.Snapshot(caller.Email) is not { } account) return ApiError.NotFound;
        return GoogleJson.Api(CalendarResources.CalendarListEntry(account));
    }
}

/// <summary>events.list/get/insert/patch/update/delete on the caller's primary calendar.</summary>
public static class EventsEndpoints
{
    public static IResult List(string calendarId, HttpContext context, AccountStore accounts, TimeProvider clock)
    {
        var caller = ApiCaller.From(context);
        if (!caller.CanReadEvents) return ApiError.InsufficientPermissions("calendar.v3.Events.List");
        if (!caller.Owns(calendarId) || accounts.Snapshot(caller.Email) is not { } calendar) return ApiError.NotFound;
        if (EventsQuery.Parse(context.Request.Query, out var invalid) is not { } query) return invalid!;

        List<ViewItem> items;
        if (query.Sync is { } sync)
        {
            // Tokens from before a reset name a calendar generation that no longer exists.
            if (sync.Epoch != calendar.SyncEpoch || sync.ChangeCount > calendar.ChangeCount) return ApiError.FullSyncRequired;
            items = calendar.Events.Where(e => e.ChangeNumber > sync.ChangeCount)
                .Select(e => new ViewItem(e.Resource, EventTiming.Parse(e.Resource, calendar.Zone, out _)?.SpanIn(calendar.Zone)))
                .ToList();
        }
        else
        {
            var horizon = CalendarView.Horizon(query.TimeMin, query.TimeMax, clock.ToInstant());
            items = CalendarView.Items(calendar, query.TimeMin, query.TimeMax, query.SingleEvents, query.ShowDeleted, horizon).ToList();
        }

        if (query.UpdatedMin is { } updatedMin)
            items = items.Where(i => GoogleTime.TryParseWithOffset(EventResource.Text(i.Resource, "updated"), out var u) && u >= updatedMin).ToList();
        if (query.Text is { } text)
            items = items.Where(i => Matches(i.Resource, text)).ToList();

        var ordered = query.OrderBy == "updated"
            ? items.OrderBy(i => EventResource.Text(i.Resource, "updated"), StringComparer.Ordinal)
            : items.OrderBy(i => i.Span?.Start ?? NodaTime.Instant.MinValue);
        var all = ordered.ThenBy(i => EventResource.Text(i.Resource, "id"), StringComparer.Ordinal).ToList();

        var page = all.Skip(query.Offset).Take(query.MaxResults).Select(i => i.Resource).ToList();
        var more = query.Offset + query.MaxResults < all.Count;
        return GoogleJson.Api(CalendarResources.Events(calendar, query.TimeZone, page,
            more ? PageToken.Write(query.Offset + query.MaxResults) : null,
            more ? null : new SyncPosition(calendar.SyncEpoch, calendar.ChangeCount).Write()));
    }

    public static IResult Get(string calendarId, string eventId, HttpContext context, CalendarEvents events)
    {
        var caller = ApiCaller.From(context);
        if (!caller.CanReadEvents) return ApiError.InsufficientPermissions("calendar.v3.Events.Get");
        if (!caller.Owns(calendarId)) return ApiError.NotFound;
        return events.Get(caller.Email, eventId, out var error) is { } resource ? GoogleJson.Api(resource) : error!;
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
        return events.Delete(caller.Email, eventId) is { } error ? error : TypedResults.NoContent();
    }

    private static async Task<IResult> Change(string calendarId, string eventId, HttpContext context, CalendarEvents events, bool replaceWhole, string method)
    {
        var caller = ApiCaller.From(context);
        if (!caller.CanWriteEvents) return ApiError.InsufficientPermissions(method);
        if (!caller.Owns(calendarId)) return ApiError.NotFound;
        var (body, parseError) = await JsonBody.ReadObjectAsync(context.Request);
        if (body is null) return parseError!;
        return events.Patch(caller.Email, eventId, body, replaceWhole, out var error) is { } stored ? GoogleJson.Api(stored) : error!;
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
