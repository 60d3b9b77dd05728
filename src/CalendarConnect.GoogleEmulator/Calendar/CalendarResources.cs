using System.Text.Json.Nodes;
using CalendarConnect.GoogleEmulator.Accounts;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>The Calendar, CalendarListEntry and Events envelope resources of a primary calendar.</summary>
public static class CalendarResources
{
    public static JsonObject Calendar(AccountSnapshot account) => new()
    {
        ["kind"] = "calendar#calendar",
        ["etag"] = Etag(account),
        ["id"] = account.Email,
        ["summary"] = account.Email,
        ["timeZone"] = account.Zone.Id,
        ["conferenceProperties"] = ConferenceProperties(),
    };

    public static JsonObject CalendarListEntry(AccountSnapshot account) => new()
    {
        ["kind"] = "calendar#calendarListEntry",
        ["etag"] = $"\"{account.Updated.ToUnixTimeTicks() / 10}\"",
        ["id"] = account.Email,
        ["summary"] = account.Email,
        ["timeZone"] = account.Zone.Id,
        ["colorId"] = "14",
        ["backgroundColor"] = "#9fe1e7",
        ["foregroundColor"] = "#000000",
        ["selected"] = true,
        ["accessRole"] = "owner",
        ["defaultReminders"] = DefaultReminders(),
        ["notificationSettings"] = new JsonObject
        {
            ["notifications"] = new JsonArray(
                new[] { "eventCreation", "eventChange", "eventCancellation", "eventResponse" }
                    .Select(type => (JsonNode)new JsonObject { ["type"] = type, ["method"] = "email" }).ToArray()),
        },
        ["primary"] = true,
        ["conferenceProperties"] = ConferenceProperties(),
    };

    public static JsonObject CalendarList(AccountSnapshot account) => new()
    {
        ["kind"] = "calendar#calendarList",
        ["etag"] = Etag(account),
        ["nextSyncToken"] = new SyncPosition(account.SyncEpoch, 0).Write(),
        ["items"] = new JsonArray(CalendarListEntry(account)),
    };

    public static JsonObject Events(AccountSnapshot account, string? timeZone, IEnumerable<JsonObject> items, string? nextPageToken, string? nextSyncToken)
    {
        var list = new JsonObject
        {
            ["kind"] = "calendar#events",
            ["etag"] = Etag(account),
            ["summary"] = account.Email,
            ["description"] = "",
            ["updated"] = GoogleTime.Timestamp.Format(account.Updated),
            ["timeZone"] = timeZone ?? account.Zone.Id,
            ["accessRole"] = "owner",
            ["defaultReminders"] = DefaultReminders(),
        };
        if (nextPageToken is not null) list["nextPageToken"] = nextPageToken;
        if (nextSyncToken is not null) list["nextSyncToken"] = nextSyncToken;
        list["items"] = new JsonArray(items.Select(i => (JsonNode)i).ToArray());
        return list;
    }

    private static string Etag(AccountSnapshot account) => $"\"p3{account.Updated.ToUnixTimeTicks() / 10:x}{account.ChangeCount:x}\"";

    private static JsonArray DefaultReminders() => [new JsonObject { ["method"] = "popup", ["minutes"] = 30 }];

    private static JsonObject ConferenceProperties() => new() { ["allowedConferenceSolutionTypes"] = new JsonArray("hangoutsMeet") };
}
