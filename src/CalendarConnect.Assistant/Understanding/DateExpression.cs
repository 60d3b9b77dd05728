using NodaTime;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>
/// A date as the customer said it, before we know which day "today" is in the company's time zone.
/// Keeping parsing and resolution apart lets the assistant decide whether it needs the calendar at all.
/// </summary>
public abstract record DateExpression
{
    /// <summary>The calendar date meant, or null when the words name no real date (e.g. "31 de febrero").</summary>
    public abstract LocalDate? Resolve(LocalDate today);
}

/// <summary>hoy / mañana / pasado mañana, today / tomorrow / the day after tomorrow.</summary>
public sealed record RelativeDay(int DaysFromToday) : DateExpression
{
    public override LocalDate? Resolve(LocalDate today) => today.PlusDays(DaysFromToday);
}

/// <summary>
/// A weekday name: the next such day, strictly after today. Said on a Thursday, "el jueves" means next week's;
/// for today people say "hoy", or "este jueves" / "this Thursday" (<paramref name="TodayCounts"/>).
/// "El próximo viernes" said on a Wednesday is this week's Friday, the next one to come; the confirmation names the
/// date, so the customer sees which Friday it is. English "next Friday" is <see cref="NextNamedWeekday"/>.
/// </summary>
public sealed record NextWeekday(IsoDayOfWeek Day, bool TodayCounts = false) : DateExpression
{
    public override LocalDate? Resolve(LocalDate today) => TodayCounts && today.DayOfWeek == Day ? today : today.Next(Day);
}

/// <summary>
/// Words that may name one of two dates. <see cref="Resolve"/> gives none: with one real choice that one is taken,
/// with two the customer is asked which (see <see cref="MessageUnderstanding"/>).
/// </summary>
public abstract record DateChoice : DateExpression
{
    public sealed override LocalDate? Resolve(LocalDate today) => null;

    /// <summary>The real dates the words can mean, without repeats.</summary>
    public abstract IReadOnlyList<LocalDate> Choices(LocalDate today);
}

/// <summary>
/// "Next Friday": the coming Friday when it falls in a later week than today. Said earlier in the same week ("next
/// Friday" on a Wednesday) English speakers mean this week's Friday or the following week's, so both are offered and the
/// customer is asked which; never guessed.
/// </summary>
public sealed record NextNamedWeekday(IsoDayOfWeek Day) : DateChoice
{
    public override IReadOnlyList<LocalDate> Choices(LocalDate today)
    {
        var coming = today.Next(Day);
        // Weeks start on Monday (ISO): the coming day lies in this week when its weekday comes later than today's.
        return Day > today.DayOfWeek ? [coming, coming.PlusWeeks(1)] : [coming];
    }
}

/// <summary>"3/2" in English: March 2 (US) or 3 February (UK). Neither is assumed.</summary>
public sealed record EitherDate(CalendarDate MonthFirst, CalendarDate DayFirst) : DateChoice
{
    /// <summary>The real dates among the two readings, month-first first.</summary>
    public override IReadOnlyList<LocalDate> Choices(LocalDate today) =>
        new[] { MonthFirst.Resolve(today), DayFirst.Resolve(today) }.OfType<LocalDate>().Distinct().ToList();
}

/// <summary>
/// "El viernes 17": the 17th when it is a Friday. When it is not ("el jueves 24", and the 24th is a Friday), the
/// customer meant one of the two: the next Thursday or the 24th, and is asked which. When the weekday and the day agree
/// on a day that passed lately ("el martes 14" said on Wednesday 15), that day is meant: it is said to have passed.
/// </summary>
public sealed record WeekdayWithDay(IsoDayOfWeek Weekday, int Day) : DateChoice
{
    public override IReadOnlyList<LocalDate> Choices(LocalDate today)
    {
        // One of two readings the customer chooses between, so the next month that has that day is a fair candidate.
        var dated = new DayOfMonth(Day).NextWithDay(today);
        if (dated is { } agreed && agreed.DayOfWeek == Weekday) return [agreed];
        if (LatelyPassed(today) is { } passed && passed.DayOfWeek == Weekday) return [passed];
        return new[] { (LocalDate?)today.Next(Weekday), dated }.OfType<LocalDate>().Distinct().ToList();
    }

    /// <summary>The last date before today with this day of the month, when it is no more than a month ago (as for <see cref="CalendarDate"/>).</summary>
    private LocalDate? LatelyPassed(LocalDate today)
    {
        var month = new LocalDate(today.Year, today.Month, 1);
        for (var back = 0; back < 2; back++, month = month.PlusMonths(-1))
        {
            if (CalendarDate.TryCreate(month.Year, month.Month, Day) is { } date && date < today)
                return date >= today.PlusDays(-CalendarDate.RecentlyPassedDays) ? date : null;
        }
        return null;
    }
}

/// <summary>Day and month, with or without a year ("15 de enero", "January 15", "15/01", "2025-01-15").</summary>
public sealed record CalendarDate(int? Year, int Month, int Day) : DateExpression
{
    /// <summary>A day-and-month without year that passed this many days ago or less is read as that past day.</summary>
    public const int RecentlyPassedDays = 31;

