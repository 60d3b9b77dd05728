using System.Text.RegularExpressions;
using static CalendarConnect.Assistant.Understanding.MatchText;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>
/// Several days named as one: a week ("next week", "la semana que viene"), a weekend ("este finde", "next weekend"), a
/// month or part of one ("a principios del mes que viene", "end of the month", "mediados de febrero", "en febrero").
/// A weekday said with a week ("el martes de la semana que viene", "in 2 weeks on tuesday") is one day instead.
/// </summary>
internal static partial class SpanReader
{
    [GeneratedRegex(@"\b(?:el\s+)?(?:(?<next>proximo)\s+fin de semana|fin de semana\s+(?<next>que viene|proximo)|(?<next>next)\s+weekend|(?:este|el)\s+fin de semana|(?:this|the)\s+weekend|fin de semana|weekend)\b", Options, TimeoutMs)]
    private static partial Regex Weekend();

    /// <summary>The words for each part of a week or a month, each written once (<see cref="PartOf"/> reads them back).</summary>
    private const string BeginningWords = "principios|comienzos|inicios|beginning|start|early";

    private const string MiddleWords = "mediados|middle|mid";

    private const string EndWords = "fines|finales|fin|end|late|later";

    /// <summary>"La primera semana de", "the last week of": the first or last seven days of the month that follows.</summary>
    private const string WeekOfMonthPhrase = @"(?:the\s+)?(?<week>primera|primer|first|ultima|last|final)\s+(?:semana|week)\s+(?:de|del|of)(?:\s+the)?\s+";

    /// <summary>"A principios de", "a mediados del", "the end of the", "early", "mid-": a part before a week or a month.</summary>
    private const string PartPhrase = @"(?:(?:a|para|hacia|at|in|by|around|towards)\s+)?(?:the\s+)?(?<part>" + BeginningWords + "|" + MiddleWords + "|" + EndWords + @")(?:\s+(?:de|del|of)(?:\s+the)?)?[\s-]+";

    [GeneratedRegex(@"\b(?:" + PartPhrase + @")?(?:(?:la\s+)?semana\s+(?<next>que viene|que entra|proxima|siguiente)|(?:la\s+)?(?<next>proxima|otra)\s+semana|(?<after>the\s+)?week after next|(?<next>next|the following)\s+week|(?:esta|this)\s+week|esta\s+semana)\b", Options, TimeoutMs)]
    private static partial Regex Week();

    [GeneratedRegex(@"\b" + DateReader.OffsetLead + @"\s+(?<n>" + NumberWords.Count + @")\s+(?:semanas?|weeks?)\b", Options, TimeoutMs)]
    private static partial Regex InWeeks();

    /// <summary>One day of <see cref="AlternativeDays"/> (said with "o" / "or", or "y" / "and": "el martes y el jueves" offers both): a relative day or a weekday ("pasado" alone only as the second).</summary>
    private const string AlternativeDay = @"(?:(?:el|the)\s+\d{1,2}(?:st|nd|rd|th)?|(?:(?:el|the|on)\s+)?(?:pasado manana|manana|hoy|tomorrow|today|(?:the\s+)?day after(?:\s+tomorrow)?|" + DateReader.WeekdayNames + "))";

    [GeneratedRegex(@"\b(?<!\b(?:la|esta)\s)(?<!\b(?:entre|between|from|de|desde)\s+(?:(?:el|the)\s+)?)(?<first>" + AlternativeDay + @")\s+(?:o|u|or|y|e|and)\s+(?<second>" + AlternativeDay + @"|pasado|\d{1,2}(?:st|nd|rd|th))\b(?!\s*(?::|am\b|pm\b|hs?\b|de la\b))", Options, TimeoutMs)]
    private static partial Regex EitherDay();

    /// <summary>"Del 20 al 25", "entre el 20 y el 25 de febrero", "between the 20th and the 24th": days of the month, not hours.</summary>
    [GeneratedRegex(@"\b(?:entre el|between the|from the|del|desde el)\s+(?<first>\d{1,2})(?:st|nd|rd|th)?\s+(?:y el|and the|to the|al|hasta el|till the|until the|-)\s+(?<last>\d{1,2})(?:st|nd|rd|th)?\b(?:\s+(?:de|of)\s+(?<month>" + DateReader.MonthNames + @")\b)?(?!\s*(?::|am\b|pm\b|hs?\b|horas?\b|de la\b|personas?\b|people\b))", Options, TimeoutMs)]
    private static partial Regex DayToDay();

    /// <summary>"Antes del viernes", "antes del 20", "before friday", "before the 20th": the days up to that one.</summary>
    [GeneratedRegex(@"\b(?:antes del|before|no later than)\s+(?:the\s+)?(?<day>" + DateReader.WeekdayNames + @"|\d{1,2}(?:st|nd|rd|th)|(?<=antes del\s+)\d{1,2})\b(?!\s*(?::|am\b|pm\b|hs?\b|de la\b))", Options, TimeoutMs)]
    private static partial Regex BeforeDay();

    [GeneratedRegex(@"\b(?<weekday>" + DateReader.WeekdayNames + @")\b", Options, TimeoutMs)]
    private static partial Regex WeekdayName();

