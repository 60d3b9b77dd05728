using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.TimeZones;
using NodaTime.Text;

namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>One occurrence of a recurring event, before exceptions are applied.</summary>
public sealed record Occurrence(string InstanceKey, EventSpan Span, JsonObject Start, JsonObject End, JsonObject OriginalStartTime);

/// <summary>
/// Expands a recurring master into its instances, DST-correct: each instance keeps the master's local
/// wall-clock start in the event's time zone and the master's exact duration (RFC 5545 §3.8.5.3).
/// </summary>
public static class RecurringSeries
{
    /// <summary>Stops runaway expansion of endless rules; far more than any test or demo needs.</summary>
    private const int MaxCandidates = 20_000;

    private static readonly InstantPattern KeyStamp = InstantPattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss'Z'");
    private static readonly LocalDatePattern DateKey = LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd");

    public static bool IsRecurring(JsonObject resource) =>
        resource["recurrence"] is JsonArray lines && lines.Any(l => l?.GetValue<string>()?.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>True when every RRULE line is one the emulator understands (EXDATE/RDATE/EXRULE pass through).</summary>
    public static bool HasValidRules(JsonObject resource) =>
        resource["recurrence"] is not JsonArray lines
        || lines.All(l => l is JsonValue v && v.TryGetValue<string>(out var s)
            && (!s.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase) || RecurrenceRule.Parse(s) is not null));

    /// <summary>Instance id suffix: the UTC start for timed events, the date for all-day ones (as Google names them).</summary>
    public static string KeyOf(Instant start) => KeyStamp.Format(start);
    public static string KeyOf(LocalDate date) => DateKey.Format(date);

    /// <summary>The instance key an exception's originalStartTime points at, or null.</summary>
    public static string? KeyOfOriginalStart(JsonObject exception, DateTimeZone calendarZone)
    {
        if (exception["originalStartTime"] is not JsonObject original) return null;
        if (original["date"]?.GetValue<string>() is { } date && GoogleTime.TryParseDate(date, out var d)) return KeyOf(d);
        var zone = original["timeZone"]?.GetValue<string>() is { } id && GoogleTime.TryFindZone(id, out var z) ? z : calendarZone;
        return GoogleTime.TryParseEventDateTime(original["dateTime"]?.GetValue<string>(), zone, out var instant) ? KeyOf(instant) : null;
    }

    /// <summary>Occurrences starting before <paramref name="horizon"/>, ascending.</summary>
    public static IEnumerable<Occurrence> Expand(JsonObject master, EventTiming timing, DateTimeZone calendarZone, Instant horizon)
    {
        var rule = (master["recurrence"] as JsonArray ?? [])
            .Select(l => l?.GetValue<string>() ?? "").Select(RecurrenceRule.Parse).FirstOrDefault(r => r is not null);
        if (rule is null) yield break;
        var excluded = ExcludedKeys(master, timing, calendarZone);

        var produced = 0;
        var candidates = 0;
        switch (timing)
        {
            case AllDayTiming allDay:
                var days = Period.Between(allDay.Start, allDay.End, PeriodUnits.Days).Days;
                foreach (var date in rule.CandidateDates(allDay.Start))
                {
                    if (++candidates > MaxCandidates) yield break;
                    var start = calendarZone.AtStartOfDay(date).ToInstant();
                    if (rule.IsPastUntil(date.AtMidnight(), start) || start >= horizon) yield break;
                    if (rule.Count is { } count && ++produced > count) yield break;
                    var key = KeyOf(date);
                    if (excluded.Contains(key)) continue;
                    var end = date.PlusDays(days);
                    yield return new Occurrence(key, new EventSpan(start, calendarZone.AtStartOfDay(end).ToInstant()),
                        DateJson(date), DateJson(end), DateJson(date));
                }
                break;
            case TimedTiming timed:
                var length = timed.End - timed.Start;
                var firstLocal = timed.Start.InZone(timed.Zone).LocalDateTime;
                foreach (var date in rule.CandidateDates(firstLocal.Date))
                {
                    if (++candidates > MaxCandidates) yield break;
                    var local = date + firstLocal.TimeOfDay;
                    // A wall-clock time skipped by a DST gap moves forward, as Google Calendar shows it.
                    var zoned = timed.Zone.ResolveLocal(local, Resolvers.LenientResolver);
                    var start = zoned.ToInstant();
                    if (rule.IsPastUntil(local, start) || start >= horizon) yield break;
                    if (rule.Count is { } count && ++produced > count) yield break;
                    var key = KeyOf(start);
                    if (excluded.Contains(key)) continue;
                    var startJson = DateTimeJson(start, timed.Zone, timed.TimeZoneId);
                    yield return new Occurrence(key, new EventSpan(start, start + length), startJson,
                        DateTimeJson(start + length, timed.Zone, timed.TimeZoneId), startJson.DeepClone().AsObject());
                }
                break;
        }
    }

