using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;

namespace CalendarConnect.McpServer.Availability;

/// <summary>One opening range of a day, as minutes since local midnight; the end may be 1440 ("24:00").</summary>
public readonly record struct OpeningRange(int StartMinute, int EndMinute)
{
    public const int MinutesPerDay = 24 * 60;

    public static string FormatMinute(int minute) => $"{minute / 60:00}:{minute % 60:00}";
}

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
/// </summary>
public static class BookingSettingsJson
{
    public const int MinSlotMinutes = 5;
    public const int MaxSlotMinutes = 1440;
    public const int MaxBufferMinutes = 720;
    public const int MaxMinNoticeMinutes = 60 * 24 * 30;
    public const int MinHorizonDays = 1;
    public const int MaxHorizonDays = 365;
    public const int MaxRangesPerDay = 12;

    /// <summary>freeBusy accepts up to 50 calendars; a handful is what a small business has, and every one costs time per call.</summary>
    public const int MaxCalendars = 10;

    public const int MaxCalendarIdLength = 256;

    public static readonly IReadOnlyList<(string Key, IsoDayOfWeek Day)> DayKeys =
    [
        ("mon", IsoDayOfWeek.Monday), ("tue", IsoDayOfWeek.Tuesday), ("wed", IsoDayOfWeek.Wednesday), ("thu", IsoDayOfWeek.Thursday),
        ("fri", IsoDayOfWeek.Friday), ("sat", IsoDayOfWeek.Saturday), ("sun", IsoDayOfWeek.Sunday),
    ];

    private static readonly string[] Fields =
        ["time_zone", "weekly_hours", "slot_minutes", "buffer_before_minutes", "buffer_after_minutes", "min_notice_minutes", "horizon_days", "calendar_ids",
            "allow_off_grid_starts"];

