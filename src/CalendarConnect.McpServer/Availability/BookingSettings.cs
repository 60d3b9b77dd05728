using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;

namespace CalendarConnect.McpServer.Availability;

/// <summary>One opening range of a day, as minutes since local midnight; the end may be 1440 ("24:00").</summary>
public readonly record struct OpeningRange(int StartMinute, int EndMinute);

/// <summary>
/// A company's booking rules (DESIGN.md, booking-settings). <see cref="TimeZone"/> null means "the Google
/// calendar's own zone". Days missing from <see cref="WeeklyHours"/> are closed.
/// </summary>
public sealed record BookingSettings(
    string? TimeZone,
    IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<OpeningRange>> WeeklyHours,
    int SlotMinutes,
    int BufferBeforeMinutes,
    int BufferAfterMinutes,
    int MinNoticeMinutes,
    int HorizonDays,
    IReadOnlyList<string> CalendarIds)
{
    public static BookingSettings Default { get; } = new(
        TimeZone: null,
        WeeklyHours: new[] { IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday }
            .ToDictionary(d => d, IReadOnlyList<OpeningRange> (_) => [new OpeningRange(9 * 60, 18 * 60)]),
        SlotMinutes: 60,
        BufferBeforeMinutes: 0,
        BufferAfterMinutes: 0,
        MinNoticeMinutes: 60,
        HorizonDays: 60,
        CalendarIds: ["primary"]);

    /// <summary>
    /// Whether a booking may start anywhere within the hours (11:17, say). Off by default: appointments start on the slot grid
    /// that get_available_slots offers (<see cref="SlotFinder.IsOnGrid"/>), so one booking never blocks two offered slots.
    /// </summary>
    public bool AllowOffGridStarts { get; init; }

    public IReadOnlyList<OpeningRange> HoursOn(IsoDayOfWeek day) => WeeklyHours.TryGetValue(day, out var ranges) ? ranges : [];
}

/// <summary>
/// The JSON form of <see cref="BookingSettings"/> (snake_case), read strictly: every problem is reported per field,
/// unknown fields included, so an admin sees all mistakes at once. Fields left out take their defaults (a PUT
/// replaces the whole object).
/// The fields, limits and time format are <see cref="BookingSettingsRules"/>, which the backend checks with too.
/// </summary>
public static class BookingSettingsJson
{
    /// <summary>The day keys of weekly_hours (mon…sun, ISO day 1 to 7) with their days.</summary>
    public static readonly IReadOnlyList<(string Key, IsoDayOfWeek Day)> DayKeys =
        BookingSettingsRules.DayKeys.Select((key, i) => (key, (IsoDayOfWeek)(i + 1))).ToList();

    private static readonly IReadOnlyList<string> Fields = BookingSettingsRules.Fields;

    public static JsonObject ToJson(BookingSettings settings) => new()
    {
        [BookingSettingsRules.TimeZone] = settings.TimeZone,
        [BookingSettingsRules.WeeklyHours] = new JsonObject(DayKeys.Select(d => new KeyValuePair<string, JsonNode?>(d.Key,
            new JsonArray(settings.HoursOn(d.Day).Select(r => (JsonNode)new JsonArray(
                BookingSettingsRules.FormatMinute(r.StartMinute), BookingSettingsRules.FormatMinute(r.EndMinute))).ToArray())))),
        [BookingSettingsRules.SlotMinutes] = settings.SlotMinutes,
        [BookingSettingsRules.BufferBeforeMinutes] = settings.BufferBeforeMinutes,
        [BookingSettingsRules.BufferAfterMinutes] = settings.BufferAfterMinutes,
        [BookingSettingsRules.MinNoticeMinutes] = settings.MinNoticeMinutes,
        [BookingSettingsRules.HorizonDays] = settings.HorizonDays,
        [BookingSettingsRules.CalendarIds] = new JsonArray(settings.CalendarIds.Select(id => (JsonNode)JsonValue.Create(id)).ToArray()),
        [BookingSettingsRules.AllowOffGridStarts] = settings.AllowOffGridStarts,
    };

