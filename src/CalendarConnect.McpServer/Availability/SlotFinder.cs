using NodaTime;

namespace CalendarConnect.McpServer.Availability;

/// <summary>A bookable slot, as instants; shown in the company's zone.</summary>
public readonly record struct Slot(Instant Start, Instant End);

/// <summary>Busy time from Google's freeBusy, half-open: an event ending at 10:00 does not block 10:00.</summary>
public readonly record struct BusyInterval(Instant Start, Instant End);

/// <summary>Why an exact start can or cannot be booked (see <see cref="SlotFinder.Check"/>).</summary>
public enum SlotVerdict
{
    Bookable,

    /// <summary>Starts or ends outside the weekly hours of its local day (a start inside a DST gap included).</summary>
    OutsideHours,

    /// <summary>Starts before now + minimum notice.</summary>
    TooSoon,

    /// <summary>Starts after now + horizon.</summary>
    BeyondHorizon,

    /// <summary>Overlaps busy time, buffers included.</summary>
    Busy,
}

/// <summary>
/// A company's <see cref="BookingSettings"/> resolved to a zone and to durations: everything slot computation needs.
/// </summary>
public sealed record SlotRules(
    DateTimeZone Zone,
    IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<OpeningRange>> WeeklyHours,
    Duration SlotStep,
    Duration BufferBefore,
    Duration BufferAfter,
    Duration MinNotice,
    Duration Horizon)
{
    public static SlotRules From(BookingSettings settings, DateTimeZone zone) => new(
        zone,
        settings.WeeklyHours,
        Duration.FromMinutes(settings.SlotMinutes),
        Duration.FromMinutes(settings.BufferBeforeMinutes),
        Duration.FromMinutes(settings.BufferAfterMinutes),
        Duration.FromMinutes(settings.MinNoticeMinutes),
        Duration.FromDays(settings.HorizonDays));

    /// <summary>The default settings in a zone (tests and the first version's fixed hours).</summary>
    public static SlotRules Default(DateTimeZone zone) => From(BookingSettings.Default, zone);

    public IReadOnlyList<OpeningRange> HoursOn(IsoDayOfWeek day) => WeeklyHours.TryGetValue(day, out var ranges) ? ranges : [];

    /// <summary>Earliest and latest allowed start at <paramref name="now"/>.</summary>
    public (Instant EarliestStart, Instant LatestStart) BookableWindow(Instant now) => (now + MinNotice, now + Horizon);
}

/// <summary>
/// Slot computation, pure and in memory. Slots start at each opening range's start and every slot step after,
/// in local time of the company's zone, and last the requested length in elapsed time (a 60-minute appointment
/// is 60 real minutes, also across a DST change). A local start that does not exist (DST gap) is skipped; one
/// that exists twice (DST overlap) is offered once, at its first occurrence. A slot is free when
/// [start - buffer before, end + buffer after) overlaps no busy interval.
/// </summary>
public static class SlotFinder
{
    /// <summary>Every slot the weekly hours of <paramref name="date"/> allow, before notice, horizon and busy time.</summary>
    public static IEnumerable<Slot> Candidates(LocalDate date, SlotRules rules, Duration length)
    {
        foreach (var range in rules.HoursOn(date.DayOfWeek))
        {
            var rangeEnd = rules.Zone.AtLeniently(date.AtMidnight().PlusMinutes(range.EndMinute)).ToInstant();
            for (var minute = range.StartMinute; minute < range.EndMinute; minute += (int)rules.SlotStep.TotalMinutes)
            {
                var mapping = rules.Zone.MapLocal(date.AtMidnight().PlusMinutes(minute));
                if (mapping.Count == 0) continue;
                var start = mapping.First().ToInstant();
                var end = start + length;
                if (end > rangeEnd) break;
                yield return new Slot(start, end);
            }
        }
    }

    /// <summary>The free slots of one local date.</summary>
    public static IReadOnlyList<Slot> FreeSlots(LocalDate date, SlotRules rules, Duration length, IReadOnlyList<BusyInterval> busy, Instant now)
    {
        var (earliest, latest) = rules.BookableWindow(now);
        return Candidates(date, rules, length)
            .Where(s => s.Start >= earliest && s.Start <= latest && IsFree(s, rules, busy))
            .ToList();
    }

