using System.Text.Json.Nodes;
using CalendarConnect.GoogleEmulator.Accounts;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>POST /calendar/v3/freeBusy: busy intervals of the caller's calendar, clipped to the window and merged.</summary>
public static class FreeBusyEndpoint
{
    public const int MaxCalendars = 50;

    public static async Task<IResult> Query(HttpContext context, AccountStore accounts)
    {
        var caller = ApiCaller.From(context);
        if (!caller.CanReadFreeBusy) return ApiError.InsufficientPermissions("calendar.v3.Freebusy.Query");
        var (body, parseError) = await JsonBody.ReadObjectAsync(context.Request);
        if (body is null) return parseError!;

        if (Text(body, "timeMin") is not { } minText) return ApiError.Required("Missing timeMin parameter.", "timeMin");
        if (Text(body, "timeMax") is not { } maxText) return ApiError.Required("Missing timeMax parameter.", "timeMax");
        if (!GoogleTime.TryParseWithOffset(minText, out var timeMin)) return ApiError.Invalid(parameter: "timeMin");
        if (!GoogleTime.TryParseWithOffset(maxText, out var timeMax)) return ApiError.Invalid(parameter: "timeMax");
        if (timeMax <= timeMin) return ApiError.TimeRangeEmpty with { Location = "timeMax", LocationType = "parameter" };
        if (Text(body, "timeZone") is { } zoneId && !GoogleTime.TryFindZone(zoneId, out _)) return ApiError.Invalid(parameter: "timeZone");

        var ids = (body["items"] as JsonArray ?? []).OfType<JsonObject>().Select(i => Text(i, "id")).OfType<string>().ToList();
        if (ids.Count > MaxCalendars)
            return new ApiError(400, "tooManyCalendarsRequested", "The number of calendars requested is too large.", Domain: "calendar");

        var calendars = new JsonObject();
        foreach (var id in ids)
        {
            calendars[id] = caller.Owns(id) && accounts.Snapshot(caller.Email) is { } calendar
                ? new JsonObject { ["busy"] = BusyJson(BusyIntervals(calendar, timeMin, timeMax)) }
                : new JsonObject
                {
                    ["errors"] = new JsonArray(new JsonObject { ["domain"] = "global", ["reason"] = "notFound" }),
                    ["busy"] = new JsonArray(),
                };
        }
        return GoogleJson.Api(new JsonObject
        {
            ["kind"] = "calendar#freeBusy",
            ["timeMin"] = GoogleTime.Timestamp.Format(timeMin),
            ["timeMax"] = GoogleTime.Timestamp.Format(timeMax),
            ["calendars"] = calendars,
        });
    }

    /// <summary>
    /// Busy = confirmed/tentative, opaque events the owner has not declined (all-day ones cover their local
    /// days in the calendar's zone), recurring instances included; clipped to the window and merged.
    /// </summary>
    public static IReadOnlyList<EventSpan> BusyIntervals(AccountSnapshot calendar, Instant timeMin, Instant timeMax)
    {
        var spans = CalendarView.Items(calendar, timeMin, timeMax, singleEvents: true, showDeleted: false, horizon: timeMax)
            .Where(i => i.Span is not null && BlocksTime(i.Resource, calendar.Email))
            .Select(i => new EventSpan(Instant.Max(i.Span!.Value.Start, timeMin), Instant.Min(i.Span.Value.End, timeMax)))
            .Where(s => s.End > s.Start)
            .OrderBy(s => s.Start)
            .ToList();
        var merged = new List<EventSpan>();
        foreach (var span in spans)
        {
            if (merged.Count > 0 && span.Start <= merged[^1].End)
                merged[^1] = merged[^1] with { End = Instant.Max(merged[^1].End, span.End) };
            else merged.Add(span);
        }
        return merged;
    }

    private static bool BlocksTime(JsonObject resource, string owner)
    {
        if (CalendarView.IsCancelled(resource)) return false;
        if (EventResource.Text(resource, "transparency") == "transparent") return false;
        if (EventResource.Text(resource, "eventType") == "workingLocation") return false;
        var self = (resource["attendees"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(a =>
            a["self"] is JsonValue s && s.TryGetValue<bool>(out var isSelf) && isSelf
            || string.Equals(EventResource.Text(a, "email"), owner, StringComparison.OrdinalIgnoreCase));
        return self is null || EventResource.Text(self, "responseStatus") != "declined";
    }

    private static JsonArray BusyJson(IEnumerable<EventSpan> spans) =>
        new(spans.Select(s => (JsonNode)new JsonObject
        {
            ["start"] = GoogleTime.BusyTime.Format(s.Start),
            ["end"] = GoogleTime.BusyTime.Format(s.End),
        }).ToArray());

    private static string? Text(JsonObject json, string name) => EventResource.Text(json, name);
}
