using System.Globalization;
using System.Text.Json;
using NodaTime;
using CalendarConnect.Backend.Web;

namespace CalendarConnect.Backend.BookingSettings;

/// <summary>
/// Checks a PUT body of booking settings before it goes to the MCP server, so the admin reads every mistake in
/// Spanish. The rules and limits are the MCP server's (src/CalendarConnect.McpServer/Availability/BookingSettings.cs);
/// the MCP server checks again, and whatever it still refuses reaches the admin as its own per-field errors.
/// Error keys are the MCP server's too: field names, and "weekly_hours.mon" … for one day.
/// </summary>
public static class BookingSettingsRequest
{
    public const int MinSlotMinutes = 5;
    public const int MaxSlotMinutes = 1440;
    public const int MaxBufferMinutes = 720;
    public const int MaxMinNoticeMinutes = 60 * 24 * 30;
    public const int MinHorizonDays = 1;
    public const int MaxHorizonDays = 365;
    public const int MaxRangesPerDay = 12;
    public const int MaxCalendars = 10;
    public const int MaxCalendarIdLength = 256;
    private const int MaxUnknownFieldErrors = 10;

    public static readonly string[] Fields =
        ["time_zone", "weekly_hours", "slot_minutes", "buffer_before_minutes", "buffer_after_minutes", "min_notice_minutes", "horizon_days", "calendar_ids",
            "allow_off_grid_starts"];

    /// <summary>The errors by field; empty when the body can be sent to the MCP server.</summary>
    public static Dictionary<string, string[]> Validate(JsonElement root)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Error(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            if (!list.Contains(message)) list.Add(message);
        }

        if (root.ValueKind != JsonValueKind.Object)
            return new() { ["body"] = [ApiTexts.SettingsBodyShape] };

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unknown = 0;
        foreach (var property in root.EnumerateObject())
        {
            if (!Fields.Contains(property.Name, StringComparer.Ordinal))
            {
                if (unknown++ < MaxUnknownFieldErrors)
                    Error(Key(property.Name), ApiTexts.SettingsUnknownField(string.Join(", ", Fields)));
                continue;
            }
            if (!seen.Add(property.Name))
            {
                Error(property.Name, ApiTexts.Duplicate);
                continue;
            }

            var value = property.Value;
            switch (property.Name)
            {
                case "time_zone": CheckTimeZone(value, Error); break;
                case "weekly_hours": CheckWeeklyHours(value, Error); break;
                case "slot_minutes": CheckInt(value, property.Name, MinSlotMinutes, MaxSlotMinutes, Error); break;
                case "buffer_before_minutes" or "buffer_after_minutes": CheckInt(value, property.Name, 0, MaxBufferMinutes, Error); break;
                case "min_notice_minutes": CheckInt(value, property.Name, 0, MaxMinNoticeMinutes, Error); break;
                case "horizon_days": CheckInt(value, property.Name, MinHorizonDays, MaxHorizonDays, Error); break;
                case "calendar_ids": CheckCalendarIds(value, Error); break;
                case "allow_off_grid_starts":
                    if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) Error(property.Name, ApiTexts.OffGridStartsShape);
                    break;
            }
        }
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    private static string Key(string name) => name.Length <= 64 ? name : name[..64] + "…";

    private static void CheckTimeZone(JsonElement value, Action<string, string> error)
    {
        if (value.ValueKind == JsonValueKind.Null) return;
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= 64 } id)
        {
            error("time_zone", ApiTexts.TimeZoneShape);
            return;
        }
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is null)
            error("time_zone", ApiTexts.UnknownTimeZone(id));
    }

    private static void CheckInt(JsonElement value, string field, int min, int max, Action<string, string> error)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number >= min && number <= max) return;
        error(field, ApiTexts.WholeNumberBetween(min, max));
    }

    private static void CheckCalendarIds(JsonElement value, Action<string, string> error)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            error("calendar_ids", ApiTexts.CalendarIdsShape);
            return;
        }
        var ids = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { } id || string.IsNullOrWhiteSpace(id)
                || id.Length > MaxCalendarIdLength || id.Any(char.IsControl))
            {
                error("calendar_ids", ApiTexts.CalendarIdLength(MaxCalendarIdLength));
                return;
            }
            if (ids.Contains(id, StringComparer.Ordinal))
            {
                error("calendar_ids", ApiTexts.AppearsTwice(id));
                return;
            }
            ids.Add(id);
        }
        if (ids.Count is 0 or > MaxCalendars)
            error("calendar_ids", ApiTexts.CalendarCount(MaxCalendars));
    }

    private static void CheckWeeklyHours(JsonElement value, Action<string, string> error)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            error("weekly_hours", ApiTexts.WeeklyHoursShape);
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unknown = 0;
        foreach (var day in value.EnumerateObject())
        {
            var field = "weekly_hours." + Key(day.Name);
            if (!McpServer.BookingSettingsDocument.DayKeys.Contains(day.Name, StringComparer.Ordinal))
            {
                if (unknown++ < MaxUnknownFieldErrors) error(field, ApiTexts.UnknownDay);
                continue;
            }
            if (!seen.Add(day.Name))
            {
                error(field, ApiTexts.Duplicate);
                continue;
            }
            CheckDay(day.Value, field, error);
        }
    }

    private static void CheckDay(JsonElement value, string field, Action<string, string> error)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            error(field, ApiTexts.DayShape);
            return;
        }
        if (value.GetArrayLength() > MaxRangesPerDay)
        {
            error(field, ApiTexts.RangesPerDay(MaxRangesPerDay));
            return;
        }
        var ranges = new List<(int Start, int End)>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 2
                || Minute(item[0], endOfDay: false) is not { } start || Minute(item[1], endOfDay: true) is not { } end)
            {
                error(field, ApiTexts.RangeShape);
                return;
            }
            if (end <= start)
            {
                error(field, ApiTexts.RangeInverted(Format(start), Format(end)));
                return;
            }
            ranges.Add((start, end));
        }
        ranges.Sort();
        for (var i = 1; i < ranges.Count; i++)
        {
            if (ranges[i].Start < ranges[i - 1].End)
            {
                error(field, ApiTexts.RangesOverlap($"{Format(ranges[i - 1].Start)}–{Format(ranges[i - 1].End)}", $"{Format(ranges[i].Start)}–{Format(ranges[i].End)}"));
                return;
            }
        }
    }

    private static string Format(int minute) => $"{minute / 60:00}:{minute % 60:00}";

    /// <summary>"HH:mm" exactly, 00:00–23:59; "24:00" only as the end of a range.</summary>
    private static int? Minute(JsonElement value, bool endOfDay)
    {
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: 5 } text || text[2] != ':') return null;
        if (!int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hour)
            || !int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minute)) return null;
        if (hour == 24 && minute == 0 && endOfDay) return 24 * 60;
        return hour is >= 0 and <= 23 && minute is >= 0 and <= 59 ? hour * 60 + minute : null;
    }
}
