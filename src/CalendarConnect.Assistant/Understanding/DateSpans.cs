using NodaTime;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>
/// A week counted from this one, Monday to Sunday: "esta semana" / "this week" (0, from today on), "la semana que viene" /
/// "next week" (1), "the week after next" (2).
/// </summary>
/// <param name="Part">"Early next week" Monday–Wednesday, "mid" Tuesday–Thursday, "late" / "later this week" Thursday–Sunday.</param>
public sealed record WeekSpan(int WeeksAhead, PeriodPart Part = PeriodPart.Whole) : DateSpan
{
    public override (LocalDate First, LocalDate Last)? Resolve(LocalDate today)
    {
        var monday = today.PlusDays(-((int)today.DayOfWeek - 1)).PlusWeeks(WeeksAhead);
        var (first, last) = Part switch
        {
            PeriodPart.Beginning => (monday, monday.PlusDays(2)),
            PeriodPart.Middle => (monday.PlusDays(1), monday.PlusDays(3)),
            PeriodPart.End => (monday.PlusDays(3), monday.PlusDays(6)),
            _ => (monday, monday.PlusDays(6)),
        };
        // Said on a Friday, "early this week" has passed: from today it is empty, and the dialogue says so.
        return last < today ? null : (LocalDate.Max(first, today), last);
    }
}

/// <summary>
/// "Entre el lunes y el miércoles", "from Monday to Wednesday": the next such first day (after today) through the
/// next such last day on or after it.
/// </summary>
public sealed record WeekdaysSpan(IsoDayOfWeek First, IsoDayOfWeek Last) : DateSpan
{
    public override (LocalDate First, LocalDate Last)? Resolve(LocalDate today)
    {
        var first = today.Next(First);
        return (first, first.PlusDays(((int)Last - (int)First + 7) % 7));
    }
}

/// <summary>
/// Saturday and Sunday. "Este finde" / "this weekend" is the coming one (today on, when said on a weekend day).
/// "El próximo fin de semana" / "next weekend" is the coming one too, as "next Friday" is the coming Friday (see
/// <see cref="NextWeekday"/>); said on a Saturday or Sunday it is the following one. The reply names the dates.
/// </summary>
public sealed record WeekendSpan(bool Next) : DateSpan
{
    public override (LocalDate First, LocalDate Last)? Resolve(LocalDate today)
    {
        var onWeekend = today.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;
        if (onWeekend && !Next)
            return (today, today.DayOfWeek == IsoDayOfWeek.Sunday ? today : today.PlusDays(1));
        // Next() is strictly after today: on a Saturday, the following Saturday.
        var saturday = today.Next(IsoDayOfWeek.Saturday);
        return (saturday, saturday.PlusDays(1));
    }
}

/// <summary>Which part of a week or a month: its beginning, middle or end (a month's: days 1–10, 11–20, its last 7).</summary>
public enum PeriodPart
{
    Whole,
    /// <summary>Days 1 to 10 ("a principios de", "early", "the beginning of").</summary>
    Beginning,
    /// <summary>Days 11 to 20 ("a mediados de", "mid", "the middle of").</summary>
    Middle,
    /// <summary>
    /// The month's last 7 days ("a fines de", "late", "the end of"): what customers mean by the end of the month is its
    /// last week, and times from the 21st would answer something they did not ask.
    /// </summary>
    End,
    /// <summary>Days 1 to 7 of a month ("la primera semana de", "the first week of").</summary>
    FirstWeek,
    /// <summary>The last seven days of a month ("la última semana de", "the last week of"): the same days as its end.</summary>
    LastWeek,
}

