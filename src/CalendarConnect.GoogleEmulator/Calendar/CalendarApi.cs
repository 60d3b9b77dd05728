using CalendarConnect.GoogleEmulator.Accounts;
using CalendarConnect.GoogleEmulator.Push;

namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>Calendar API v3 under /calendar/v3: calendars, calendarList, events, freeBusy and push channels.</summary>
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

        api.MapPost("/calendars/{calendarId}/events/watch", WatchEndpoints.Watch);
        api.MapPost("/channels/stop", WatchEndpoints.Stop);

        // Any other path or method under the API is Google's JSON 404, never an empty one.
        routes.MapFallback("/calendar/{**path}", () => ApiError.NotFound);
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
