using System.Text.RegularExpressions;
using NodaTime;
using static CalendarConnect.Assistant.Understanding.MatchText;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>
/// One day as the customer named it: a calendar date, a relative day ("mañana", "in 10 days", "dentro de tres semanas"),
/// a weekday, a day of the month.
/// </summary>
internal static partial class DateReader
{
    /// <summary>Month names in full: the only ones that make a period ("en febrero"); <see cref="MonthNames"/> adds the abbreviations dates use.</summary>
    public const string FullMonthNames =
        "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|" +
        "january|february|march|april|may|june|july|august|september|october|november|december";

    public const string MonthNames = FullMonthNames + "|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec|ene|abr|ago|dic";

    /// <summary>The weekday names, Monday to Sunday in each language: the order gives each name its day (<see cref="Weekdays"/>).</summary>
    public const string WeekdayNames =
        "lunes|martes|miercoles|jueves|viernes|sabado|domingo|monday|tuesday|wednesday|thursday|friday|saturday|sunday";

    // A number followed by one of these is a time, not a day: "el 3 pm", "May 3:30", "sábado 10-12", "el viernes 5 a 6" (hour ranges).
    private const string NotATime = @"(?!\s*(?::|[.h]\d{2}\b|(?:a|to)\s+\d|am\b|pm\b|hs?\b|horas?\b|y (?:media|cuarto)\b|menos cuarto\b|de la\b|o'?clock\b|-\s*\d))";

    /// <summary>"La 9 de Julio", "calle 25 de mayo", "av. 9 de julio 1500": streets named after a date ("el 9 de julio" is the date).</summary>
    [GeneratedRegex(@"\b(?:la|calle|av|avenida|avda|diagonal)\s+\d{1,2}\s+de\s+(?:" + FullMonthNames + @")\b(?:\s+\d+)?", Options, TimeoutMs)]
    private static partial Regex StreetNamedAfterADate();

    // A number followed by one of these is an amount, not a day: "1/2 hora", "el 10% de descuento", "el 20 por ciento".
    private const string NotAnAmount = @"(?!\s*(?:%|por ?ciento\b|percent\b|horas?\b|hours?\b|hr\b|kg\b|kilos?\b|pesos\b|dolares\b|dollars\b|usd\b|mil\b|minutos\b|min\b|mins\b|anos\b|years\b))";

    /// <summary>
    /// A day of the month in words after "el" / "the" / "el día" or a weekday: "el tres de febrero", "el veintiuno", "on
    /// the twenty third", "el día treinta y uno", "el jueves veintitrés", "tuesday twenty eighth". Without a month only
    /// from the 11th on: "the second" alone is a pick from a list, "el dos" is not a day on its own.
    /// </summary>
    [GeneratedRegex(@"(?<=\b(?<lead>dia|el|the|" + WeekdayNames + @")\s+)(?!(?:" + WeekdayNames + @")\b)(?<word>(?:twenty|thirty)[\s-][a-z]+|treinta y uno|[a-z]+)\b(?<month>\s+(?:de|of)\s+(?:" + MonthNames + @")\b)?", Options, TimeoutMs)]
    private static partial Regex DayInWords();

    /// <summary>
    /// "El tres de febrero" → "el 3 de febrero", "the twenty third" → "the 23th", "el jueves veintitrés" → "el jueves 23":
    /// the day as the date patterns read it (a weekday with its day is then checked against it, as with digits). After a
    /// weekday a Spanish number is a day only from the 13th: "el lunes once" may be the hour, as "el lunes a las once".
    /// </summary>
    private static string DayWordsToDigits(string text) =>
        DayInWords().Replace(text, m => NumberWords.DayOf(m.Groups["word"].Value) is var (day, english)
                && (m.Groups["month"].Success || (IsWeekdayName(m.Groups["lead"].Value) ? english || day >= 13 : day >= 11))
            ? day.ToString(System.Globalization.CultureInfo.InvariantCulture) + (english ? "th" : "") + m.Groups["month"].Value
            : m.Value);

    /// <summary>"After the 20th", "después del 20", "pasado el lunes", "after monday": the days after one, never that one.</summary>
    [GeneratedRegex(@"\b(?:after|despues del|pasado el)\s+(?:(?:the\s+)?\d{1,2}(?:st|nd|rd|th)|(?<=del\s+)\d{1,2}(?!\s*(?::|hs?\b|am\b|pm\b))|(?:the\s+)?(?:" + WeekdayNames + @"))\b", Options, TimeoutMs)]
    private static partial Regex AfterADay();