/// <summary>
/// A month or part of one: named ("en febrero", "a mediados de febrero": the next time that month comes, this one
/// included) or counted from this one ("a fines de mes" 0, "a principios del mes que viene" 1). Days already past are
/// left out; a part that has passed entirely means the next such part (next month's, or next year's for a named month).
/// </summary>
public sealed record MonthSpan(int? Month, int MonthsAhead, PeriodPart Part) : DateSpan
{
    public override (LocalDate First, LocalDate Last)? Resolve(LocalDate today)
    {
        var start = new LocalDate(today.Year, today.Month, 1);
        if (Month is { } month)
        {
            if (month is < 1 or > 12) return null;
            start = new LocalDate(month >= today.Month ? today.Year : today.Year + 1, month, 1);
        }
        else start = start.PlusMonths(MonthsAhead);

        var (first, last) = Days(start);
        if (last < today) (first, last) = Days(Month is null ? start.PlusMonths(1) : start.PlusYears(1));
        return (LocalDate.Max(first, today), last);
    }

    private (LocalDate First, LocalDate Last) Days(LocalDate monthStart)
    {
        var end = monthStart.PlusMonths(1).PlusDays(-1);
        return Part switch
        {
            PeriodPart.Beginning => (monthStart, monthStart.PlusDays(9)),
            PeriodPart.Middle => (monthStart.PlusDays(10), monthStart.PlusDays(19)),
            PeriodPart.End or PeriodPart.LastWeek => (end.PlusDays(-6), end),
            PeriodPart.FirstWeek => (monthStart, monthStart.PlusDays(6)),
            _ => (monthStart, end),
        };
    }
}

/// <summary>
/// Two days offered as alternatives: "hoy o mañana", "mañana o pasado", "el martes y el jueves", "monday or tuesday". When
/// they are next to each other both are shown (a span of the two); days apart are no span at all, since the days
/// between them were not offered, and the customer is asked which day — never one of the two picked for them.
/// </summary>
public sealed record AlternativeDays(DateExpression First, DateExpression Second) : DateSpan
{
    public override (LocalDate First, LocalDate Last)? Resolve(LocalDate today)
    {
        if (First.Resolve(today) is not { } one || Second.Resolve(today) is not { } other) return null;
        var (first, last) = one <= other ? (one, other) : (other, one);
        return Period.Between(first, last, PeriodUnits.Days).Days == 1 ? (first, last) : null;
    }
}

/// <summary>
/// From one named day to another: "del 20 al 25", "between the 20th and the 24th", "de lunes a viernes de la semana que
/// viene". Null when the last day comes before the first (the customer is asked).
/// </summary>
public sealed record DaysSpan(DateExpression First, DateExpression Last) : DateSpan
{
    public override (LocalDate First, LocalDate Last)? Resolve(LocalDate today) =>
        First.Resolve(today) is { } first && Last.Resolve(today) is { } last && first <= last ? (LocalDate.Max(first, today), last) : null;
}

/// <summary>"Antes del viernes", "before the 20th": from today to the day before that one; null when that day is today or past.</summary>
public sealed record DaysBefore(DateExpression Day) : DateSpan
{
    public override (LocalDate First, LocalDate Last)? Resolve(LocalDate today) =>
        Day.Resolve(today) is { } day && day > today ? (today, day.PlusDays(-1)) : null;
}

/// <summary>
/// "La semana del 27", "the week of the 27th": Monday to Sunday of the week that day is in, from today on; null when the
/// day names no real date or that week has passed.
/// </summary>
public sealed record WeekOfSpan(DateExpression Day) : DateSpan
{
    public override (LocalDate First, LocalDate Last)? Resolve(LocalDate today)
    {
        if (Day.Resolve(today) is not { } day) return null;
        var monday = day.PlusDays(-((int)day.DayOfWeek - 1));
        var sunday = monday.PlusDays(6);
        return sunday < today ? null : (LocalDate.Max(monday, today), sunday);
    }
}

/// <summary>
/// "The next few days", "los próximos 3 días": today and the <paramref name="Days"/> days after it (today's free times
/// are what "next" starts with; said on Wednesday, "the next few days" is Wednesday to Saturday).
/// </summary>
public sealed record NextDaysSpan(int Days) : DateSpan
{
    /// <summary>How many days "a few" / "unos días" / "los próximos días" are.</summary>
    public const int FewDays = 3;

    public override (LocalDate First, LocalDate Last)? Resolve(LocalDate today) => Days < 1 ? null : (today, today.PlusDays(Days));
}
