using NodaTime;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>A part of the day, with the MCP server's boundaries (find_next_available_slots' <c>part_of_day</c>).</summary>
public enum PartOfDay
{
    /// <summary>Before 12:00.</summary>
    Morning,
    /// <summary>12:00 to 18:00.</summary>
    Afternoon,
    /// <summary>From 18:00.</summary>
    Evening,
}

public static class PartOfDayExtensions
{
    private static readonly LocalTime Noon = new(12, 0);
    private static readonly LocalTime Six = new(18, 0);

    /// <summary>The value of find_next_available_slots' <c>part_of_day</c>: morning, afternoon or evening.</summary>
    public static string Code(this PartOfDay period) => period switch
    {
        PartOfDay.Morning => "morning",
        PartOfDay.Afternoon => "afternoon",
        _ => "evening",
    };

    public static bool Contains(this PartOfDay period, LocalTime start) => period switch
    {
        PartOfDay.Morning => start < Noon,
        PartOfDay.Afternoon => start >= Noon && start < Six,
        _ => start >= Six,
    };
}
