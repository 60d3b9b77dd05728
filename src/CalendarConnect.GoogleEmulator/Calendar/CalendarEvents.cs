using System.Text.Json.Nodes;
using CalendarConnect.GoogleEmulator.Accounts;
using CalendarConnect.GoogleEmulator.Push;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>
/// Reads and changes the events of an account's primary calendar, with Google's rules. Every successful change is
/// told to the calendar's push channels (after the account lock is released). Answers are written in the calendar's
/// zone (or the one asked for), as Google writes them.
/// </summary>
public sealed class CalendarEvents(AccountStore accounts, PushChannels push, TimeProvider clock)
{
    /// <summary>events.get: a stored event (cancelled ones too) or an instance of a recurring one.</summary>
    public JsonObject? Get(string account, string eventId, DateTimeZone? outputZone, out ApiError? error)
    {
        JsonObject? found = null;
        if (!accounts.TryWithAccount<JsonObject?>(account,
                a => found = CurrentOrInstance(a, eventId) is { } current ? EventRendering.InZone(current, outputZone ?? a.Zone, a.Zone) : null,
                out _))
            return Fail(out error, ApiError.NotFound);
        error = found is null ? ApiError.NotFound : null;
        return found;
    }

    /// <summary>events.insert (API) or the control API's insert-as-given (<paramref name="asGiven"/>).</summary>
    public JsonObject? Insert(string account, JsonObject body, bool asGiven, out ApiError? error)
    {
        error = null;
        var givenId = EventResource.Text(body, "id");
        if (!asGiven)
        {
            if (givenId is not null && !EventResource.IsValidClientId(givenId)) return Fail(out error, ApiError.InvalidResourceId);
            if (!Validate(account, body, out error)) return null;
        }
        else if (body["id"] is not null && givenId is null) return Fail(out error, ApiError.InvalidResourceId);

        ApiError? problem = null;
        string? changedCalendar = null;
        if (!accounts.TryChangeAccount<JsonObject?>(account, a =>
            {
                var id = givenId ?? EventResource.NewId();
                if (!asGiven && a.Events.ContainsKey(id))
                {
                    problem = ApiError.Duplicate;
                    return null;
                }
                var (now, change) = NextChange(a);
                var resource = EventResource.Create(body, id, a.Email, now, change, trustReadOnly: asGiven);
                Store(a, id, resource, change);
                changedCalendar = a.Email;
                return EventRendering.InZone(resource, a.Zone, a.Zone);
            }, out var stored)) return Fail(out error, ApiError.NotFound);
        error = problem;
        Announce(changedCalendar);
        return stored;
    }

    /// <summary>events.patch, or events.update when <paramref name="replaceWhole"/>; refused with 412 when <paramref name="ifMatch"/> is stale.</summary>
    public JsonObject? Patch(string account, string eventId, JsonObject patch, bool replaceWhole, string? ifMatch, out ApiError? error)
    {
        ApiError? problem = null;
        string? changedCalendar = null;
        if (!accounts.TryChangeAccount<JsonObject?>(account, a =>
            {
                var current = CurrentOrInstance(a, eventId);
                if (current is null)
                {
                    problem = ApiError.NotFound;
                    return null;
                }
                if (!EtagMatches(current, ifMatch))
                {
                    problem = ApiError.ConditionNotMet;
                    return null;
                }
                var now = clock.ToInstant();
                var change = a.ChangeCount + 1;
                var changed = replaceWhole
                    ? EventResource.Replace(current, patch, a.Email, now, change)
                    : EventResource.Patch(current, patch, a.Email, now, change);
                if (EventTiming.Parse(changed, a.Zone, out problem) is not { } timing) return null;
                problem = EventTiming.MissingTimeZone(patch);
                if (problem is not null) return null;
                if (!RecurringSeries.HasValidRules(changed))
                {
                    problem = ApiError.Invalid("Invalid recurrence rule.");
                    return null;
                }
                if ((patch["start"] is not null || patch["recurrence"] is not null) && NeedsSeriesZone(changed, timing))
                {
                    problem = ApiError.Required("Missing time zone definition for start time.");
                    return null;
                }
                a.ChangeCount = change;
                a.Updated = now;
                Store(a, eventId, changed, change);
                TouchMaster(a, changed, now, change);
                changedCalendar = a.Email;
                return EventRendering.InZone(changed, a.Zone, a.Zone);
            }, out var stored)) return Fail(out error, ApiError.NotFound);
        error = problem;
        Announce(changedCalendar);
        return stored;
    }

