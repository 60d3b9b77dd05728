using System.Text.Json.Nodes;
using CalendarConnect.GoogleEmulator.Accounts;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>Reads and changes the events of an account's primary calendar, with Google's rules.</summary>
public sealed class CalendarEvents(AccountStore accounts, TimeProvider clock)
{
    public JsonObject? Get(string account, string eventId, out ApiError? error)
    {
        JsonObject? found = null;
        if (!accounts.TryWithAccount<JsonObject?>(account, a => found = CurrentOrInstance(a, eventId)?.DeepClone().AsObject(), out _))
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
        if (!accounts.TryChangeAccount<JsonObject?>(account, a =>
            {
                var id = givenId ?? EventResource.NewId();
                if (!asGiven && a.Events.ContainsKey(id))
                {
                    problem = ApiError.Duplicate;
                    return null;
                }
                var change = ++a.ChangeCount;
                var now = Now(a);
                var resource = EventResource.Create(body, id, a.Email, now, change, trustReadOnly: asGiven);
                a.Events[id] = new StoredEvent(resource, change);
                return resource.DeepClone().AsObject();
            }, out var stored)) return Fail(out error, ApiError.NotFound);
        error = problem;
        return stored;
    }

    public JsonObject? Patch(string account, string eventId, JsonObject patch, bool replaceWhole, out ApiError? error)
    {
        ApiError? problem = null;
        if (!accounts.TryChangeAccount<JsonObject?>(account, a =>
            {
                var current = CurrentOrInstance(a, eventId);
                if (current is null)
                {
                    problem = ApiError.NotFound;
                    return null;
                }
                var change = a.ChangeCount + 1;
                var now = clock.ToInstant();
                var changed = replaceWhole
                    ? EventResource.Replace(current, patch, a.Email, now, change)
                    : EventResource.Patch(current, patch, a.Email, now, change);
                if (EventTiming.Parse(changed, a.Zone, out problem) is null) return null;
                if (!RecurringSeries.HasValidRules(changed))
                {
                    problem = ApiError.Invalid("Invalid recurrence rule.");
                    return null;
                }
                Store(a, eventId, changed);
                return changed.DeepClone().AsObject();
            }, out var stored)) return Fail(out error, ApiError.NotFound);
        error = problem;
        return stored;
    }

    /// <summary>events.delete: the event stays, cancelled; deleting it again is 410 "deleted".</summary>
    public ApiError? Delete(string account, string eventId)
    {
        ApiError? problem = null;
        if (!accounts.TryChangeAccount(account, a =>
            {
                var current = CurrentOrInstance(a, eventId);
                if (current is null) problem = ApiError.NotFound;
                else if (EventResource.Text(current, "status") == "cancelled") problem = ApiError.Deleted;
                else Store(a, eventId, EventResource.Cancelled(current, clock.ToInstant(), a.ChangeCount + 1));
                return true;
            }, out _)) return ApiError.NotFound;
        return problem;
    }

    private bool Validate(string account, JsonObject body, out ApiError? error)
    {
        var zone = accounts.Snapshot(account)?.Zone ?? DateTimeZone.Utc;
        if (EventTiming.Parse(body, zone, out error) is not { } timing) return false;
        if (!RecurringSeries.HasValidRules(body))
        {
            error = ApiError.Invalid("Invalid recurrence rule.");
            return false;
        }
        // Google cannot expand a series without knowing its wall-clock zone.
        if (timing is TimedTiming { TimeZoneId: null } && RecurringSeries.IsRecurring(body))
        {
            error = ApiError.Required("Missing time zone definition for start time.");
            return false;
        }
        return true;
    }

    private Instant Now(Account account)
    {
        var now = clock.ToInstant();
        account.Updated = now;
        return now;
    }

    private void Store(Account account, string eventId, JsonObject resource)
    {
        var change = ++account.ChangeCount;
        Now(account);
        account.Events[eventId] = new StoredEvent(resource, change);
    }

    /// <summary>A stored event, or an instance of a stored recurring master named "{masterId}_{start}".</summary>
    private static JsonObject? CurrentOrInstance(Account account, string eventId)
    {
        if (account.Events.TryGetValue(eventId, out var stored)) return stored.Resource;
        var separator = eventId.LastIndexOf('_');
        if (separator <= 0 || !account.Events.TryGetValue(eventId[..separator], out var master)) return null;
        if (!RecurringSeries.IsRecurring(master.Resource) || EventResource.Text(master.Resource, "status") == "cancelled") return null;
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