    /// <summary>The settings, or the errors by field name (never both).</summary>
    public static (BookingSettings? Settings, Dictionary<string, string[]> Errors) Parse(JsonElement root)
    {
        var errors = new Dictionary<string, List<string>>();
        void Error(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(message);
        }

        if (root.ValueKind != JsonValueKind.Object)
            return (null, new() { [""] = ["The body must be a JSON object with the booking settings."] });

        var defaults = BookingSettings.Default;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? timeZone = defaults.TimeZone;
        var weeklyHours = defaults.WeeklyHours;
        int slot = defaults.SlotMinutes, before = defaults.BufferBeforeMinutes, after = defaults.BufferAfterMinutes,
            notice = defaults.MinNoticeMinutes, horizon = defaults.HorizonDays;
        var calendarIds = defaults.CalendarIds;
        var allowOffGrid = defaults.AllowOffGridStarts;

        foreach (var property in root.EnumerateObject())
        {
            if (!Fields.Contains(property.Name, StringComparer.Ordinal))
            {
                Error(property.Name, $"Unknown field. Allowed fields: {string.Join(", ", Fields)}.");
                continue;
            }

            if (!seen.Add(property.Name))
            {
                Error(property.Name, "The field appears more than once.");
                continue;
            }

            var value = property.Value;
            switch (property.Name)
            {
                case BookingSettingsRules.TimeZone:
                    timeZone = ParseTimeZone(value, Error);
                    break;
                case BookingSettingsRules.WeeklyHours:
                    weeklyHours = ParseWeeklyHours(value, Error) ?? weeklyHours;
                    break;
                case BookingSettingsRules.SlotMinutes:
                    slot = ParseInt(value, BookingSettingsRules.SlotMinutes, BookingSettingsRules.MinSlotMinutes, BookingSettingsRules.MaxSlotMinutes, Error) ?? slot;
                    break;
                case BookingSettingsRules.BufferBeforeMinutes:
                    before = ParseInt(value, BookingSettingsRules.BufferBeforeMinutes, 0, BookingSettingsRules.MaxBufferMinutes, Error) ?? before;
                    break;
                case BookingSettingsRules.BufferAfterMinutes:
                    after = ParseInt(value, BookingSettingsRules.BufferAfterMinutes, 0, BookingSettingsRules.MaxBufferMinutes, Error) ?? after;
                    break;
                case BookingSettingsRules.MinNoticeMinutes:
                    notice = ParseInt(value, BookingSettingsRules.MinNoticeMinutes, 0, BookingSettingsRules.MaxMinNoticeMinutes, Error) ?? notice;
                    break;
                case BookingSettingsRules.HorizonDays:
                    horizon = ParseInt(value, BookingSettingsRules.HorizonDays, BookingSettingsRules.MinHorizonDays, BookingSettingsRules.MaxHorizonDays, Error) ?? horizon;
                    break;
                case BookingSettingsRules.CalendarIds:
                    calendarIds = ParseCalendarIds(value, Error) ?? calendarIds;
                    break;
                case BookingSettingsRules.AllowOffGridStarts:
                    if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) allowOffGrid = value.GetBoolean();
                    else Error(BookingSettingsRules.AllowOffGridStarts, "Must be true (a booking may start at any minute within the hours) or false (only at the slot starts).");
                    break;
            }
        }

        if (errors.Count > 0) return (null, errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        return (new BookingSettings(timeZone, weeklyHours, slot, before, after, notice, horizon, calendarIds) { AllowOffGridStarts = allowOffGrid }, []);
    }

