using System.Text.Json;
using NodaTime;
using CalendarConnect.Backend.Web;

namespace CalendarConnect.Backend.BookingSettings;

/// <summary>
/// Checks a PUT body of booking settings before it goes to the MCP server, so the admin reads every mistake in
/// Spanish. The fields, limits and time format are the MCP server's (<see cref="BookingSettingsRules"/>, which both use);
/// the MCP server checks again, and whatever it still refuses reaches the admin as its own per-field errors.
/// Error keys are the MCP server's too: field names, and "weekly_hours.mon" … for one day.
/// </summary>
public static class BookingSettingsRequest
{
    private const int MaxUnknownFieldErrors = 10;

    private static readonly IReadOnlyList<string> Fields = BookingSettingsRules.Fields;

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
                case BookingSettingsRules.TimeZone: CheckTimeZone(value, Error); break;
                case BookingSettingsRules.WeeklyHours: CheckWeeklyHours(value, Error); break;
                case BookingSettingsRules.SlotMinutes: CheckInt(value, property.Name, BookingSettingsRules.MinSlotMinutes, BookingSettingsRules.MaxSlotMinutes, Error); break;
                case BookingSettingsRules.BufferBeforeMinutes or BookingSettingsRules.BufferAfterMinutes: CheckInt(value, property.Name, 0, BookingSettingsRules.MaxBufferMinutes, Error); break;
                case BookingSettingsRules.MinNoticeMinutes: CheckInt(value, property.Name, 0, BookingSettingsRules.MaxMinNoticeMinutes, Error); break;
                case BookingSettingsRules.HorizonDays: CheckInt(value, property.Name, BookingSettingsRules.MinHorizonDays, BookingSettingsRules.MaxHorizonDays, Error); break;
                case BookingSettingsRules.CalendarIds: CheckCalendarIds(value, Error); break;
                case BookingSettingsRules.AllowOffGridStarts:
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
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 and <= BookingSettingsRules.MaxTimeZoneLength } id)
        {
            error(BookingSettingsRules.TimeZone, ApiTexts.TimeZoneShape);
            return;
        }
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is null)
            error(BookingSettingsRules.TimeZone, ApiTexts.UnknownTimeZone(id));
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
            error(BookingSettingsRules.CalendarIds, ApiTexts.CalendarIdsShape);
            return;
        }
        var ids = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { } id || string.IsNullOrWhiteSpace(id)
                || id.Length > BookingSettingsRules.MaxCalendarIdLength || id.Any(char.IsControl))
            {
                error(BookingSettingsRules.CalendarIds, ApiTexts.CalendarIdLength(BookingSettingsRules.MaxCalendarIdLength));
                return;
            }
            if (ids.Contains(id, StringComparer.Ordinal))
            {
                error(BookingSettingsRules.CalendarIds, ApiTexts.AppearsTwice(id));
                return;
            }
            ids.Add(id);
        }
        if (ids.Count is 0 or > BookingSettingsRules.MaxCalendars)
            error(BookingSettingsRules.CalendarIds, ApiTexts.CalendarCount(BookingSettingsRules.MaxCalendars));
    }

    private static void CheckWeeklyHours(JsonElement value, Action<string, string> error)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            error(BookingSettingsRules.WeeklyHours, ApiTexts.WeeklyHoursShape);
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unknown = 0;
        foreach (var day in value.EnumerateObject())
        {
            var field = BookingSettingsRules.WeeklyHours + "." + Key(day.Name);
            if (!BookingSettingsRules.DayKeys.Contains(day.Name, StringComparer.Ordinal))
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
        if (value.GetArrayLength() > BookingSettingsRules.MaxRangesPerDay)
        {
            error(field, ApiTexts.RangesPerDay(BookingSettingsRules.MaxRangesPerDay));
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

    private static string Format(int minute) => BookingSettingsRules.FormatMinute(minute);

    private static int? Minute(JsonElement value, bool endOfDay) =>
        value.ValueKind == JsonValueKind.String ? BookingSettingsRules.ParseMinute(value.GetString(), endOfDay) : null;
}
