using System.Globalization;
using CalendarConnect.Benchmark.Hosting;

namespace CalendarConnect.Benchmark.Google;

/// <summary>
/// Days and slot starts in the companies' zone under the MCP server's default booking settings (Monday to Friday,
/// 09:00-18:00, 60-minute slots, 60 minutes' notice, 60 days ahead).
/// </summary>
public static class BusinessDays
{
    public const int FirstHour = 9;
    public const int LastStartHour = 17;

    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById(Stack.TimeZone);

    public static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Zone).DateTime);

    /// <summary>Weekdays from <paramref name="daysAhead"/> days after today on (never today or tomorrow: no slot is in the past).</summary>
    public static IReadOnlyList<DateOnly> Weekdays(int count, int daysAhead = 2)
    {
        var days = new List<DateOnly>();
        for (var day = Today.AddDays(daysAhead); days.Count < count; day = day.AddDays(1))
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) days.Add(day);
        return days;
    }

    public static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>ISO 8601 with the zone's offset on that day, e.g. 2026-03-02T15:00:00-03:00.</summary>
    public static string At(DateOnly day, int hour, int minute = 0)
    {
        var local = day.ToDateTime(new TimeOnly(hour, minute));
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    /// <summary>Every bookable start of the default settings from <paramref name="daysAhead"/> days on, for <paramref name="days"/> weekdays.</summary>
    public static IReadOnlyList<string> SlotStarts(int days, int daysAhead = 2) =>
        Weekdays(days, daysAhead).SelectMany(d => Enumerable.Range(FirstHour, LastStartHour - FirstHour + 1).Select(h => At(d, h))).ToList();

    /// <summary>A Google Event resource for the control API: busy from start to end.</summary>
    public static object BusyEvent(DateOnly day, int startHour, int startMinute, int endHour, int endMinute, string summary = "Ocupado") => new
    {
        summary,
        start = new { dateTime = At(day, startHour, startMinute) },
        end = new { dateTime = At(day, endHour, endMinute) },
    };
}
