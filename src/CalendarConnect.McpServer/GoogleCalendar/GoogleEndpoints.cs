namespace CalendarConnect.McpServer.GoogleCalendar;

/// <summary>
/// The Google endpoints we call, named as Google's API reference names them (<c>calendar.events.list</c>): what a
/// request carries (<see cref="GoogleRequests.Endpoint"/>) for its metrics, instead of its URL, which holds calendar
/// and event ids.
/// </summary>
public static class GoogleEndpoints
{
    public const string CalendarsGet = "calendar.calendars.get";
    public const string FreeBusyQuery = "calendar.freebusy.query";
    public const string EventsInsert = "calendar.events.insert";
    public const string EventsGet = "calendar.events.get";
    public const string EventsPatch = "calendar.events.patch";
    public const string EventsDelete = "calendar.events.delete";
    public const string EventsList = "calendar.events.list";
    public const string EventsWatch = "calendar.events.watch";
    public const string ChannelsStop = "calendar.channels.stop";
    public const string TokenExchange = "oauth.token.exchange";
    public const string TokenRefresh = "oauth.token.refresh";
    public const string Revoke = "oauth.revoke";

    /// <summary>A request that did not say (none of ours should).</summary>
    public const string Other = "other";
}