    public override LocalDate? Resolve(LocalDate today)
    {
        if (Month is < 1 or > 12 || Day < 1) return null;
        if (Year is { } year)
        {
            if (year < 100) year += 2000; // "15/01/25"
            return TryCreate(year, Month, Day);
        }

        // No year: the next time that day comes, today included. A day that passed within the last month is that day,
        // not next year's: "el 10 de enero" said on the 15th is a mistake the customer should hear about ("ya pasó"),
        // not a booking eleven months ahead.
        if (TryCreate(today.Year, Month, Day) is { } thisYear && thisYear < today && thisYear >= today.PlusDays(-RecentlyPassedDays))
            return thisYear;
        if (TryCreate(today.Year - 1, Month, Day) is { } lastYear && lastYear >= today.PlusDays(-RecentlyPassedDays))
            return lastYear;
        // The year that day comes next. A day that year does not have ("29 de febrero" in 2025) is no date: the customer
        // is asked, never moved silently to the next leap year.
        var comesNext = (Month, Day).CompareTo((today.Month, today.Day)) >= 0 ? today.Year : today.Year + 1;
        return TryCreate(comesNext, Month, Day);
    }

    internal static LocalDate? TryCreate(int year, int month, int day) =>
        year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= CalendarSystem.Iso.GetDaysInMonth(year, month)
            ? new LocalDate(year, month, day)
            : null;
}

/// <summary>Only the day of the month ("el 16", "el día 16", "the 16th"): the next such day, today included.</summary>
public sealed record DayOfMonth(int Day) : DateExpression
{
    /// <remarks>
    /// "El 31" in a month of 30 days is no date (the customer is asked), never silently the next month that has a 31st.
    /// </remarks>
    public override LocalDate? Resolve(LocalDate today)
    {
        if (Day is < 1 or > 31) return null;
        // "The 14th" said on the 15th is a slip about a day just gone, not a booking a month ahead: it is said to have passed.
        if (Day < today.Day && today.Day - Day <= JustPassedDays) return new LocalDate(today.Year, today.Month, Day);
        var month = Day >= today.Day ? new LocalDate(today.Year, today.Month, 1) : new LocalDate(today.Year, today.Month, 1).PlusMonths(1);
        return CalendarDate.TryCreate(month.Year, month.Month, Day);
    }

    /// <summary>A day of the month that passed this many days ago or less is that past day (compare <see cref="CalendarDate.RecentlyPassedDays"/>).</summary>
    public const int JustPassedDays = 7;

    /// <summary>The next date with this day of the month, today included, whichever month has it (one reading among others).</summary>
    internal LocalDate? NextWithDay(LocalDate today)
    {
        if (Day is < 1 or > 31) return null;
        var month = new LocalDate(today.Year, today.Month, 1);
        for (var i = 0; i < 13; i++, month = month.PlusMonths(1))
        {
            if (CalendarDate.TryCreate(month.Year, month.Month, Day) is { } date && date >= today) return date;
        }
        return null;
    }
}

/// <summary>
/// "Dentro de un mes", "in 2 months": the same day of the month that many months on (NodaTime keeps it inside a
/// shorter month: a month after 31 January is 28 February).
/// </summary>
public sealed record RelativeMonths(int Months) : DateExpression
{
    public override LocalDate? Resolve(LocalDate today) => today.PlusMonths(Months);
}

/// <summary>
/// "El mes que viene el 3", "the 3rd of next month", "en febrero el 4": that day of the month <paramref name="Month"/>
/// names; null when that month has no such day ("el mes que viene el 31" said in January).
/// </summary>
public sealed record DayInMonth(MonthSpan Month, int Day) : DateExpression
{
    public override LocalDate? Resolve(LocalDate today) =>
        Month.Resolve(today) is var (_, last) ? CalendarDate.TryCreate(last.Year, last.Month, Day) : null;
}

/// <summary>"A month from tomorrow": that many months after another day (NodaTime keeps it inside a shorter month).</summary>
public sealed record MonthsAfter(DateExpression From, int Months) : DateExpression
{
    public override LocalDate? Resolve(LocalDate today) => From.Resolve(today)?.PlusMonths(Months);
}

/// <summary>
/// A weekday in a week counted from this one: "el martes de la semana que viene" (1), "in 2 weeks on Tuesday" (2).
/// Weeks run Monday to Sunday, so "next week's Tuesday" said on a Wednesday is six days away, not thirteen.
/// </summary>
public sealed record WeekdayInWeeks(int Weeks, IsoDayOfWeek Day) : DateExpression
{
    public override LocalDate? Resolve(LocalDate today) =>
        today.PlusDays(-((int)today.DayOfWeek - 1)).PlusWeeks(Weeks).PlusDays((int)Day - 1);
}

/// <summary>"A week from Friday", "a week from today": a day counted from another one.</summary>
public sealed record DaysAfter(DateExpression From, int Days) : DateExpression
{
    public override LocalDate? Resolve(LocalDate today) => From.Resolve(today)?.PlusDays(Days);
}
