using NodaTime;

namespace CalendarConnect.McpServer.Availability;

/// <summary>A bookable slot, as instants, with the zone it is shown in.</summary>
public readonly record struct Slot(Instant Start, Instant End);

/// <summary>
/// Business hours of a company. This first version is fixed (DESIGN.md defaults): Monday to Friday 09:00–18:00,
/// 60-minute slots on the hour; per-company settings come with the booking-settings issue.
/// </summary>
public sealed record BusinessHours(LocalTime Opens, LocalTime Closes, Period SlotLength, IReadOnlySet<IsoDayOfWeek> OpenDays)
{
    public static BusinessHours Default { get; } = new(new LocalTime(9, 0), new LocalTime(18, 0), Period.FromMinutes(60),
        new HashSet<IsoDayOfWeek> { IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday });
}

/// <summary>
/// Computes free slots of one local date in the calendar's zone. Local times are mapped to instants with
/// NodaTime's lenient resolver, so a DST gap or overlap never produces a slot that does not exist or exists twice.
/// </summary>
public static class SlotFinder
{
    /// <summary>The instants between which a date's business hours lie (for the freeBusy query).</summary>
    public static (Instant From, Instant To) BusinessWindow(LocalDate date, DateTimeZone zone, BusinessHours hours) =>
        (zone.AtLeniently(date + hours.Opens).ToInstant(), zone.AtLeniently(date + hours.Closes).ToInstant());

    public static IReadOnlyList<Slot> FreeSlots(LocalDate date, DateTimeZone zone, BusinessHours hours, IEnumerable<(Instant Start, Instant End)> busy, Instant now)
    {
        if (!hours.OpenDays.Contains(date.DayOfWeek)) return [];
        var busyList = busy.Where(b => b.End > b.Start).ToList();
        var slots = new List<Slot>();
        var seen = new HashSet<Instant>();
        for (var start = date + hours.Opens; start.PlusMinutes(0) < date + hours.Closes; start += hours.SlotLength)
        {
            var end = start + hours.SlotLength;
            if (end > date + hours.Closes) break;
            var startInstant = zone.AtLeniently(start).ToInstant();
            var endInstant = zone.AtLeniently(end).ToInstant();
            if (endInstant <= startInstant || !seen.Add(startInstant)) continue;
            if (startInstant <= now) continue;
            // Half-open intervals: an event ending at 10:00 does not block the 10:00 slot.
            if (busyList.Any(b => b.Start < endInstant && b.End > startInstant)) continue;
            slots.Add(new Slot(startInstant, endInstant));
        }

        return slots;
    }
}