    /// <summary>The resource of one instance: the master's fields with the instance's own id and times.</summary>
    public static JsonObject InstanceResource(JsonObject master, Occurrence occurrence)
    {
        var masterId = master["id"]?.GetValue<string>() ?? "";
        var instance = new JsonObject();
        foreach (var (name, value) in master)
        {
            switch (name)
            {
                case "recurrence":
                    continue;
                case "id":
                    instance["id"] = $"{masterId}_{occurrence.InstanceKey}";
                    break;
                case "start":
                    instance["start"] = occurrence.Start.DeepClone();
                    break;
                case "end":
                    instance["end"] = occurrence.End.DeepClone();
                    instance["recurringEventId"] = masterId;
                    instance["originalStartTime"] = occurrence.OriginalStartTime.DeepClone();
                    break;
                default:
                    instance[name] = value?.DeepClone();
                    break;
            }
        }
        if (instance["htmlLink"] is not null && instance["organizer"]?["email"]?.GetValue<string>() is { } email)
            instance["htmlLink"] = EventResource.HtmlLink(instance["id"]!.GetValue<string>(), email);
        return instance;
    }

    /// <summary>An instance of the series as a cancelled instance (the master's etag, as Google answers it).</summary>
    public static JsonObject CancelledInstance(JsonObject master, Occurrence occurrence)
    {
        var masterId = master["id"]?.GetValue<string>() ?? "";
        return EventResource.CancelledInstance(new JsonObject
        {
            ["id"] = $"{masterId}_{occurrence.InstanceKey}",
            ["recurringEventId"] = masterId,
            ["originalStartTime"] = occurrence.OriginalStartTime.DeepClone(),
        }, EventResource.Text(master, "etag") ?? "");
    }

    public static JsonObject DateTimeJson(Instant instant, DateTimeZone zone, string? timeZoneId)
    {
        var json = new JsonObject { ["dateTime"] = GoogleTime.EventDateTime.Format(instant.InZone(zone).ToOffsetDateTime()) };
        if (timeZoneId is not null) json["timeZone"] = timeZoneId;
        return json;
    }

    private static JsonObject DateJson(LocalDate date) => new() { ["date"] = GoogleTime.Date.Format(date) };

    /// <summary>EXDATE lines: "EXDATE:20250325T130000Z", "EXDATE;TZID=America/Chicago:20250325T080000", "EXDATE;VALUE=DATE:20250325".</summary>
    private static HashSet<string> ExcludedKeys(JsonObject master, EventTiming timing, DateTimeZone calendarZone)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in (master["recurrence"] as JsonArray ?? []).Select(l => l?.GetValue<string>() ?? ""))
        {
            if (!line.StartsWith("EXDATE", StringComparison.OrdinalIgnoreCase)) continue;
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var zone = timing is TimedTiming t ? t.Zone : calendarZone;
            foreach (var param in line[..colon].Split(';').Skip(1))
                if (param.StartsWith("TZID=", StringComparison.OrdinalIgnoreCase) && GoogleTime.TryFindZone(param[5..], out var z)) zone = z;
            foreach (var value in line[(colon + 1)..].Split(','))
            {
                var text = value.Trim().ToUpperInvariant();
                if (DateKey.Parse(text) is { Success: true } date)
                    keys.Add(timing is AllDayTiming ? KeyOf(date.Value) : "date:" + text);
                else if (text.EndsWith('Z') && KeyStamp.Parse(text) is { Success: true } utc)
                    keys.Add(KeyOf(utc.Value));
                else if (LocalDateTimePattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss").Parse(text) is { Success: true } local)
                    keys.Add(KeyOf(zone.ResolveLocal(local.Value, Resolvers.LenientResolver).ToInstant()));
            }
        }
        return keys;
    }
}