    /// <summary>"La semana del 27", "la semana del 3 de febrero", "the week of the 27th", "the week of feb 3": the week that day is in.</summary>
    [GeneratedRegex(@"\b(?:la\s+)?semana\s+del\s+(?:dia\s+)?(?<day>\d{1,2})\b(?:\s+de\s+(?<month>" + DateReader.MonthNames + @")\b)?(?!\s*(?::|am\b|pm\b|hs?\b))|\b(?:the\s+)?week\s+of\s+(?:the\s+)?(?:(?<month>" + DateReader.MonthNames + @")\s+)?(?<day>\d{1,2})(?:st|nd|rd|th)?\b(?:\s+of\s+(?<month>" + DateReader.MonthNames + @")\b)?", Options, TimeoutMs)]
    private static partial Regex WeekOfDay();

    /// <summary>
    /// "The next few days", "in the next 3 days", "los próximos días", "en los próximos dos días", "these next couple of
    /// days": from today on, that many days after it; "few" and a Spanish "próximos días" without a number are
    /// <see cref="NextDaysSpan.FewDays"/>, "a couple" two.
    /// </summary>
    [GeneratedRegex(@"\b(?:the|these)\s+(?:next|coming|following)\s+(?<n>few|couple(?:\s+of)?|" + NumberWords.Count + @")\s+days\b|\b(?:los|estos)\s+(?:proximos|siguientes)\s+(?:(?<n>" + NumberWords.Count + @")\s+)?dias\b", Options, TimeoutMs)]
    private static partial Regex NextDays();

    /// <summary>
    /// A part of a month ("a principios de", "mediados de", "end of the", "early") before a month, or a month alone after
    /// "en"/"in"/"durante" ("en febrero"), or "este mes" / "next month". "El 20 de febrero" and "for february 4" are
    /// dates, not spans.
    /// </summary>
    [GeneratedRegex(@"\b(?:" + PartPhrase + "|" + WeekOfMonthPhrase + @"|(?<in>en|in|durante|during|para|for|sometime in)\s+(?:el\s+)?)?(?:(?<next>mes que viene|proximo mes|mes proximo|next month)|(?<this>este mes|this month|mes|month)|(?<name>" + DateReader.MonthNames + @")(?!\s+\d{1,2}(?:st|nd|rd|th)?\b(?!\s*(?::|[.h]\d{2}\b|am\b|pm\b|hs?\b|horas?\b))))\b", Options, TimeoutMs)]
    private static partial Regex MonthPhrase();

    /// <summary>"Entre el lunes y el miércoles", "from monday to wednesday", "de lunes a viernes".</summary>
    [GeneratedRegex(@"\b(?:entre|between|from|de|desde)\s+(?:el\s+|the\s+)?(?<first>" + DateReader.WeekdayNames + @")\s+(?:y|and|to|a|al|hasta|through|till|until|-)\s+(?:el\s+|the\s+)?(?<last>" + DateReader.WeekdayNames + @")\b", Options, TimeoutMs)]
    private static partial Regex WeekdayToWeekday();

    private static PeriodPart PartOf(string word) =>
        word.Length == 0 ? PeriodPart.Whole
        : BeginningWords.Split('|').Contains(word) ? PeriodPart.Beginning
        : MiddleWords.Split('|').Contains(word) ? PeriodPart.Middle
        : EndWords.Split('|').Contains(word) ? PeriodPart.End
        : PeriodPart.Whole;

    /// <summary>How many weeks from this one a <see cref="Week"/> match names: this week 0, next week 1, the week after next 2.</summary>
    private static int WeeksFromNow(Match week) =>
        week.Groups["after"].Success || week.Value.Contains("after next", StringComparison.Ordinal) ? 2
        : week.Groups["next"].Success ? 1 : 0;

    /// <summary>"Mañana o pasado": "pasado" after "o" is the day after tomorrow, "the day after" after "tomorrow or" too.</summary>
    private static string Alternative(string second) => second switch
    {
        "pasado" => "pasado manana",
        "day after" or "the day after" => "day after tomorrow",
        _ when char.IsAsciiDigit(second[0]) => "el " + second,
        _ => second,
    };