    public static JsonObject ToJson(BookingSettings settings) => new()
    {
        ["time_zone"] = settings.TimeZone,
        ["weekly_hours"] = new JsonObject(DayKeys.Select(d => new KeyValuePair<string, JsonNode?>(d.Key,
            new JsonArray(settings.HoursOn(d.Day).Select(r => (JsonNode)new JsonArray(
                OpeningRange.FormatMinute(r.StartMinute), OpeningRange.FormatMinute(r.EndMinute))).ToArray())))),
        ["slot_minutes"] = settings.SlotMinutes,
        ["buffer_before_minutes"] = settings.BufferBeforeMinutes,
        ["buffer_after_minutes"] = settings.BufferAfterMinutes,
        ["min_notice_minutes"] = settings.MinNoticeMinutes,
        ["horizon_days"] = settings.HorizonDays,
        ["calendar_ids"] = new JsonArray(settings.CalendarIds.Select(id => (JsonNode)JsonValue.Create(id)).ToArray()),
        ["allow_off_grid_starts"] = settings.AllowOffGridStarts,
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
                case "time_zone":
                    timeZone = ParseTimeZone(value, Error);
                    break;
                case "weekly_hours":
                    weeklyHours = ParseWeeklyHours(value, Error) ?? weeklyHours;
                    break;
                case "slot_minutes":
                    slot = ParseInt(value, "slot_minutes", MinSlotMinutes, MaxSlotMinutes, Error) ?? slot;
                    break;
                case "buffer_before_minutes":
                    before = ParseInt(value, "buffer_before_minutes", 0, MaxBufferMinutes, Error) ?? before;
                    break;
                case "buffer_after_minutes":
                    after = ParseInt(value, "buffer_after_minutes", 0, MaxBufferMinutes, Error) ?? after;
                    break;
                case "min_notice_minutes":
                    notice = ParseInt(value, "min_notice_minutes", 0, MaxMinNoticeMinutes, Error) ?? notice;
                    break;
                case "horizon_days":
                    horizon = ParseInt(value, "horizon_days", MinHorizonDays, MaxHorizonDays, Error) ?? horizon;
                    break;
                case "calendar_ids":
                    calendarIds = ParseCalendarIds(value, Error) ?? calendarIds;
                    break;
                case "allow_off_grid_starts":
                    if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) allowOffGrid = value.GetBoolean();
                    else Error("allow_off_grid_starts", "Must be true (a booking may start at any minute within the hours) or false (only at the slot starts).");
                    break;
            }
        }

        if (errors.Count > 0) return (null, errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        return (new BookingSettings(timeZone, weeklyHours, slot, before, after, notice, horizon, calendarIds) { AllowOffGridStarts = allowOffGrid }, []);
    }

    private static string? ParseTimeZone(JsonElement value, Action<string, string> error)
    {
        if (value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= 64 } id)
        {
            error("time_zone", "Must be an IANA time zone name such as \"Europe/Madrid\", or null to use the Google calendar's own zone.");
            return null;
        }

        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is null)
            error("time_zone", $"'{id}' is not a known IANA time zone (for example \"America/Argentina/Buenos_Aires\").");
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
            error("calendar_ids", "Must be a list of Google calendar ids, for example [\"primary\"].");
            return null;
        }

        var ids = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { } id || string.IsNullOrWhiteSpace(id) ||
                id.Length > MaxCalendarIdLength || id.Any(char.IsControl))
            {
                error("calendar_ids", $"Every calendar id must be a non-empty text of at most {MaxCalendarIdLength} characters.");
                return null;
            }

            if (ids.Contains(id, StringComparer.Ordinal))
            {
                error("calendar_ids", $"'{id}' is listed twice.");
                return null;
            }

            ids.Add(id);
        }

        if (ids.Count is 0 or > MaxCalendars)
        {
            error("calendar_ids", $"List from 1 to {MaxCalendars} calendars; \"primary\" is the connected account's main calendar.");
            return null;
        }

        return ids;
    }

    private static IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<OpeningRange>>? ParseWeeklyHours(JsonElement value, Action<string, string> error)
    {
        const string Shape = "Must be an object with days mon..sun, each a list of [\"HH:mm\", \"HH:mm\"] ranges, e.g. {\"mon\": [[\"09:00\", \"13:00\"], [\"15:00\", \"19:00\"]]}.";
        if (value.ValueKind != JsonValueKind.Object)
        {
            error("weekly_hours", Shape);
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
                error(field, $"The range {OpeningRange.FormatMinute(start)}-{OpeningRange.FormatMinute(end)} ends before it starts.");
                return null;
            }

            ranges.Add(new OpeningRange(start, end));
        }

        if (ranges.Count > MaxRangesPerDay)
        {
            error(field, $"At most {MaxRangesPerDay} ranges per day.");
            return null;
        }

        ranges.Sort((a, b) => a.StartMinute.CompareTo(b.StartMinute));
        for (var i = 1; i < ranges.Count; i++)
        {
            if (ranges[i].StartMinute < ranges[i - 1].EndMinute)
            {
                error(field, $"The ranges {OpeningRange.FormatMinute(ranges[i - 1].StartMinute)}-{OpeningRange.FormatMinute(ranges[i - 1].EndMinute)} and " +
                    $"{OpeningRange.FormatMinute(ranges[i].StartMinute)}-{OpeningRange.FormatMinute(ranges[i].EndMinute)} overlap.");
                return null;
            }
        }

        return ranges;
    }

    /// <summary>"HH:mm" exactly (two digits each), 00:00–23:59; "24:00" only as the end of a range.</summary>
    private static int? ParseMinute(JsonElement value, bool allowEndOfDay)
    {
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: 5 } text || text[2] != ':') return null;
        if (!int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hour) ||
            !int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minute)) return null;
        if (hour == 24 && minute == 0 && allowEndOfDay) return OpeningRange.MinutesPerDay;
        return hour is >= 0 and <= 23 && minute is >= 0 and <= 59 ? hour * 60 + minute : null;
    }
}
