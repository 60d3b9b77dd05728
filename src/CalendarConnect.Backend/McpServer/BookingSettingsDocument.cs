namespace CalendarConnect.Backend.McpServer;

/// <summary>
/// GET|PUT /customers/{id}/booking-settings body (DESIGN.md): <see cref="TimeZone"/> null means the Google calendar's
/// own zone; <see cref="WeeklyHours"/> maps mon…sun to ["HH:mm", "HH:mm"] ranges; <see cref="AllowOffGridStarts"/> lets a
/// booking start at any minute within the hours instead of only at the slot starts.
/// </summary>
public sealed record BookingSettingsDocument(string? TimeZone, Dictionary<string, string[][]> WeeklyHours, int SlotMinutes,
    int BufferBeforeMinutes, int BufferAfterMinutes, int MinNoticeMinutes, int HorizonDays, string[] CalendarIds, bool AllowOffGridStarts = false)
{
    /// <summary>True when every field is present and has the documented shape (the JSON reader leaves missing ones null).</summary>
    public bool IsWellFormed() =>
        WeeklyHours is not null && CalendarIds is not null && CalendarIds.All(id => id is not null)
        && WeeklyHours.All(d => BookingSettingsRules.DayKeys.Contains(d.Key) && d.Value is not null && d.Value.All(r => r is { Length: 2 } && r.All(t => t is not null)));
}