    /// <summary>The span in <paramref name="text"/>, or the one day a weekday picks inside a week, and the text with them blanked out.</summary>
    public static (DateSpan? Span, DateExpression? Day, string Remaining) Read(string text)
    {
        if (EitherDay().Match(text) is { Success: true } either
            && DateReader.Read(either.Groups["first"].Value, null).Date is { } one
            && DateReader.Read(Alternative(either.Groups["second"].Value), null).Date is { } other)
        {
            var rest = Blank(text, either);
            // "Thurs or fri next week", "el martes o el miércoles de la semana que viene": both days in that week.
            if (one is NextWeekday first && other is NextWeekday second && Week().Match(rest) is { Success: true } inWeek)
                return (new AlternativeDays(new WeekdayInWeeks(WeeksFromNow(inWeek), first.Day), new WeekdayInWeeks(WeeksFromNow(inWeek), second.Day)),
                    null, Blank(rest, inWeek));
            return (new AlternativeDays(one, other), null, rest);
        }

        if (DayToDay().Match(text) is { Success: true } dayToDay)
        {
            var (first, last) = (Int(dayToDay.Groups["first"]), Int(dayToDay.Groups["last"]));
            return dayToDay.Groups["month"].Success
                ? (new DaysSpan(new CalendarDate(null, DateReader.MonthNumber(dayToDay.Groups["month"].Value), first),
                    new CalendarDate(null, DateReader.MonthNumber(dayToDay.Groups["month"].Value), last)), null, Blank(text, dayToDay))
                : (new DaysSpan(new DayOfMonth(first), new DayOfMonth(last)), null, Blank(text, dayToDay));
        }

        if (BeforeDay().Match(text) is { Success: true } before
            && DateReader.Read(char.IsAsciiDigit(before.Groups["day"].Value[0]) ? "el " + before.Groups["day"].Value : before.Groups["day"].Value, null).Date is { } limit)
            return (new DaysBefore(limit), null, Blank(text, before));

        if (WeekOfDay().Match(text) is { Success: true } weekOf)
        {
            var day = Int(weekOf.Groups["day"]);
            DateExpression named = weekOf.Groups["month"].Success ? new CalendarDate(null, DateReader.MonthNumber(weekOf.Groups["month"].Value), day) : new DayOfMonth(day);
            return (new WeekOfSpan(named), null, Blank(text, weekOf));
        }

        if (NextDays().Match(text) is { Success: true } nextDays)
        {
            var count = nextDays.Groups["n"].Value;
            var after = count.Length == 0 || count == "few" ? NextDaysSpan.FewDays : count.StartsWith("couple", StringComparison.Ordinal) ? 2 : NumberWords.Parse(count);
            return (new NextDaysSpan(after), null, Blank(text, nextDays));
        }

        if (Weekend().Match(text) is { Success: true } weekend)
            return (new WeekendSpan(weekend.Groups["next"].Success), null, Blank(text, weekend));

        if (InWeeks().Match(text) is { Success: true } inWeeks && WeekdayName().Match(text) is { Success: true } dayInWeeks)
        {
            var rest = Blank(Blank(text, inWeeks), dayInWeeks);
            return (null, new WeekdayInWeeks(NumberWords.Parse(inWeeks.Groups["n"].Value), DateReader.WeekdayOf(dayInWeeks.Value)), rest);
        }

        if (Week().Match(text) is { Success: true } week)
        {
            var weeks = WeeksFromNow(week);
            var rest = Blank(text, week);
            // "De lunes a viernes de la semana que viene": those days of that week.
            if (WeekdayToWeekday().Match(rest) is { Success: true } daysOfWeek)
                return (new DaysSpan(new WeekdayInWeeks(weeks, DateReader.WeekdayOf(daysOfWeek.Groups["first"].Value)),
                    new WeekdayInWeeks(weeks, DateReader.WeekdayOf(daysOfWeek.Groups["last"].Value))), null, Blank(rest, daysOfWeek));
            return WeekdayName().Match(rest) is { Success: true } weekday
                ? (null, new WeekdayInWeeks(weeks, DateReader.WeekdayOf(weekday.Value)), Blank(rest, weekday))
                : (new WeekSpan(weeks, PartOf(week.Groups["part"].Value)), null, rest);
        }

        if (WeekdayToWeekday().Match(text) is { Success: true } days)
            return (new WeekdaysSpan(DateReader.WeekdayOf(days.Groups["first"].Value), DateReader.WeekdayOf(days.Groups["last"].Value)), null, Blank(text, days));

        foreach (Match month in MonthPhrase().Matches(text))
        {
            var part = month.Groups["week"].Success
                ? month.Groups["week"].Value is "primera" or "primer" or "first" ? PeriodPart.FirstWeek : PeriodPart.LastWeek
                : PartOf(month.Groups["part"].Value);
            var qualified = month.Groups["part"].Success || month.Groups["week"].Success;
            MonthSpan? named = null;
            if (month.Groups["next"].Success) named = new MonthSpan(null, 1, part);
            else if (month.Groups["this"].Success && (qualified || month.Groups["this"].Value is "este mes" or "this month")) named = new MonthSpan(null, 0, part);
            // "Early feb", "a principios de sept": an abbreviation names a month only after a part of it ("en el mar" is the sea).
            else if (month.Groups["name"].Success && (qualified || (month.Groups["in"].Success && DateReader.FullMonthNames.Split('|').Contains(month.Groups["name"].Value))))
                named = new MonthSpan(DateReader.MonthNumber(month.Groups["name"].Value), 0, part);
            if (named is null) continue;
            var rest = Blank(text, month);
            // "El mes que viene el 3", "the 3rd of next month", "en febrero el día 4": one day of that month.
            if (part == PeriodPart.Whole && DateReader.DayOfMonthIn(rest) is { Success: true } day)
                return (null, new DayInMonth(named, Int(day.Groups[1])), Blank(rest, day));
            return (named, null, rest);
        }

        return (null, null, text);
    }
}
