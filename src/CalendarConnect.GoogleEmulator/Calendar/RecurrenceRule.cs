using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace CalendarConnect.GoogleEmulator.Calendar;

public enum RecurrenceFrequency { Daily, Weekly, Monthly, Yearly }

/// <summary>
/// The RRULE subset the emulator expands: FREQ=DAILY|WEEKLY (plus plain MONTHLY/YEARLY on the start's day),
/// INTERVAL, COUNT, UNTIL, BYDAY, WKST. Dates are local to the event's time zone.
/// </summary>
public sealed record RecurrenceRule(
    RecurrenceFrequency Frequency,
    int Interval,
    int? Count,
    Instant? UntilInstant,
    LocalDateTime? UntilLocal,
    IReadOnlyList<IsoDayOfWeek> ByDay,
    IsoDayOfWeek WeekStart)
{
    private static readonly LocalDateTimePattern UtcStamp = LocalDateTimePattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss'Z'");
    private static readonly LocalDateTimePattern LocalStamp = LocalDateTimePattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss");
    private static readonly LocalDatePattern DateStamp = LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd");

    public static RecurrenceRule? Parse(string line)
    {
        if (!line.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase)) return null;
        RecurrenceFrequency? frequency = null;
        int interval = 1;
        int? count = null;
        Instant? untilInstant = null;
        LocalDateTime? untilLocal = null;
        var byDay = new List<IsoDayOfWeek>();
        var weekStart = IsoDayOfWeek.Monday;
        foreach (var part in line[6..].Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2) return null;
            var value = pair[1].ToUpperInvariant();
            switch (pair[0].ToUpperInvariant())
            {
                case "FREQ":
                    frequency = value switch
                    {
                        "DAILY" => RecurrenceFrequency.Daily,
                        "WEEKLY" => RecurrenceFrequency.Weekly,
                        "MONTHLY" => RecurrenceFrequency.Monthly,
                        "YEARLY" => RecurrenceFrequency.Yearly,
                        _ => null,
                    };
                    if (frequency is null) return null;
                    break;
                case "INTERVAL":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out interval) || interval < 1) return null;
                    break;
                case "COUNT":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var c) || c < 1) return null;
                    count = c;
                    break;
                case "UNTIL":
                    if (UtcStamp.Parse(value) is { Success: true } utc) untilInstant = utc.Value.InUtc().ToInstant();
                    else if (LocalStamp.Parse(value) is { Success: true } local) untilLocal = local.Value;
                    else if (DateStamp.Parse(value) is { Success: true } date) untilLocal = date.Value.At(LocalTime.MaxValue);
                    else return null;
                    break;
                case "BYDAY":
                    foreach (var day in value.Split(','))
                    {
                        // Ordinals ("1MO", "-1FR") only matter for MONTHLY/YEARLY; the weekday is what we honour.
                        if (Weekday(day.TrimStart('+', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9')) is not { } d) return null;
                        if (!byDay.Contains(d)) byDay.Add(d);
                    }
                    break;
                case "WKST":
                    if (Weekday(value) is not { } w) return null;
                    weekStart = w;
                    break;
            }
        }
        if (frequency is null || (count is not null && (untilInstant is not null || untilLocal is not null))) return null;
        return new RecurrenceRule(frequency.Value, interval, count, untilInstant, untilLocal, byDay, weekStart);
    }

    /// <summary>Whether an occurrence starting at this local/instant time is past UNTIL (UNTIL itself is inclusive).</summary>
    public bool IsPastUntil(LocalDateTime localStart, Instant start) =>
        (UntilInstant is { } instant && start > instant) || (UntilLocal is { } local && localStart > local);

    /// <summary>Candidate dates in ascending order, starting with the first date; endless unless the caller stops.</summary>
    public IEnumerable<LocalDate> CandidateDates(LocalDate first)
    {
        var yieldedFirst = false;
        foreach (var date in RuleDates(first))
        {
            // DTSTART is always the first occurrence, even when it does not match the rule (RFC 5545 §3.8.5.3).
            if (!yieldedFirst && date != first) yield return first;
            yieldedFirst = true;
            yield return date;
        }
    }

    private IEnumerable<LocalDate> RuleDates(LocalDate first)
    {
        switch (Frequency)
        {
            case RecurrenceFrequency.Daily:
                for (var d = first; ; d = d.PlusDays(Interval))
                    if (ByDay.Count == 0 || ByDay.Contains(d.DayOfWeek)) yield return d;
            case RecurrenceFrequency.Weekly:
                var days = (ByDay.Count == 0 ? (IReadOnlyList<IsoDayOfWeek>)[first.DayOfWeek] : ByDay)
                    .Select(d => ((int)d - (int)WeekStart + 7) % 7).Order().ToList();
                var weekStart = first.PlusDays(-(((int)first.DayOfWeek - (int)WeekStart + 7) % 7));
                for (var week = weekStart; ; week = week.PlusWeeks(Interval))
                    foreach (var offset in days)
                        if (week.PlusDays(offset) is var d && d >= first) yield return d;
            case RecurrenceFrequency.Monthly:
                for (var k = 0; ; k += Interval)
                    if (first.PlusMonths(k) is var d && d.Day == first.Day) yield return d;
            default:
                for (var k = 0; ; k += Interval)
                    if (first.PlusYears(k) is var d && d.Day == first.Day) yield return d;
        }
    }

    private static IsoDayOfWeek? Weekday(string code) => code switch
    {
        "MO" => IsoDayOfWeek.Monday, "TU" => IsoDayOfWeek.Tuesday, "WE" => IsoDayOfWeek.Wednesday,
        "TH" => IsoDayOfWeek.Thursday, "FR" => IsoDayOfWeek.Friday, "SA" => IsoDayOfWeek.Saturday,
        "SU" => IsoDayOfWeek.Sunday, _ => null,
    };
}