    /// <summary>The slots of a date that notice and horizon allow, busy time aside: what freeBusy must be asked about.</summary>
    public static IReadOnlyList<Slot> OpenSlots(LocalDate date, SlotRules rules, Duration length, Instant now)
    {
        var (earliest, latest) = rules.BookableWindow(now);
        return Candidates(date, rules, length).Where(s => s.Start >= earliest && s.Start <= latest).ToList();
    }

    /// <summary>Whether a slot, with its buffers, is clear of every busy interval.</summary>
    public static bool IsFree(Slot slot, SlotRules rules, IReadOnlyList<BusyInterval> busy)
    {
        var from = slot.Start - rules.BufferBefore;
        var to = slot.End + rules.BufferAfter;
        foreach (var b in busy)
        {
            if (b.Start < to && b.End > from) return false;
        }

        return true;
    }

    /// <summary>
    /// Whether this exact start can be booked for <paramref name="length"/>: inside one opening range of its local
    /// day, within notice and horizon, clear of busy time with buffers. The slot grid is not judged here: the booking
    /// tools refuse a start off it (<see cref="IsOnGrid"/>) unless the company's settings allow any start.
    /// </summary>
    public static SlotVerdict Check(Instant start, Duration length, SlotRules rules, IReadOnlyList<BusyInterval> busy, Instant now)
    {
        var (earliest, latest) = rules.BookableWindow(now);
        if (start < earliest) return SlotVerdict.TooSoon;
        if (start > latest) return SlotVerdict.BeyondHorizon;
        var slot = new Slot(start, start + length);
        if (!IsWithinHours(slot, rules)) return SlotVerdict.OutsideHours;
        return IsFree(slot, rules, busy) ? SlotVerdict.Bookable : SlotVerdict.Busy;
    }

    /// <summary>
    /// Whether <paramref name="start"/> is one of the starts <see cref="Candidates"/> offers on its local date: an opening
    /// range's start plus whole slot steps (buffers do not move the grid). The one definition of the slot grid.
    /// </summary>
    public static bool IsOnGrid(Instant start, SlotRules rules) =>
        Candidates(start.InZone(rules.Zone).Date, rules, Duration.Zero).Any(s => s.Start == start);

    /// <summary>The instants (buffers included) freeBusy must cover to judge every slot of these local dates.</summary>
    public static (Instant From, Instant To) BusyQueryWindow(LocalDate first, LocalDate last, SlotRules rules) =>
        (rules.Zone.AtStartOfDay(first).ToInstant() - rules.BufferBefore,
         // Ranges end at 24:00 at the latest, so no slot of `last` ends after the next local midnight.
         rules.Zone.AtStartOfDay(last.PlusDays(1)).ToInstant() + rules.BufferAfter);

    /// <summary>
    /// Up to <paramref name="count"/> free slots closest in time to <paramref name="requested"/> among the local
    /// dates from <paramref name="first"/> to <paramref name="last"/> (busy must cover <see cref="BusyQueryWindow"/>
    /// of those dates), in chronological order.
    /// </summary>
    public static IReadOnlyList<Slot> NearestAlternatives(Instant requested, Duration length, SlotRules rules, IReadOnlyList<BusyInterval> busy,
        Instant now, LocalDate first, LocalDate last, int count)
    {
        var free = new List<Slot>();
        for (var date = first; date <= last; date = date.PlusDays(1)) free.AddRange(FreeSlots(date, rules, length, busy, now));
        return free
            .Where(s => s.Start != requested)
            .OrderBy(s => Duration.Max(s.Start - requested, requested - s.Start))
            .ThenBy(s => s.Start)
            .Take(count)
            .OrderBy(s => s.Start)
            .ToList();
    }

    private static bool IsWithinHours(Slot slot, SlotRules rules)
    {
        var local = slot.Start.InZone(rules.Zone).LocalDateTime;
        foreach (var range in rules.HoursOn(local.Date.DayOfWeek))
        {
            var rangeStart = local.Date.AtMidnight().PlusMinutes(range.StartMinute);
            var rangeEnd = rules.Zone.AtLeniently(local.Date.AtMidnight().PlusMinutes(range.EndMinute)).ToInstant();
            if (local >= rangeStart && slot.End <= rangeEnd) return true;
        }

        return false;
    }
}