    private static string? ParseTimeZone(JsonElement value, Action<string, string> error)
    {
        if (value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= BookingSettingsRules.MaxTimeZoneLength } id)
        {
            error(BookingSettingsRules.TimeZone, "Must be an IANA time zone name such as \"Europe/Madrid\", or null to use the Google calendar's own zone.");
            return null;
        }

        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is null)
            error(BookingSettingsRules.TimeZone, $"'{id}' is not a known IANA time zone (for example \"America/Argentina/Buenos_Aires\").");
        return id;
    }

    private static int? ParseInt(JsonElement value, string field, int min, int max, Action<string, string> error)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max) return number;
        error(field, $"Must be a whole number from {min} to {max}.");
        return null;
    }

    private static IReadOnlyList<string>? ParseCalendarIds(JsonElement value, Action<string, string> error)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            error(BookingSettingsRules.CalendarIds, "Must be a list of Google calendar ids, for example [\"primary\"].");
            return null;
        }

        var ids = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { } id || string.IsNullOrWhiteSpace(id) ||
                id.Length > BookingSettingsRules.MaxCalendarIdLength || id.Any(char.IsControl))
            {
                error(BookingSettingsRules.CalendarIds, $"Every calendar id must be a non-empty text of at most {BookingSettingsRules.MaxCalendarIdLength} characters.");
                return null;
            }

            if (ids.Contains(id, StringComparer.Ordinal))
            {
                error(BookingSettingsRules.CalendarIds, $"'{id}' is listed twice.");
                return null;
            }

            ids.Add(id);
        }

        if (ids.Count is 0 or > BookingSettingsRules.MaxCalendars)
        {
            error(BookingSettingsRules.CalendarIds, $"List from 1 to {BookingSettingsRules.MaxCalendars} calendars; \"primary\" is the connected account's main calendar.");
            return null;
        }

        return ids;
    }

    private static IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<OpeningRange>>? ParseWeeklyHours(JsonElement value, Action<string, string> error)
    {
        const string Shape = "Must be an object with days mon..sun, each a list of [\"HH:mm\", \"HH:mm\"] ranges, e.g. {\"mon\": [[\"09:00\", \"13:00\"], [\"15:00\", \"19:00\"]]}.";
        if (value.ValueKind != JsonValueKind.Object)
        {
            error(BookingSettingsRules.WeeklyHours, Shape);
            return null;
        }

        var hours = new Dictionary<IsoDayOfWeek, IReadOnlyList<OpeningRange>>();
        var valid = true;
        foreach (var property in value.EnumerateObject())
        {
            var field = "weekly_hours." + property.Name;
            var dayKey = DayKeys.FirstOrDefault(d => d.Key == property.Name);
            if (dayKey.Key is null)
            {
                error(field, "Unknown day. Use mon, tue, wed, thu, fri, sat, sun.");
                valid = false;
                continue;
            }

            if (hours.ContainsKey(dayKey.Day))
            {
                error(field, "The day appears more than once.");
                valid = false;
                continue;
            }

            if (ParseDay(property.Value, field, error) is { } ranges) hours[dayKey.Day] = ranges;
            else valid = false;
        }

        return valid ? hours : null;
    }

    private static IReadOnlyList<OpeningRange>? ParseDay(JsonElement value, string field, Action<string, string> error)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            error(field, "Must be a list of [\"HH:mm\", \"HH:mm\"] ranges; [] means closed.");
            return null;
        }

        var ranges = new List<OpeningRange>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 2 ||
                ParseMinute(item[0], allowEndOfDay: false) is not { } start || ParseMinute(item[1], allowEndOfDay: true) is not { } end)
            {
                error(field, "Every range must be [\"HH:mm\", \"HH:mm\"] with 24-hour times, e.g. [\"09:00\", \"18:00\"]; \"24:00\" may end a day.");
                return null;
            }

            if (end <= start)
            {
                error(field, $"The range {BookingSettingsRules.FormatMinute(start)}-{BookingSettingsRules.FormatMinute(end)} ends before it starts.");
                return null;
            }

            ranges.Add(new OpeningRange(start, end));
        }

        if (ranges.Count > BookingSettingsRules.MaxRangesPerDay)
        {
            error(field, $"At most {BookingSettingsRules.MaxRangesPerDay} ranges per day.");
            return null;
        }

        ranges.Sort((a, b) => a.StartMinute.CompareTo(b.StartMinute));
        for (var i = 1; i < ranges.Count; i++)
        {
            if (ranges[i].StartMinute < ranges[i - 1].EndMinute)
            {
                error(field, $"The ranges {BookingSettingsRules.FormatMinute(ranges[i - 1].StartMinute)}-{BookingSettingsRules.FormatMinute(ranges[i - 1].EndMinute)} and " +
                    $"{BookingSettingsRules.FormatMinute(ranges[i].StartMinute)}-{BookingSettingsRules.FormatMinute(ranges[i].EndMinute)} overlap.");
                return null;
            }
        }

        return ranges;
    }

    /// <summary>"HH:mm" as minutes since midnight (<see cref="BookingSettingsRules.ParseMinute"/>), or null.</summary>
    private static int? ParseMinute(JsonElement value, bool allowEndOfDay) =>
        value.ValueKind == JsonValueKind.String ? BookingSettingsRules.ParseMinute(value.GetString(), allowEndOfDay) : null;
}
