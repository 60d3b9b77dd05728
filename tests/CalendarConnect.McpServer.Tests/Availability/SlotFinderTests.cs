using CalendarConnect.McpServer.Availability;
using NodaTime;
using NodaTime.Text;

namespace CalendarConnect.McpServer.Tests.Availability;

/// <summary>Slot computation in the calendar's zone: offsets per date across both DST changes, gaps and overlaps.</summary>
public class SlotFinderTests
{
    private static readonly Instant LongAgo = Instant.FromUtc(2000, 1, 1, 0, 0);

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
    public void Business_hours_keep_local_times_and_take_the_dates_offset(string zoneId, string dateText, string offset)
    {
        var zone = DateTimeZoneProviders.Tzdb[zoneId];
        var date = LocalDatePattern.Iso.Parse(dateText).Value;
        var slots = SlotFinder.FreeSlots(date, zone, BusinessHours.Default, [], LongAgo);
        Assert.Equal(9, slots.Count);
        var first = slots[0].Start.InZone(zone);
        Assert.Equal(new LocalTime(9, 0), first.TimeOfDay);
        Assert.Equal(offset, OffsetPattern.CreateWithInvariantCulture("+HH:mm").Format(first.Offset));
        Assert.Equal(new LocalTime(17, 0), slots[^1].Start.InZone(zone).TimeOfDay);
        Assert.All(slots, s => Assert.Equal(Duration.FromHours(1), s.End - s.Start));
    }

    [Fact]
    public void A_spring_forward_gap_yields_no_slot_that_does_not_exist()
    {
        // Madrid, 30 March 2025: 02:00 jumps to 03:00.
        var zone = DateTimeZoneProviders.Tzdb["Europe/Madrid"];
        var allDays = new HashSet<IsoDayOfWeek>(Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None));
        var night = new BusinessHours(new LocalTime(0, 0), new LocalTime(5, 0), Period.FromHours(1), allDays);
        var slots = SlotFinder.FreeSlots(new LocalDate(2025, 3, 30), zone, night, [], LongAgo);
        var starts = slots.Select(s => s.Start.InZone(zone).TimeOfDay.ToString("HH:mm", null)).ToList();
        Assert.Equal(["00:00", "01:00", "03:00", "04:00"], starts);
        Assert.Equal(slots.Count, slots.Select(s => s.Start).Distinct().Count());
    }

    [Fact]
    public void A_fall_back_overlap_offers_each_instant_once()
    {
        // New York, 2 November 2025: 01:00-02:00 happens twice.
        var zone = DateTimeZoneProviders.Tzdb["America/New_York"];
        var allDays = new HashSet<IsoDayOfWeek>(Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None));
        var night = new BusinessHours(new LocalTime(0, 0), new LocalTime(4, 0), Period.FromHours(1), allDays);
        var slots = SlotFinder.FreeSlots(new LocalDate(2025, 11, 2), zone, night, [], LongAgo);
        Assert.Equal(slots.Count, slots.Select(s => s.Start).Distinct().Count());
        Assert.All(slots, s => Assert.True(s.End > s.Start));
    }

    [Fact]
    public void Busy_intervals_are_half_open_and_past_slots_are_dropped()
    {
        var zone = DateTimeZoneProviders.Tzdb["America/Argentina/Buenos_Aires"];
        var date = new LocalDate(2025, 1, 16);
        Instant At(int hour, int minute = 0) => zone.AtStrictly(date + new LocalTime(hour, minute)).ToInstant();
        var busy = new[] { (At(10), At(11)), (At(12, 30), At(12, 45)), (At(17), At(17)) };
        var slots = SlotFinder.FreeSlots(date, zone, BusinessHours.Default, busy, now: At(9, 30));
        Assert.Equal([11, 13, 14, 15, 16, 17], slots.Select(s => s.Start.InZone(zone).Hour));
    }

    [Fact]
    public void Weekends_are_closed() =>
        Assert.Empty(SlotFinder.FreeSlots(new LocalDate(2025, 1, 18), DateTimeZone.Utc, BusinessHours.Default, [], LongAgo));
}
