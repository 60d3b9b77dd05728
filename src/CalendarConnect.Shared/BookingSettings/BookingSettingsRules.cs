using System.Globalization;

namespace CalendarConnect.Shared;

/// <summary>
/// The booking settings' JSON fields, limits and time format (DESIGN.md, booking-settings): the MCP server enforces
/// them, and the backend checks a PUT with the same ones first so the admin reads every mistake in Spanish.
/// </summary>
public static class BookingSettingsRules
{
    public const int MinSlotMinutes = 5;
    public const int MaxSlotMinutes = 24 * 60;
    public const int MaxBufferMinutes = 720;
    public const int MaxMinNoticeMinutes = 60 * 24 * 30;
    public const int MinHorizonDays = 1;
    public const int MaxHorizonDays = 365;
    public const int MaxRangesPerDay = 12;

    /// <summary>freeBusy accepts up to 50 calendars; a handful is what a small business has, and every one costs time per call.</summary>
    public const int MaxCalendars = 10;

    public const int MaxCalendarIdLength = 256;

    /// <summary>The longest IANA zone name accepted (the longest in the database is about 32).</summary>
    public const int MaxTimeZoneLength = 64;

    public const int MinutesPerDay = 24 * 60;

    public const string TimeZone = "time_zone", WeeklyHours = "weekly_hours", SlotMinutes = "slot_minutes",
        BufferBeforeMinutes = "buffer_before_minutes", BufferAfterMinutes = "buffer_after_minutes", MinNoticeMinutes = "min_notice_minutes",
        HorizonDays = "horizon_days", CalendarIds = "calendar_ids", AllowOffGridStarts = "allow_off_grid_starts";

    /// <summary>Every field of the settings object, in the order they are written.</summary>
    public static readonly IReadOnlyList<string> Fields =
        [TimeZone, WeeklyHours, SlotMinutes, BufferBeforeMinutes, BufferAfterMinutes, MinNoticeMinutes, HorizonDays, CalendarIds, AllowOffGridStarts];

    /// <summary>The days of <see cref="WeeklyHours"/>, Monday first (ISO day 1 to 7).</summary>
    public static readonly IReadOnlyList<string> DayKeys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>"HH:mm" exactly (two digits each), 00:00–23:59, as minutes since midnight; "24:00" only as the end of a range.</summary>
    public static int? ParseMinute(string? text, bool allowEndOfDay)
    {
        if (text is not { Length: 5 } || text[2] != ':') return null;
        if (!int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hour) ||
            !int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minute)) return null;
        if (hour == 24 && minute == 0 && allowEndOfDay) return MinutesPerDay;
        return hour is >= 0 and <= 23 && minute is >= 0 and <= 59 ? hour * 60 + minute : null;
    }

    /// <summary>Minutes since midnight as "HH:mm" (1440 as "24:00").</summary>
    public static string FormatMinute(int minute) => $"{minute / 60:00}:{minute % 60:00}";
}
