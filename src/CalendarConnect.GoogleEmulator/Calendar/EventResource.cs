using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>Building and changing Event resources the way Google fills and orders their fields.</summary>
public static partial class EventResource
{
    /// <summary>Google's field order in responses; anything else follows in the order given.</summary>
    private static readonly string[] FieldOrder =
    [
        "kind", "etag", "id", "status", "htmlLink", "created", "updated", "summary", "description", "location",
        "colorId", "creator", "organizer", "start", "end", "endTimeUnspecified", "recurrence", "recurringEventId",
        "originalStartTime", "transparency", "visibility", "iCalUID", "sequence", "attendees", "guestsCanInviteOthers",
        "guestsCanModify", "guestsCanSeeOtherGuests", "privateCopy", "extendedProperties", "reminders", "source", "eventType",
    ];

    /// <summary>Fields a client cannot set through insert/patch/update; Google ignores them.</summary>
    private static readonly HashSet<string> ReadOnlyFields =
        ["kind", "etag", "id", "htmlLink", "created", "updated", "creator", "organizer", "iCalUID", "recurringEventId", "originalStartTime"];

    /// <summary>Fields whose change is a reschedule: Google raises the iCalendar SEQUENCE for them.</summary>
    private static readonly string[] ScheduleFields = ["start", "end", "recurrence"];

    /// <summary>Google's client-chosen id rule: base32hex (a–v, 0–9), 5 to 1024 characters.</summary>
    public static bool IsValidClientId(string id) => ClientIdSyntax().IsMatch(id);

    /// <summary>A fresh id as Google makes them: 26 base32hex characters.</summary>
    public static string NewId()
    {
        const string alphabet = "0123456789abcdefghijklmnopqrstuv";
        return RandomNumberGenerator.GetString(alphabet, 26);
    }

    public static string NewEtag(Instant now, long change) =>
        $"\"{now.ToUnixTimeTicks() / 10 + change}\"";