    /// <summary>
    /// events.delete: the event stays, cancelled; deleting it again is 410 "deleted". An instance of a series becomes a
    /// cancelled exception in the shape Google keeps (id, recurringEventId, originalStartTime); deleting a whole series
    /// cancels its exceptions too.
    /// </summary>
    public ApiError? Delete(string account, string eventId, string? ifMatch = null)
    {
        ApiError? problem = null;
        string? changedCalendar = null;
        if (!accounts.TryChangeAccount(account, a =>
            {
                var current = CurrentOrInstance(a, eventId);
                if (current is null) problem = ApiError.NotFound;
                else if (CalendarView.IsCancelled(current)) problem = ApiError.Deleted;
                else if (!EtagMatches(current, ifMatch)) problem = ApiError.ConditionNotMet;
                if (problem is not null) return false;

                var (now, change) = NextChange(a);
                var etag = EventResource.NewEtag(now, change);
                if (EventResource.Text(current!, "recurringEventId") is not null)
                {
                    var cancelled = EventResource.CancelledInstance(current!, etag);
                    Store(a, eventId, cancelled, change);
                    TouchMaster(a, cancelled, now, change);
                }
                else
                {
                    Store(a, eventId, EventResource.Cancelled(current!, now, change), change);
                    foreach (var exception in a.Events.Values.Where(e => EventResource.Text(e.Resource, "recurringEventId") == eventId
                                 && !CalendarView.IsCancelled(e.Resource)).ToList())
                        exception.Replace(EventResource.CancelledInstance(exception.Resource, etag), change);
                }
                changedCalendar = a.Email;
                return true;
            }, out _)) return ApiError.NotFound;
        Announce(changedCalendar);
        return problem;
    }

    private bool Validate(string account, JsonObject body, out ApiError? error)
    {
        var zone = accounts.ZoneOf(account) ?? DateTimeZone.Utc;
        if (EventTiming.Parse(body, zone, out error) is not { } timing) return false;
        if (EventTiming.MissingTimeZone(body) is { } missing)
        {
            error = missing;
            return false;
        }
        if (!RecurringSeries.HasValidRules(body))
        {
            error = ApiError.Invalid("Invalid recurrence rule.");
            return false;
        }
        if (NeedsSeriesZone(body, timing))
        {
            error = ApiError.Required("Missing time zone definition for start time.");
            return false;
        }
        return true;
    }

    /// <summary>Google cannot expand a series without knowing its wall-clock zone: a recurring timed event needs start.timeZone.</summary>
    private static bool NeedsSeriesZone(JsonObject resource, EventTiming timing) =>
        timing is TimedTiming { TimeZoneId: null } && RecurringSeries.IsRecurring(resource);

    private (Instant Now, long Change) NextChange(Account account)
    {
        var now = clock.ToInstant();
        account.Updated = now;
        return (now, ++account.ChangeCount);
    }

    private static void Store(Account account, string eventId, JsonObject resource, long change)
    {
        if (account.Events.TryGetValue(eventId, out var stored)) stored.Replace(resource, change);
        else account.Events[eventId] = new StoredEvent(resource, change);
    }

    /// <summary>
    /// A new or changed exception changes its series too: Google answers the master again in incremental sync, with the
    /// exception's etag and time (recorded: compass_incremental_sync_cancelled_instance.json).
    /// </summary>
    private static void TouchMaster(Account account, JsonObject exception, Instant now, long change)
    {
        if (EventResource.Text(exception, "recurringEventId") is not { } masterId || !account.Events.TryGetValue(masterId, out var master)) return;
        var touched = master.Resource.DeepClone().AsObject();
        touched["etag"] = exception["etag"]?.DeepClone();
        touched["updated"] = GoogleTime.Timestamp.Format(now);
        master.Replace(touched, change);
    }

    private void Announce(string? calendar)
    {
        if (calendar is not null) push.CalendarChanged(calendar);
    }

    /// <summary>No If-Match, or one that names the event's current etag.</summary>
    private static bool EtagMatches(JsonObject current, string? ifMatch) =>
        ifMatch is null || Etags.Listed(ifMatch, EventResource.Text(current, "etag"));

    /// <summary>A stored event, or an instance of a stored recurring master named "{masterId}_{start}".</summary>
    private static JsonObject? CurrentOrInstance(Account account, string eventId)
    {
        if (account.Events.TryGetValue(eventId, out var stored)) return stored.Resource;
        var separator = eventId.LastIndexOf('_');
        if (separator <= 0 || !account.Events.TryGetValue(eventId[..separator], out var master)) return null;
        if (!RecurringSeries.IsRecurring(master.Resource) || CalendarView.IsCancelled(master.Resource)) return null;
        if (EventTiming.Parse(master.Resource, account.Zone, out _) is not { } timing) return null;
        var key = eventId[(separator + 1)..];
        var horizon = InstanceKeyHorizon(key);
        if (horizon is null) return null;
        var occurrence = RecurringSeries.Expand(master.Resource, timing, account.Zone, horizon.Value)
            .FirstOrDefault(o => o.InstanceKey == key);
        return occurrence is null ? null : RecurringSeries.InstanceResource(master.Resource, occurrence);
    }

    /// <summary>Expanding up to a day past the key's own time is enough to find that instance.</summary>
    private static Instant? InstanceKeyHorizon(string key)
    {
        var digits = key.Length >= 8 ? key[..8] : "";
        return GoogleTime.TryParseDate(digits.Length == 8 ? $"{digits[..4]}-{digits[4..6]}-{digits[6..]}" : null, out var date)
            ? date.PlusDays(2).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant()
            : null;
    }

    private static JsonObject? Fail(out ApiError? error, ApiError value)
    {
        error = value;
        return null;
    }
}
