using CalendarConnect.McpServer.Availability;
using NodaTime;
using NodaTime.Text;

namespace CalendarConnect.McpServer.Tests.Availability;

/// <summary>Slot computation in the company's zone: offsets per date across both DST changes, gaps and overlaps, and every setting.</summary>
public class SlotFinderTests
{
    private static readonly Duration Hour = Duration.FromHours(1);

    /// <summary>A day before the date: inside the horizon, past the minimum notice.</summary>
    private static Instant DayBefore(LocalDate date, DateTimeZone zone) => zone.AtStartOfDay(date).ToInstant() - Duration.FromDays(1);

    private static SlotRules EveryDay(DateTimeZone zone, params OpeningRange[] ranges) => SlotRules.From(BookingSettings.Default with
    {
        WeeklyHours = Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None).ToDictionary(d => d, IReadOnlyList<OpeningRange> (_) => ranges),
    }, zone);

    private static OpeningRange Range(int fromHour, int toHour) => new(fromHour * 60, toHour * 60);

    private static string Local(Instant instant, DateTimeZone zone) =>
        OffsetDateTimePattern.CreateWithInvariantCulture("HH':'mmo<+HH:mm>").Format(instant.InZone(zone).ToOffsetDateTime());

    [Theory]
    // Europe/Madrid: CET +01:00 until the last Sunday of March, CEST +02:00 until the last Sunday of October.
    [InlineData("Europe/Madrid", "2025-03-28", "+01:00")]
    [InlineData("Europe/Madrid", "2025-03-31", "+02:00")]
    [InlineData("Europe/Madrid", "2025-10-24", "+02:00")]
    [InlineData("Europe/Madrid", "2025-10-27", "+01:00")]
    // America/New_York: second Sunday of March, first Sunday of November.
    [InlineData("America/New_York", "2025-03-07", "-05:00")]
    [InlineData("America/New_York", "2025-03-10", "-04:00")]
    [InlineData("America/New_York", "2025-10-31", "-04:00")]
    [InlineData("America/New_York", "2025-11-03", "-05:00")]
    // Southern hemisphere, America/Santiago: summer time ends in April, starts in September.
    [InlineData("America/Santiago", "2025-04-04", "-03:00")]
    [InlineData("America/Santiago", "2025-04-07", "-04:00")]
    [InlineData("America/Santiago", "2025-09-05", "-04:00")]
    [InlineData("America/Santiago", "2025-09-08", "-03:00")]
    // Southern hemisphere, Australia/Sydney: summer time ends on the first Sunday of April, starts on the first Sunday of October.
    [InlineData("Australia/Sydney", "2025-04-04", "+11:00")]
    [InlineData("Australia/Sydney", "2025-04-07", "+10:00")]
    [InlineData("Australia/Sydney", "2025-10-03", "+10:00")]
    [InlineData("Australia/Sydney", "2025-10-06", "+11:00")]
    public void Business_hours_keep_local_times_and_take_the_dates_offset(string zoneId, string dateText, string offset)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var date = LocalDatePattern.Iso.Parse(dateText).Value;
        var slots = SlotFinder.FreeSlots(date, SlotRules.Default(zone), Hour, [], DayBefore(date, zone));
        Assert.Equal(9, slots.Count);
        var first = slots[0].Start.InZone(zone);
        Assert.Equal(new LocalTime(9, 0), first.TimeOfDay);
        Assert.Equal(offset, OffsetPattern.CreateWithInvariantCulture("+HH:mm").Format(first.Offset));
        Assert.Equal(new LocalTime(17, 0), slots[^1].Start.InZone(zone).TimeOfDay);
        Assert.All(slots, s => Assert.Equal(Hour, s.End - s.Start));
    }

    /// <summary>
    /// Weekly hours that include the hour that does not exist (spring forward) or exists twice (fall back), in
    /// three zones, two of them southern. A missing local start is skipped, a repeated one offered once (its first
    /// occurrence), every slot lasts 60 real minutes and no instant appears twice.
    /// </summary>
    [Theory]
    [InlineData("Europe/Madrid", "2025-03-30", 0, 5, "00:00+01:00 01:00+01:00 03:00+02:00 04:00+02:00")]
    [InlineData("Europe/Madrid", "2025-10-26", 0, 5, "00:00+02:00 01:00+02:00 02:00+02:00 03:00+01:00 04:00+01:00")]
    [InlineData("America/New_York", "2025-03-09", 0, 5, "00:00-05:00 01:00-05:00 03:00-04:00 04:00-04:00")]
    [InlineData("America/New_York", "2025-11-02", 0, 5, "00:00-04:00 01:00-04:00 02:00-05:00 03:00-05:00 04:00-05:00")]
    [InlineData("Australia/Sydney", "2025-10-05", 0, 5, "00:00+10:00 01:00+10:00 03:00+11:00 04:00+11:00")]
    [InlineData("Australia/Sydney", "2025-04-06", 0, 5, "00:00+11:00 01:00+11:00 02:00+11:00 03:00+10:00 04:00+10:00")]
    // Santiago changes at midnight: on 7 September 2025 00:00 does not exist; on 5 April 2025 23:00-24:00 happens twice.
    [InlineData("America/Santiago", "2025-09-07", 0, 3, "01:00-03:00 02:00-03:00")]
    [InlineData("America/Santiago", "2025-04-05", 22, 24, "22:00-03:00 23:00-03:00")]
    public void Dst_gap_and_overlap_hours_in_three_zones(string zoneId, string dateText, int fromHour, int toHour, string expected)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var date = LocalDatePattern.Iso.Parse(dateText).Value;
        var slots = SlotFinder.FreeSlots(date, EveryDay(zone, Range(fromHour, toHour)), Hour, [], DayBefore(date, zone));
        Assert.Equal(expected.Split(' '), slots.Select(s => Local(s.Start, zone)));
        Assert.All(slots, s => Assert.Equal(Hour, s.End - s.Start));
        Assert.Equal(slots.Count, slots.Select(s => s.Start).Distinct().Count());
        Assert.All(slots.Zip(slots.Skip(1)), pair => Assert.True(pair.First.Start < pair.Second.Start));
    }

    [Fact]
    public void Busy_intervals_are_half_open_and_past_slots_are_dropped()
    {
        var zone = DateTimeZoneProviders.Tzdb["America/Argentina/Buenos_Aires"];
        var date = new LocalDate(2025, 1, 16);
        Instant At(int hour, int minute = 0) => zone.AtStrictly(date + new LocalTime(hour, minute)).ToInstant();
        BusyInterval[] busy = [new(At(10), At(11)), new(At(12, 30), At(12, 45)), new(At(17), At(17))];
        var rules = SlotRules.Default(zone) with { MinNotice = Duration.Zero };
        var slots = SlotFinder.FreeSlots(date, rules, Hour, busy, now: At(9, 30));
        Assert.Equal([11, 13, 14, 15, 16, 17], slots.Select(s => s.Start.InZone(zone).Hour));
    }

    [Fact]
    public void Weekends_are_closed_by_default()
    {
        var date = new LocalDate(2025, 1, 18);
        Assert.Empty(SlotFinder.FreeSlots(date, SlotRules.Default(DateTimeZone.Utc), Hour, [], DayBefore(date, DateTimeZone.Utc)));
    }

    [Fact]
    public void Several_ranges_a_day_slot_step_and_a_longer_duration()
    {
        var zone = DateTimeZoneProviders.Tzdb["Europe/Madrid"];
        var date = new LocalDate(2025, 6, 2);
        var rules = EveryDay(zone, new OpeningRange(9 * 60, 13 * 60), new OpeningRange(15 * 60 + 30, 18 * 60)) with { SlotStep = Duration.FromMinutes(30) };
        var half = SlotFinder.FreeSlots(date, rules, Duration.FromMinutes(30), [], DayBefore(date, zone));
        Assert.Equal(8 + 5, half.Count);
        // 90 minutes must fit inside one range: the last morning start is 11:30, the last afternoon one 16:30.
        var long90 = SlotFinder.FreeSlots(date, rules, Duration.FromMinutes(90), [], DayBefore(date, zone)).Select(s => Local(s.Start, zone)).ToList();
        Assert.Equal(["09:00+02:00", "09:30+02:00", "10:00+02:00", "10:30+02:00", "11:00+02:00", "11:30+02:00", "15:30+02:00", "16:00+02:00", "16:30+02:00"], long90);
    }

    [Fact]
    public void Buffers_widen_each_slot_before_the_busy_check()
    {
        var zone = DateTimeZone.Utc;
        var date = new LocalDate(2025, 6, 2);
        Instant At(int hour, int minute = 0) => zone.AtStrictly(date + new LocalTime(hour, minute)).ToInstant();
        BusyInterval[] busy = [new(At(12), At(12, 30))];
        var plain = SlotFinder.FreeSlots(date, SlotRules.Default(zone), Hour, busy, DayBefore(date, zone)).Select(s => s.Start.InZone(zone).Hour);
        Assert.Equal([9, 10, 11, 13, 14, 15, 16, 17], plain);
        var buffered = SlotRules.Default(zone) with { BufferBefore = Duration.FromMinutes(15), BufferAfter = Duration.FromMinutes(1) };
        // 11:00-12:00 plus 1 minute after touches 12:00; 13:00 minus 15 minutes reaches back to 12:45, still clear of 12:30.
        Assert.Equal([9, 10, 13, 14, 15, 16, 17], SlotFinder.FreeSlots(date, buffered, Hour, busy, DayBefore(date, zone)).Select(s => s.Start.InZone(zone).Hour));
        var moreBefore = SlotRules.Default(zone) with { BufferBefore = Duration.FromMinutes(31) };
        Assert.Equal([9, 10, 11, 14, 15, 16, 17], SlotFinder.FreeSlots(date, moreBefore, Hour, busy, DayBefore(date, zone)).Select(s => s.Start.InZone(zone).Hour));
    }

    [Fact]
    public void Minimum_notice_and_horizon_bound_the_starts()
    {
        var zone = DateTimeZone.Utc;
        var date = new LocalDate(2025, 6, 2);
        var now = zone.AtStrictly(date + new LocalTime(10, 15)).ToInstant();
        var rules = SlotRules.Default(zone) with { MinNotice = Duration.FromMinutes(120) };
        Assert.Equal([13, 14, 15, 16, 17], SlotFinder.FreeSlots(date, rules, Hour, [], now).Select(s => s.Start.InZone(zone).Hour));

        var horizon = SlotRules.Default(zone) with { Horizon = Duration.FromDays(2) };
        // Two days after 10:15 is 10:15 two days later: 09:00 and 10:00 are in, 11:00 onwards is beyond the horizon.
        Assert.Equal([9, 10], SlotFinder.FreeSlots(date.PlusDays(2), horizon, Hour, [], now).Select(s => s.Start.InZone(zone).Hour));
        Assert.Empty(SlotFinder.FreeSlots(date.PlusDays(3), horizon, Hour, [], now));
    }

    [Fact]
    public void Check_says_why_an_exact_start_cannot_be_booked()
    {
        var zone = DateTimeZoneProviders.Tzdb["America/Argentina/Buenos_Aires"];
        var date = new LocalDate(2025, 6, 2); // a Monday
        Instant At(LocalDate d, int hour, int minute = 0) => zone.AtStrictly(d + new LocalTime(hour, minute)).ToInstant();
        var rules = SlotRules.Default(zone);
        var now = At(date, 9, 30);
        BusyInterval[] busy = [new(At(date, 14), At(date, 15))];
        Assert.Equal(SlotVerdict.Bookable, SlotFinder.Check(At(date, 11), Hour, rules, busy, now));
        Assert.Equal(SlotVerdict.Bookable, SlotFinder.Check(At(date, 10, 30), Hour, rules, busy, now)); // off the grid but inside the hours
        Assert.Equal(SlotVerdict.TooSoon, SlotFinder.Check(At(date, 10), Hour, rules, busy, now));
        Assert.Equal(SlotVerdict.Busy, SlotFinder.Check(At(date, 13, 30), Hour, rules, busy, now));
        Assert.Equal(SlotVerdict.OutsideHours, SlotFinder.Check(At(date, 17, 30), Hour, rules, busy, now));
        Assert.Equal(SlotVerdict.OutsideHours, SlotFinder.Check(At(date.PlusDays(5), 10), Hour, rules, busy, now)); // Saturday
        Assert.Equal(SlotVerdict.BeyondHorizon, SlotFinder.Check(At(date.PlusDays(70), 10), Hour, rules, busy, now));
    }

    [Fact]
    public void Nearest_alternatives_are_the_closest_free_slots_in_order()
    {
        var zone = DateTimeZone.Utc;
        var date = new LocalDate(2025, 6, 3);
        Instant At(LocalDate d, int hour) => zone.AtStrictly(d + new LocalTime(hour, 0)).ToInstant();
        var rules = SlotRules.Default(zone);
        BusyInterval[] busy = [new(At(date, 9), At(date, 12)), new(At(date, 13), At(date, 18))];
        var now = At(date.PlusDays(-3), 8);
        var alternatives = SlotFinder.NearestAlternatives(At(date, 10), Hour, rules, busy, now, date.PlusDays(-1), date.PlusDays(1), 3);
        // 12:00 the same day is 2 h away, the evening before 17 and 18 h; the next morning (23 h) is further.
        Assert.Equal([At(date.PlusDays(-1), 16), At(date.PlusDays(-1), 17), At(date, 12)], alternatives.Select(s => s.Start));
    }
}