    /// <summary>Google's htmlLink: eid is base64 of "id email" (trailing '=' dropped).</summary>
    public static string HtmlLink(string id, string calendarEmail) =>
        "https://www.google.com/calendar/event?eid=" + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id} {calendarEmail}")).TrimEnd('=');

    /// <summary>
    /// A new stored event. From the API (<paramref name="trustReadOnly"/> false) read-only fields are ignored;
    /// the control API stores a recorded resource as given and only fills what is missing.
    /// </summary>
    public static JsonObject Create(JsonObject given, string id, string account, Instant now, long change, bool trustReadOnly)
    {
        var resource = new JsonObject();
        foreach (var (name, value) in given)
            if (trustReadOnly || !ReadOnlyFields.Contains(name)) resource[name] = value?.DeepClone();

        resource["kind"] = "calendar#event";
        resource["id"] = id;
        SetIfMissing(resource, "etag", NewEtag(now, change));
        SetIfMissing(resource, "status", "confirmed");
        SetIfMissing(resource, "htmlLink", HtmlLink(id, account));
        SetIfMissing(resource, "created", GoogleTime.Timestamp.Format(Instant.FromUnixTimeSeconds(now.ToUnixTimeSeconds())));
        SetIfMissing(resource, "updated", GoogleTime.Timestamp.Format(now));
        SetIfMissing(resource, "creator", new JsonObject { ["email"] = account, ["self"] = true });
        SetIfMissing(resource, "organizer", new JsonObject { ["email"] = account, ["self"] = true });
        var baseId = resource["recurringEventId"]?.GetValue<string>() ?? id;
        SetIfMissing(resource, "iCalUID", baseId + "@google.com");
        SetIfMissing(resource, "sequence", 0);
        SetIfMissing(resource, "reminders", new JsonObject { ["useDefault"] = true });
        SetIfMissing(resource, "eventType", "default");
        MarkSelf(resource, account);
        return Ordered(resource);
    }

    /// <summary>events.patch: given fields replace the stored ones (null removes); arrays and objects are replaced whole.</summary>
    public static JsonObject Patch(JsonObject current, JsonObject patch, string account, Instant now, long change)
    {
        var result = current.DeepClone().AsObject();
        foreach (var (name, value) in patch)
        {
            if (ReadOnlyFields.Contains(name)) continue;
            if (value is null) result.Remove(name);
            else result[name] = value.DeepClone();
        }
        return Touched(current, result, account, now, change);
    }

    /// <summary>events.update: the body becomes the event; read-only fields stay as stored.</summary>
    public static JsonObject Replace(JsonObject current, JsonObject body, string account, Instant now, long change)
    {
        var result = new JsonObject();
        foreach (var (name, value) in current)
            if (ReadOnlyFields.Contains(name) || name is "status" or "sequence" or "eventType") result[name] = value?.DeepClone();
        foreach (var (name, value) in body)
            if (!ReadOnlyFields.Contains(name) && value is not null) result[name] = value.DeepClone();
        return Touched(current, result, account, now, change);
    }

    /// <summary>Marks a stored event deleted, as Google keeps deleted events around with status "cancelled".</summary>
    public static JsonObject Cancelled(JsonObject current, Instant now, long change)
    {
        var result = current.DeepClone().AsObject();
        result["status"] = "cancelled";
        result["updated"] = GoogleTime.Timestamp.Format(now);
        result["etag"] = NewEtag(now, change);
        return result;
    }

    /// <summary>
    /// A cancelled instance of a series as Google keeps and answers it: only kind, etag, id, status, recurringEventId and
    /// originalStartTime (recorded: compass_incremental_sync_cancelled_instance.json, northworld_cancelled_instance_event.json).
    /// </summary>
    public static JsonObject CancelledInstance(JsonObject instance, string etag) => new()
    {
        ["kind"] = "calendar#event",
        ["etag"] = etag,
        ["id"] = instance["id"]?.DeepClone(),
        ["status"] = "cancelled",
        ["recurringEventId"] = instance["recurringEventId"]?.DeepClone(),
        ["originalStartTime"] = instance["originalStartTime"]?.DeepClone(),
    };

    public static string? Text(JsonObject resource, string name) =>
        resource[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static JsonObject Touched(JsonObject before, JsonObject after, string account, Instant now, long change)
    {
        if (ScheduleFields.Any(f => !JsonNode.DeepEquals(before[f], after[f])))
            after["sequence"] = (after["sequence"]?.GetValue<int>() ?? 0) + 1;
        after["updated"] = GoogleTime.Timestamp.Format(now);
        after["etag"] = NewEtag(now, change);
        MarkSelf(after, account);
        return Ordered(after);
    }

    /// <summary>"self" is how Google tells the calendar owner apart among creator, organizer and attendees.</summary>
    private static void MarkSelf(JsonObject resource, string account)
    {
        foreach (var person in new[] { resource["creator"], resource["organizer"] }.OfType<JsonObject>()
                     .Concat((resource["attendees"] as JsonArray ?? []).OfType<JsonObject>()))
        {
            if (person["self"] is null && string.Equals(Text(person, "email"), account, StringComparison.OrdinalIgnoreCase))
                person["self"] = true;
        }
    }

    private static void SetIfMissing(JsonObject resource, string name, JsonNode value)
    {
        if (resource[name] is null) resource[name] = value;
    }

    private static JsonObject Ordered(JsonObject resource)
    {
        var ordered = new JsonObject();
        foreach (var name in FieldOrder)
            if (resource.TryGetPropertyValue(name, out var value)) ordered[name] = value?.DeepClone();
        foreach (var (name, value) in resource)
            if (!ordered.ContainsKey(name)) ordered[name] = value?.DeepClone();
        return ordered;
    }

    [GeneratedRegex("^[a-v0-9]{5,1024}$")]
    private static partial Regex ClientIdSyntax();
}