    /// <summary>"A week tomorrow", "monday week" (British): a week after that day.</summary>
    [GeneratedRegex(@"\ba week (?<from>tomorrow|today|on (?:" + WeekdayNames + @"))\b|\b(?<from>" + WeekdayNames + @") week\b", Options, TimeoutMs)]
    private static partial Regex WeekAfterDay();

    /// <summary>
    /// "Te confirmo mañana", "te aviso el lunes", "I'll let you know tomorrow": the day the customer will answer, when
    /// that is all the message says; it names no day to book.
    /// </summary>
    [GeneratedRegex(@"^\W*(?:(?:ok|dale|bueno|vale|perfecto|gracias|thanks|okay|great)\W+)*(?:(?:te|le|les)\s+(?:confirmo|aviso|escribo|hablo|digo|contesto)|i'?ll\s+(?:let you know|confirm|get back to you|text you|message you|call you|check|see))\s+(?:(?:el|on|the)\s+)?(?:pasado manana|manana|hoy|tomorrow|today|tonight|later|" + WeekdayNames + @")\W*$", Options, TimeoutMs)]
    private static partial Regex AnswerLater();

    public static bool IsAnswerLater(string normalized) => AnswerLater().IsMatch(normalized);

    [GeneratedRegex(@"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", Options, TimeoutMs)]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:de\s+|of\s+)?(" + MonthNames + @")\b(?:,?\s+(?:de\s+|del\s+)?(\d{4})\b)?", Options, TimeoutMs)]
    private static partial Regex DayMonthName();

    /// <summary>"El primero de febrero", "1ro de marzo": how the first of a month is said in Spanish.</summary>
    [GeneratedRegex(@"\b(?:primero|1ro|1°)\s+de\s+(" + MonthNames + @")\b(?:,?\s+(?:de\s+|del\s+)?(\d{4})\b)?", Options, TimeoutMs)]
    private static partial Regex FirstOfMonth();

    [GeneratedRegex(@"\b(" + MonthNames + @")\s+(\d{1,2})(?:st|nd|rd|th)?\b" + NotATime + @"(?:,?\s+(\d{4})\b)?", Options, TimeoutMs)]
    private static partial Regex MonthNameDay();

    [GeneratedRegex(@"(?<![\d/-])(\d{1,2})[/-](\d{1,2})(?:[/-](\d{4}|\d{2}))?(?![\d/-])" + NotAnAmount, Options, TimeoutMs)]
    private static partial Regex NumericDate();

    /// <summary>"Lo antes posible", "el próximo turno libre", "next available", "earliest": the next free times from now.</summary>
    [GeneratedRegex(@"\blo (?:antes|mas pronto) posible\b|\blo (?:antes|mas pronto) que (?:tengas|tenga|tengan|puedas|pueda|se pueda|haya)\b|\bcuanto antes\b|\b(?:proxim[oa]|primer[oa]?)\s+(?:turno|cita|horario|hueco|lugar)s?\s+(?:libre|disponible)s?\b|\bnext (?:available|free|opening|open)\b|\bearliest\b|\bas soon as possible\b|\basap\b|\bsoonest\b|\bfirst available\b", Options, TimeoutMs)]
    private static partial Regex SoonestPhrase();

    /// <summary>
    /// "del jueves (a las 3)", "de mañana", "del 16 de enero", "from Thursday (at 3pm)", "mi cita es el martes": the
    /// appointment a move starts from.
    /// </summary>
    [GeneratedRegex(@"\b(?:del|de|from|" + OwnAppointmentLead + @")\s+((?:(?:el|the)\s+)?(?:dia\s+)?(?:(?:" + WeekdayNames + @"|manana|hoy|today|tomorrow)(?:\s+\d{1,2}\b)?|\d{1,2}(?:st|nd|rd|th)?(?:\s+(?:de|of)\s+(?:" + MonthNames + @"))?\b|\d{1,2}/\d{1,2})(?:\s+(?:a las?|at)\s+\d{1,2}(?:[:.]\d{2})?(?:\s*(?:am|pm|hs))?)?)", Options, TimeoutMs)]
    private static partial Regex MovedFromPhrase();

    /// <summary>What comes before a count of days, weeks or months from today: "dentro de", "en", "de acá a", "in".</summary>
    public const string OffsetLead = @"(?:dentro de|de aca a|de aqui a|desde hoy en|en|in)";

    /// <summary>"Dentro de 3 días", "en 2 semanas", "de acá a diez días", "in 10 days", "in a week", "dentro de un mes".</summary>
    [GeneratedRegex(@"\b" + OffsetLead + @"\s+(" + NumberWords.Count + @")\s+(dias?|days?|semanas?|weeks?|mes|meses|months?)\b(?!\s+(?:y medio|y media|and a half))", Options, TimeoutMs)]
    private static partial Regex InSomeTime();

    /// <summary>"A week from Friday", "two weeks from today", "10 days from now", "a month from today".</summary>
    [GeneratedRegex(@"\b(?<n>" + NumberWords.Count + @")\s+(?<unit>weeks?|days?|months?)\s+from\s+(?<from>today|now|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", Options, TimeoutMs)]
    private static partial Regex WeeksFrom();

    /// <summary>
    /// "De hoy en ocho", "de mañana en quince", "del lunes en ocho (días)" (Peninsular): a week (eight days counting both
    /// ends) or two weeks (fifteen) after that day.
    /// </summary>
    [GeneratedRegex(@"\b(?:de|del|desde)\s+(?:el\s+)?(?<from>hoy|manana|" + WeekdayNames + @")\s+en\s+(?<n>ocho|8|quince|15)(?:\s+dias)?\b", Options, TimeoutMs)]
    private static partial Regex WeeksCountedInclusive();

    [GeneratedRegex(@"\bpasado manana\b|\b(?:the )?day after tomorrow\b", Options, TimeoutMs)]
    private static partial Regex DayAfterTomorrow();

    /// <summary>"El martes pasado", "last tuesday": a day that has passed (the assistant says so), not the coming one.</summary>
    [GeneratedRegex(@"\b(?<day>" + WeekdayNames + @")\s+pasado\b|\blast\s+(?<day>" + WeekdayNames + @")\b", Options, TimeoutMs)]
    private static partial Regex LastWeekday();

    /// <summary>"¿Y pasado?", "o pasado": "pasado" said alone, after tomorrow was offered, is the day after tomorrow.</summary>
    [GeneratedRegex(@"^\W*(?:(?:y|o|e|and)\s+)?pasado(?:\s+(?:a la|por la|en la)\s+(?:manana|tarde|noche))?(?:\s+a las\s+\d{1,2}(?:[:.]\d{2})?)?\W*$", Options, TimeoutMs)]
    private static partial Regex PasadoAlone();

    [GeneratedRegex(@"\banteayer\b|\b(?:the )?day before yesterday\b", Options, TimeoutMs)]
    private static partial Regex DayBeforeYesterday();

    [GeneratedRegex(@"\bayer\b|\byesterday\b", Options, TimeoutMs)]
    private static partial Regex Yesterday();

    // "por la mañana", "de la mañana", "esta mañana", "media mañana" mean (part of) the morning, not "tomorrow".
    [GeneratedRegex(@"(?<!\b(?:la|esta|media) )\bmanana\b|\btomorrow\b", Options, TimeoutMs)]
    private static partial Regex Tomorrow();

    /// <summary>Days known by their name: "valentine's day", "san valentín", "christmas eve", "nochebuena", "new year's eve".</summary>
    [GeneratedRegex(@"\b(?<feb14>valentine'?s(?:\s+day)?|san valentin|dia de (?:los enamorados|san valentin))\b|\b(?<dec24>christmas eve|nochebuena)\b|\b(?<dec25>christmas(?:\s+day)?|navidad|xmas)\b|\b(?<dec31>new year'?s eve|nochevieja)\b", Options, TimeoutMs)]
    private static partial Regex NamedDay();

    /// <remarks>"Ahorita a las 11" (Mexico): today at 11; "ahorita no puedo" is "not right now", no day ruled out.</remarks>
    [GeneratedRegex(@"\bhoy\b|\btoday\b|\btonight\b|\bahorita(?=\s+(?:a\s+las?|tipo|como\s+a\s+las?)\s)|\besta (?:manana|tarde|noche)\b|\bthis (?:morning|afternoon|evening)\b", Options, TimeoutMs)]
    private static partial Regex Today();

    // "este jueves" / "this thursday" said on a Thursday is today; any other weekday name is the next one after today.
    // "Next friday" is kept apart (see NextNamedWeekday). "El jueves que viene el 23" gives its day as "el jueves 23" does,
    // and "el martes día 7" as "el martes 7".
    [GeneratedRegex(@"\b(?:(este|this)\s+|(?<next>next)\s+)?(" + WeekdayNames + @")\b(?:\s+que viene\b)?(?:,?\s+(?:the\s+|el\s+)?(?:dia\s+)?(\d{1,2})(?:st|nd|rd|th)?\b" + NotATime + @"(?!\s*(?:de|of)?\s*(?:" + MonthNames + @")\b))?", Options, TimeoutMs)]
    private static partial Regex Weekday();

    [GeneratedRegex(@"\b(?:el dia|el|dia|the|on the)\s+(\d{1,2})(st|nd|rd|th)?\b" + NotATime + NotAnAmount, Options, TimeoutMs)]
    private static partial Regex DayOnly();

    /// <summary>
    /// "22nd at noon": a day written as an ordinal with nothing before it. Only from the 11th on, as a day in words:
    /// "2nd option" or "my 2nd appointment" count something else, and never before a thing counted ("11th floor").
    /// </summary>
    [GeneratedRegex(@"(?<![\w/.:-])(?<day>1[1-9]|2\d|3[01])(?:st|nd|rd|th)\b(?!\s+(?:floor|street|avenue|ave|birthday|time|visit|appointment|booking)\b)", Options, TimeoutMs)]
    private static partial Regex BareOrdinalDay();

    private static readonly Dictionary<string, IsoDayOfWeek> Weekdays =
        WeekdayNames.Split('|').Select((name, index) => (name, day: (IsoDayOfWeek)(index % 7 + 1))).ToDictionary(w => w.name, w => w.day);

    public static IsoDayOfWeek WeekdayOf(string name) => Weekdays[name];

    public static bool IsWeekdayName(string word) => Weekdays.ContainsKey(word);

    [GeneratedRegex(@"\b(?:" + WeekdayNames + @")\b", Options, TimeoutMs)]
    private static partial Regex WeekdayWord();

    /// <summary>
    /// A weekday named in <paramref name="rest"/> (the text <paramref name="date"/> was read from, without it) that is not
    /// the date's own weekday: "el lunes, el martes a las 10" names two days. Null when the date is no weekday or none is left.
    /// </summary>
    public static DateExpression? OtherWeekdayIn(DateExpression date, string rest)
    {
        IsoDayOfWeek? said = date switch
        {
            NextWeekday next => next.Day,
            NextNamedWeekday named => named.Day,
            WeekdayWithDay withDay => withDay.Weekday,
            _ => null,
        };
        if (said is null) return null;
        foreach (Match word in WeekdayWord().Matches(rest))
            if (Weekdays[word.Value] != said) return new NextWeekday(Weekdays[word.Value]);
        return null;
    }

    public static int MonthNumber(string name) => name switch
    {
        "enero" or "ene" or "january" or "jan" => 1,
        "febrero" or "february" or "feb" => 2,
        "marzo" or "march" or "mar" => 3,
        "abril" or "april" or "apr" or "abr" => 4,
        "mayo" or "may" => 5,
        "junio" or "june" or "jun" => 6,
        "julio" or "july" or "jul" => 7,
        "agosto" or "august" or "aug" or "ago" => 8,
        "septiembre" or "setiembre" or "september" or "sept" or "sep" => 9,
        "octubre" or "october" or "oct" => 10,
        "noviembre" or "november" or "nov" => 11,
        _ => 12,
    };

    public static bool IsSoonest(string normalized) => SoonestPhrase().IsMatch(normalized);

    [GeneratedRegex(@"^\s*(?:am|pm|hs?|horas?|de la (?:manana|tarde|noche))\b", Options, TimeoutMs)]
    private static partial Regex MeridiemNext();

    /// <summary>
    /// "9-11am", "2-4pm", "sábado 10-12": hours from one to another, not a date. A hyphen pair is hours when am/pm follows,
    /// or when a weekday is named beside it and both numbers are hours in order ("lunes 3-2", backwards, stays the 3rd of February).
    /// </summary>
    private static bool IsHourRange(string text, Match numeric) =>
        numeric.Value.Contains('-', StringComparison.Ordinal) && !numeric.Groups[3].Success
        && (MeridiemNext().IsMatch(text.AsSpan(numeric.Index + numeric.Length))
            || (Weekday().IsMatch(text) && Int(numeric.Groups[1]) is var from and >= 1 and <= 12 && Int(numeric.Groups[2]) is var to and <= 12 && from < to));

    /// <summary>"El 3", "el día 3", "the 3rd": a day of the month said alone (group 1 is the day).</summary>
    public static Match DayOfMonthIn(string text) =>
        DayOnly().Match(text) is { Success: true } day && (day.Groups[2].Success || !day.Value.StartsWith("the", StringComparison.Ordinal)) ? day : Match.Empty;

    /// <summary>The phrase naming the appointment a move starts from, when the message has one.</summary>
    public static Match MovedFrom(string normalized) => MovedFromPhrase().Match(normalized);

    /// <summary>"Tengo turno el jueves", "I have an appointment on friday", "mi cita es el martes": the day of the customer's own appointment.</summary>
    private const string OwnAppointmentLead =
        @"(?:(?:ya\s+)?(?:tengo|tenia|tenemos)\s+(?:un\s+|una\s+|el\s+|mi\s+)?(?:turno|cita|reserva)(?:\s+para)?|i\s+(?:have|had)\s+(?:an?\s+|my\s+)?(?:appointment|booking)|(?:mi|my)\s+(?:turno|cita|appointment|reserva|booking)\s+(?:es|is|era|was))(?:\s+(?:el|on))?";

    [GeneratedRegex(@"\b" + OwnAppointmentLead + @"\s", Options, TimeoutMs)]
    private static partial Regex OwnAppointment();

    /// <summary>Whether the message names the customer's own appointment ("tengo turno el jueves"): its day is not a day to book.</summary>
    public static bool NamesOwnAppointment(string normalized) => OwnAppointment().IsMatch(normalized);

    /// <summary>Finds the date, most explicit form first, and returns the text with it blanked out so its numbers are not read as a time.</summary>
    public static (DateExpression? Date, string Remaining) Read(string text, Language? language)
    {
        // A street is neither a date nor a time: blanked, so its numbers are not read again as "a la 9". "After the 20th"
        // names no day either (the 20th is excluded): the customer is asked.
        text = DayWordsToDigits(StreetNamedAfterADate().Replace(text, street => new string(' ', street.Length)));
        text = AfterADay().Replace(text, after => new string(' ', after.Length));
        if (IsoDate().Match(text) is { Success: true } iso)
            return (new CalendarDate(Int(iso.Groups[1]), Int(iso.Groups[2]), Int(iso.Groups[3])), Blank(text, iso));

        if (NamedDay().Match(text) is { Success: true } named)
        {
            var (month, day) = named.Groups["feb14"].Success ? (2, 14) : named.Groups["dec24"].Success ? (12, 24) : named.Groups["dec25"].Success ? (12, 25) : (12, 31);
            return (new CalendarDate(null, month, day), Blank(text, named));
        }

        if (DayMonthName().Match(text) is { Success: true } dm)
            return (new CalendarDate(OptionalInt(dm.Groups[3]), MonthNumber(dm.Groups[2].Value), Int(dm.Groups[1])), Blank(text, dm));

        if (FirstOfMonth().Match(text) is { Success: true } firstOf)
            return (new CalendarDate(OptionalInt(firstOf.Groups[2]), MonthNumber(firstOf.Groups[1].Value), 1), Blank(text, firstOf));

        if (MonthNameDay().Match(text) is { Success: true } md)
            return (new CalendarDate(OptionalInt(md.Groups[3]), MonthNumber(md.Groups[1].Value), Int(md.Groups[2])), Blank(text, md));

        if (NumericDate().Match(text) is { Success: true } numeric && !IsHourRange(text, numeric))
        {
            int first = Int(numeric.Groups[1]), second = Int(numeric.Groups[2]);
            // Spanish writes day/month ("15/01"); English (US) month/day. When one reading is impossible, take the other.
            // In English both orders are common (US month first, UK day first): when both parts could be the month and
            // the two readings differ, the customer is asked which one they mean, never guessed for.
            var year = OptionalInt(numeric.Groups[3]);
            if (language == Language.English && first <= 12 && second <= 12 && first != second)
                return (new EitherDate(new CalendarDate(year, first, second), new CalendarDate(year, second, first)), Blank(text, numeric));
            var dayFirst = language != Language.English;
            if (dayFirst && second > 12 && first <= 12) dayFirst = false;
            else if (!dayFirst && first > 12 && second <= 12) dayFirst = true;
            var (day, month) = dayFirst ? (first, second) : (second, first);
            return (new CalendarDate(year, month, day), Blank(text, numeric));
        }

        if (WeeksFrom().Match(text) is { Success: true } weeksFrom)
        {
            var count = NumberWords.Parse(weeksFrom.Groups["n"].Value);
            var unit = weeksFrom.Groups["unit"].Value;
            var from = weeksFrom.Groups["from"].Value;
            DateExpression start = from switch
            {
                "today" or "now" => new RelativeDay(0),
                "tomorrow" => new RelativeDay(1),
                _ => new NextWeekday(Weekdays[from]),
            };
            return (unit.StartsWith('m') ? new MonthsAfter(start, count) : new DaysAfter(start, count * (unit.StartsWith('w') ? 7 : 1)), Blank(text, weeksFrom));
        }
        if (WeeksCountedInclusive().Match(text) is { Success: true } inclusive)
        {
            var from = inclusive.Groups["from"].Value;
            DateExpression start = from switch
            {
                "hoy" => new RelativeDay(0),
                "manana" => new RelativeDay(1),
                _ => new NextWeekday(Weekdays[from]),
            };
            return (new DaysAfter(start, inclusive.Groups["n"].Value is "ocho" or "8" ? 7 : 14), Blank(text, inclusive));
        }
        if (WeekAfterDay().Match(text) is { Success: true } weekAfter)
        {
            var from = weekAfter.Groups["from"].Value;
            DateExpression start = from switch
            {
                "today" => new RelativeDay(0),
                "tomorrow" => new RelativeDay(1),
                _ => new NextWeekday(Weekdays[from.StartsWith("on ", StringComparison.Ordinal) ? from[3..] : from]),
            };
            return (new DaysAfter(start, 7), Blank(text, weekAfter));
        }
        if (DayAfterTomorrow().Match(text) is { Success: true } dat) return (new RelativeDay(2), Blank(text, dat));
        if (LastWeekday().Match(text) is { Success: true } last)
            return (new DaysAfter(new NextWeekday(Weekdays[last.Groups["day"].Value]), -7), Blank(text, last));
        if (PasadoAlone().IsMatch(text)) return (new RelativeDay(2), text.Replace("pasado", "      ", StringComparison.Ordinal));
        if (InSomeTime().Match(text) is { Success: true } later)
        {
            var count = NumberWords.Parse(later.Groups[1].Value);
            var unit = later.Groups[2].Value;
            DateExpression offset = unit.StartsWith('d') ? new RelativeDay(count)
                : unit.StartsWith('m') ? new RelativeMonths(count)
                : new RelativeDay(count * 7);
            return (offset, Blank(text, later));
        }
        // Yesterday is a date too: the assistant says it has passed rather than not understanding it.
        if (DayBeforeYesterday().Match(text) is { Success: true } dby) return (new RelativeDay(-2), Blank(text, dby));
        if (Yesterday().Match(text) is { Success: true } yesterday) return (new RelativeDay(-1), Blank(text, yesterday));
        if (Tomorrow().Match(text) is { Success: true } tomorrow) return (new RelativeDay(1), Blank(text, tomorrow));
        // "Today" after "tomorrow": "esta tarde" is both a time-of-day cue and today, but "mañana por la tarde" is tomorrow.
        // The phrase stays in the text (not blanked) because it also says afternoon.
        if (Today().IsMatch(text)) return (new RelativeDay(0), text);
        if (Weekday().Match(text) is { Success: true } weekday)
        {
            var day = Weekdays[weekday.Groups[2].Value];
            // "el viernes 17": the weekday and the day of the month must agree; when they do not, the customer is asked.
            return weekday.Groups[3].Success
                ? (new WeekdayWithDay(day, Int(weekday.Groups[3])), Blank(text, weekday))
                : weekday.Groups["next"].Success ? (new NextNamedWeekday(day), Blank(text, weekday))
                : (new NextWeekday(day, TodayCounts: weekday.Groups[1].Success), Blank(text, weekday));
        }
        if (DayOfMonthIn(text) is { Success: true } dayOnly) return (new DayOfMonth(Int(dayOnly.Groups[1])), Blank(text, dayOnly));
        if (BareOrdinalDay().Match(text) is { Success: true } ordinal) return (new DayOfMonth(Int(ordinal.Groups["day"])), Blank(text, ordinal));

        return (null, text);
    }
}
