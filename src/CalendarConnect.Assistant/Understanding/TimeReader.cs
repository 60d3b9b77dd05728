using System.Text.RegularExpressions;
using NodaTime;
using static CalendarConnect.Assistant.Understanding.MatchText;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>
/// One time of day ("a las 3 y media", "15hs", "at 3:30pm", "noon") and a part of the day ("por la tarde", "in the
/// morning"). An hour from 1 to 11 without am/pm is read the likely way and flagged as assumed.
/// </summary>
internal static partial class TimeReader
{
    /// <summary>Am/Pm said by the customer (or by a part of the day); TwentyFour is a time written "09:00", which has no other reading.</summary>
    public enum Meridiem { None, Am, Pm, TwentyFour }

    [GeneratedRegex(@"\b(?:al |el |at )?(?:mediodia|noon|midday)\b", Options, TimeoutMs)]
    private static partial Regex Noon();

    [GeneratedRegex(@"\b(?:medianoche|midnight)\b", Options, TimeoutMs)]
    private static partial Regex Midnight();

    [GeneratedRegex(@"\b(?:a las|las|at)\s+12\s+(?:de la noche|at night)\b", Options, TimeoutMs)]
    private static partial Regex TwelveAtNight();

    // 3pm, 3 pm, 3:30pm, 10 am
    [GeneratedRegex(@"\b(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)\b", Options, TimeoutMs)]
    private static partial Regex ClockWithMeridiem();

    // 15:30, 15h30, 15.30 (a dot is how many phones write it); "9:00." ends a sentence, "10.01.2025" is a date
    [GeneratedRegex(@"\b(\d{1,2})[:h.](\d{2})(?!\d|\.\d)", Options, TimeoutMs)]
    private static partial Regex Clock();

    // a las 3, a la 1, las 15, at 3, a las 3 y media, a las 4 menos cuarto, a las 15 hs
    // what about 12, how about 2 (said as the next try after a time that was not free), at 10 hours (non-native)
    [GeneratedRegex(@"\b(?:a las?|las|la|at|around|sobre las|tipo|what about|how about)\s+(\d{1,2})\b(?!\s*(?:days?|weeks?|months?|dias?|semanas?|mes(?:es)?)\b)(?:\s*(?:hs|h|horas?|hours?|o'?clock)\b)?(?:\s+(y media|y cuarto|menos cuarto|y (?:[1-5][05]|05)\b|menos (?:[1-5][05]|05)\b|thirty|fifteen|forty[ -]five))?", Options, TimeoutMs)]
    private static partial Regex AfterPreposition();

    // 3 y media, 3 y cuarto, 4 menos cuarto
    [GeneratedRegex(@"\b(\d{1,2})\s+(y media|y cuarto|menos cuarto|y (?:[1-5][05]|05)\b|menos (?:[1-5][05]|05)\b)(?!\d)", Options, TimeoutMs)]
    private static partial Regex SpanishFraction();

    // half past 3, quarter past 3, quarter to 4, half 3 (British: 3:30)
    [GeneratedRegex(@"\b(half past|quarter past|quarter to|half)\s+(\d{1,2})\b", Options, TimeoutMs)]
    private static partial Regex EnglishFraction();

    // 15hs, 15 hs, 15h, 10 o'clock (not "the 3 o'clock one": a pick from a list, SelectionReader); "is possible 11 hours"
    // (non-native, as "las 11 horas"), but not a duration ("in 2 hours", "dentro de 3 horas", "2 hours later").
    [GeneratedRegex(@"\b(?<hour>\d{1,2})\s*(?:hs|h|o'?clock(?!\s+one\b))(?![\w'])|(?<!\b(?:in|en|de|for|por|durante|within|after|tras|unas|unos|about|some|like|around|las|at)\s+)\b(?<hour>\d{1,2})\s+(?:hours|horas)\b(?!\s+(?:later|earlier|before|after|from|ago|mas|antes|despues|de|libres?|free))", Options, TimeoutMs)]
    private static partial Regex HoursSuffix();

    /// <summary>"Morning!", "morning, need to see the doc": "morning" first, then a stop or nothing, greets (a pattern for <see cref="IntentReader"/> too).</summary>
    public const string MorningGreeting = @"^\W*morning\b(?=\s*(?:[!,.;]|$))";

    [GeneratedRegex(MorningGreeting, Options, TimeoutMs)]
    private static partial Regex MorningAsGreeting();

    /// <summary>The message without a "morning!" that greets, so it is not read as the part of the day (on the whole message: "morning" is first).</summary>
    public static string WithoutMorningGreeting(string text) => MorningAsGreeting().Replace(text, greeting => new string(' ', greeting.Length));

    // Parts of the day. "mañana" alone is tomorrow; with an article ("por la mañana", "a la mañana") it is the morning.
    // "tardes"/"noches" (plural) are greetings ("buenas tardes"), and "good morning" is one too; "más tarde" is "later".
    [GeneratedRegex(@"\b(?:la|esta|las|media) mananas?\b|(?<!\bgood )\bmornings?\b|\bprimera hora\b|\bfirst thing\b|\btemprano\b", Options, TimeoutMs)]
    private static partial Regex MorningPhrase();

    [GeneratedRegex(@"\bprimera hora\b|\bfirst thing\b", Options, TimeoutMs)]
    private static partial Regex FirstThingPhrase();

    /// <summary>"Mañana a primera hora", "first thing monday": the earliest free time is wanted (it is in the morning too).</summary>
    public static bool SaysFirstThing(string text) => FirstThingPhrase().IsMatch(text);

    // "Llego 10 minutos tarde", "voy a llegar tarde", "¡qué tarde!": late, not the afternoon.
    [GeneratedRegex(@"(?<!\b(?:mas|llego|llegar|llegando|llegamos|llega|poco|minutos|min|mins|muy|algo|tan|hace|es|estoy|vamos|que|demasiado)\s)\btarde\b|\blas tardes\b|(?<!\bgood )\bafternoons?\b|\bafter lunch\b|\bdespues de (?:comer|almorzar)\b", Options, TimeoutMs)]
    private static partial Regex AfternoonPhrase();

    [GeneratedRegex(@"\bnoche\b|\blas noches\b|(?<!\bgood )\bevenings?\b|\btonight\b", Options, TimeoutMs)]
    private static partial Regex EveningPhrase();

    [GeneratedRegex(@"\b(a las?|las|la|at|past|to|from|until|till|and|y|between|before|after|entre|hasta|half|around|about|tipo)\s+(" + NumberWords.Hours + @")\b", Options, TimeoutMs)]
    private static partial Regex HourWord();

    /// <summary>An hour word right before am/pm or a part of the day: "ten am", "ocho de la noche", "eight in the evening".</summary>
    [GeneratedRegex(@"\b(" + NumberWords.Hours + @")(?=\s*(?:am|pm)\b|\s+(?:thirty|fifteen|forty[ -]five)\s*(?:am|pm)\b|\s+(?:in the (?:morning|afternoon|evening)|de la (?:manana|tarde|noche)|at night)\b)", Options, TimeoutMs)]
    private static partial Regex HourWordBeforeMeridiem();

    /// <summary>"At 4 30", "4 30 pm" (voice-to-text writes the minutes apart): 4:30.</summary>
    [GeneratedRegex(@"\b(?<lead>at|a las?)\s+(?<h>\d{1,2})\s+(?<m>[0-5]\d)\b|\b(?<h>\d{1,2})\s+(?<m>[0-5]\d)(?=\s*(?:am|pm)\b)", Options, TimeoutMs)]
    private static partial Regex SpacedMinutes();

    /// <summary>"8 in the evening", "9 de la noche" without "a las": the number before the part of the day is the hour.</summary>
    [GeneratedRegex(@"(?<![\d:/.]|\bde |\bdel |\bthe |\bel |\blas |\bla |\bat )\b(?<h>\d{1,2})\s+(?=(?:in the (?:morning|afternoon|evening)|de la (?:manana|tarde|noche)|at night)\b)", Options, TimeoutMs)]
    private static partial Regex HourBeforePeriod();

    /// <summary>"3 thirty", "three fifteen" (voice-to-text): the minutes said as a word after the hour.</summary>
    [GeneratedRegex(@"\b(\d{1,2})\s+(thirty|fifteen|forty[ -]five|twenty|ten|o'? ?five)\b", Options, TimeoutMs)]
    private static partial Regex EnglishMinutesWord();

    private static readonly Dictionary<string, string> MinuteWords = new()
    {
        ["thirty"] = "30", ["fifteen"] = "15", ["forty five"] = "45", ["forty-five"] = "45", ["twenty"] = "20", ["ten"] = "10",
        ["o five"] = "05", ["o'five"] = "05", ["o' five"] = "05", ["ofive"] = "05",
    };

    /// <summary>
    /// An hour written right after a day ("thursday 4", "mañana 5", "hoy 17"). After "mañana"/"hoy"/"tomorrow" any hour
    /// counts; after a weekday only 1 to 12 and only without an article, because "el lunes 20" / "the friday 17th" name
    /// a day of the month (the weekday and the day are then checked against each other).
    /// </summary>
    [GeneratedRegex(@"\b(?<day>pasado manana|(?<!\b(?:la|esta)\s)manana|tomorrow|hoy|today|tonight|(?<!\b(?:el|the|este|this|next|proximo|on the)\s)(?:" + DateReader.WeekdayNames + @"))\s+(?<hour>\d{1,2})\b(?![/:.\-]\d|\s*(?:st|nd|rd|th|de\s+(?:" + DateReader.MonthNames + @")|of\b|(?:" + DateReader.MonthNames + @")\b|am\b|pm\b|hs?\b|horas?\b|y\b|menos\b|o'?clock\b|\d)|" + HourToHour + ")", Options, TimeoutMs)]
    private static partial Regex HourAfterDay();

    /// <summary>
    /// "12 to 3", "10 a 12", "2 till 5" right after an hour: the hour opens a range, it is no time of its own. Not "24 a las
    /// 10" or "10 hasta las 12": with the article the first number is as likely the day of the month.
    /// </summary>
    private const string HourToHour = @"\s+(?:to|a|till|until|hasta)\s+\d{1,2}\b(?![/:.]\d|\s*(?:st|nd|rd|th|de\s+(?:" + DateReader.MonthNames + @")|of\b))";

    /// <summary>
    /// "Friday 12 to 3", "mañana 10 a 12": two bare hours right after a day are a range, read before the day + hour rule
    /// (<see cref="HourAfterDay"/>) would take the first hour alone. Written "from H to H" for <see cref="RangeReader"/>.
    /// </summary>
    [GeneratedRegex(@"\b(?<day>pasado manana|(?<!\b(?:la|esta)\s)manana|tomorrow|hoy|today|(?<!\b(?:el|the|este|this|next|proximo|on the)\s)(?:" + DateReader.WeekdayNames + @"))\s+(?<h1>\d{1,2})(?=" + HourToHour + @")\s+(?:to|a|till|until|hasta)\s+(?<h2>\d{1,2})\b", Options, TimeoutMs)]
    private static partial Regex RangeAfterDay();

    /// <summary>"Monday morning 9", "el viernes por la tarde 5": an hour right after a part of the day is the time said, the part of the day only its am/pm.</summary>
    [GeneratedRegex(@"\b(?<period>(?<!\bgood\s)mornings?|afternoons?|evenings?|tonight|(?:la|esta) manana|(?:la|esta) tarde|(?:la|esta) noche)\s+(?:(?:like|around|about|say|tipo|como)\s+)?(?<hour>\d{1,2})\b(?![/:.\-]\d|\s*(?:st|nd|rd|th|de\b|of\b|am\b|pm\b|hs?\b|horas?\b|y\b|menos\b|o'?clock\b|\d|days?\b|dias?\b|weeks?\b|semanas?\b))", Options, TimeoutMs)]
    private static partial Regex HourAfterPartOfDay();

    /// <summary>
    /// "Can I book 4 tmr", "5 mañana?": a bare hour right before tomorrow is the time on that day; not a bound ("anything
    /// after 4 tomorrow", "later than 3 tomorrow", "before 11 tomorrow" are ranges).
    /// </summary>
    [GeneratedRegex(@"(?<![\d:/.,]|\b(?:de|del|the|el|la|las|a|at|in|en|within|dentro de|for|para|x|por|around|about|like|tipo|after|than|before|until|till|from|desde|hasta|past|pasadas|pasada)\s)\b(?<hour>\d{1,2})\s+(?=(?:pasado manana|manana|tomorrow)\b(?!\s+(?:a las|at)\b))", Options, TimeoutMs)]
    private static partial Regex HourBeforeTomorrow();

    /// <summary>
    /// "At like 2 o'clock", "at about 3", "a eso de las 5", "como a las 4": a filler between the time word and the hour.
    /// The filler goes, so the hour is read after its time word as usual.
    /// </summary>
    [GeneratedRegex(@"\b(?<lead>at|a las?|for|around|tipo)\s+(?:like|around|about|approximately|approx|roughly|maybe|say|tipo|como|eso de|mas o menos)\s+(?=(?:las?\s+)?(?:\d|(?:" + NumberWords.Hours + @")\b))", Options, TimeoutMs)]
    private static partial Regex FillerBeforeHour();

    /// <summary>
    /// "2ish", "at 9-ish", "around 10 ish": an hour said as about that hour is the hour (the nearest free times are offered
    /// when it is not free). Written "at H" so it reads as a time.
    /// </summary>
    [GeneratedRegex(@"(?:\b(?:at|around|about|like|for)\s+)?\b(?<time>\d{1,2}(?::[0-5]\d)?(?:\s*(?:am|pm))?)\s*-?\s*ish\b", Options, TimeoutMs)]
    private static partial Regex ApproximateSuffix();

    /// <summary>"In 5 of afternoon", "at 9 of the morning" (Spanish word order in English): the hour in that part of the day.</summary>
    [GeneratedRegex(@"(?:\b(?:in|at)\s+)?\b(?<h>\d{1,2})\s+of\s+(?:the\s+)?(?<p>morning|afternoon|evening|night)\b", Options, TimeoutMs)]
    private static partial Regex HourOfPartOfDay();

    /// <summary>"In hour 12", "at the hour 10" (non-native English): the hour said.</summary>
    [GeneratedRegex(@"\b(?:in|at|on)\s+(?:the\s+)?hour\s+(?=\d)", Options, TimeoutMs)]
    private static partial Regex HourWordLead();

    /// <summary>
    /// "At for" (voice-to-text for "at four"): four, only where a time ends the phrase ("tomorrow at for", "at for pm"),
    /// never "at for the…".
    /// </summary>
    [GeneratedRegex(@"\bat for\b(?=\s*(?:$|[?!.,;]|am\b|pm\b|o'?clock\b|tomorrow\b|today\b|tonight\b|on\b|this\b|next\b|please\b|pls\b|then\b|ok\b|if\b))", Options, TimeoutMs)]
    private static partial Regex AtForFour();

    /// <summary>
    /// "Too early for me. 12?", "earlier that day, like 10?", "ese día no, ¿11?": a clause of its own that is only an hour (a
    /// question, or "like"/"say" before it) is the time asked for.
    /// </summary>
    [GeneratedRegex(@"(?<=[.!?;,]\s*)(?:(?:like|say|maybe|tipo|onda)\s+)?(?<h>\d{1,2}(?::[0-5]\d)?(?:\s*(?:am|pm))?)\s*\?+\s*$|(?<=,\s*)(?:like|say|tipo)\s+(?<h>\d{1,2}(?::[0-5]\d)?(?:\s*(?:am|pm))?)\b(?!\s*(?:days?|weeks?|dias?|semanas?|people|personas|min))", Options, TimeoutMs)]
    private static partial Regex HourAfterClause();

    /// <summary>"Can we do 6 instead?", "6 mejor": a bare hour said as the replacement of the one offered.</summary>
    [GeneratedRegex(@"\b(?:do|try|make it|at|how about|what about)\s+(?<hour>\d{1,2})\s+(?:instead|then)\b|\b(?:y\s+)?(?:a las\s+)?(?<hour>\d{1,2})\s+(?:mejor|en su lugar)\b|\b(?:ok|okay|so|vale|dale|bueno)\s+(?<hour>\d{1,2})\s+(?:then|entonces)\b", Options, TimeoutMs)]
    private static partial Regex HourInstead();

    /// <summary>"Push it to 4", "make it 5 instead", "pasalo a 5", "a bit earlier, like 12": in a move, a bare hour after "to"/"it"/"a" or a filler is the new time.</summary>
    [GeneratedRegex(@"\b(?:to|it|a|para|like|around|about|tipo)\s+(?<hour>\d{1,2})\b(?![/:.\-]\d|\s*(?:st|nd|rd|th|de\b|of\b|days?\b|dias?\b|weeks?\b|semanas?\b|months?\b|mes\b))", Options, TimeoutMs)]
    private static partial Regex HourInMove();

    /// <summary>Writes "a las" before an hour that follows a day ("mañana 5" → "mañana a las 5"), so it reads as a time.</summary>
    /// <remarks>Also the other bare hours a day or part of the day makes clear: a range after a day, an hour after a part of the
    /// day or before "tomorrow", and an hour after a filler ("at like 2").</remarks>
    public static string MarkHourAfterDay(string text)
    {
        text = ApproximateSuffix().Replace(text, m => "at " + m.Groups["time"].Value);
        text = HourOfPartOfDay().Replace(text, m => "at " + m.Groups["h"].Value + " in the " + (m.Groups["p"].Value is "night" ? "evening" : m.Groups["p"].Value));
        text = HourWordLead().Replace(text, "at ");
        text = AtForFour().Replace(text, "at 4");
        text = HourAfterClause().Replace(text, m => "at " + m.Groups["h"].Value);
        text = FillerBeforeHour().Replace(text, m => m.Groups["lead"].Value + " ");
        text = RangeAfterDay().Replace(text, m =>
            IsRelativeDay(m.Groups["day"].Value) || Int(m.Groups["h1"]) is >= 1 and <= 12
                ? m.Groups["day"].Value + " from " + m.Groups["h1"].Value + " to " + m.Groups["h2"].Value
                : m.Value);
        text = HourAfterDay().Replace(text, m =>
            IsRelativeDay(m.Groups["day"].Value) || Int(m.Groups["hour"]) is >= 1 and <= 12
                ? m.Groups["day"].Value + " a las " + m.Groups["hour"].Value
                : m.Value);
        text = HourAfterPartOfDay().Replace(text, m => Int(m.Groups["hour"]) is >= 1 and <= 12 ? m.Groups["period"].Value + " a las " + m.Groups["hour"].Value : m.Value);
        return HourBeforeTomorrow().Replace(text, m => Int(m.Groups["hour"]) is >= 1 and <= 23 ? "a las " + m.Groups["hour"].Value + " " : m.Value);
    }

    /// <summary>A day said relative to today: any hour may follow it, where after a weekday a number above 12 is the day of the month.</summary>
    private static bool IsRelativeDay(string day) => day is "manana" or "tomorrow" or "hoy" or "today" or "tonight" or "pasado manana";

    /// <summary>The new time of a move said as a bare hour ("can we push it to 4?"), read the likely way.</summary>
    public static (LocalTime? Time, bool MeridiemAssumed) ReadHourInMove(string text, PartOfDay? period) =>
        HourInMove().Match(text) is { Success: true } match ? Build(Int(match.Groups["hour"]), 0, CueOf(period)) : (null, false);

    /// <summary>"At like nine", "at about 3", "a las tipo 5": a word of approximation between the preposition and the hour (voice-to-text).</summary>
    [GeneratedRegex(@"\b(?<lead>at|a las?)\s+(?:like|about|around|roughly|approximately|approx|maybe|tipo|como|eso de las)\s+(?=\d|(?:" + NumberWords.Hours + @")\b)", Options, TimeoutMs)]
    private static partial Regex ApproximateHour();

    /// <summary>"a las tres" → "a las 3", "at three thirty" → "at 3:30". Only after a time word, because "una" is also "a" ("una cita").</summary>
    public static string NumberWordsToDigits(string text)
    {
        text = ApproximateHour().Replace(text, m => m.Groups["lead"].Value + " ");
        var digits = HourWord().Replace(text, m => m.Groups[1].Value + " " + NumberWords.Parse(m.Groups[2].Value));
        digits = HourWordBeforeMeridiem().Replace(digits, m => NumberWords.Parse(m.Groups[1].Value).ToString(System.Globalization.CultureInfo.InvariantCulture));
        digits = EnglishMinutesWord().Replace(digits, m => m.Groups[1].Value + ":" + MinuteWords[m.Groups[2].Value]);
        digits = SpacedMinutes().Replace(digits, m => (m.Groups["lead"].Success ? m.Groups["lead"].Value + " " : "") + m.Groups["h"].Value + ":" + m.Groups["m"].Value);
        return HourBeforePeriod().Replace(digits, m => "a las " + m.Groups["h"].Value + " ");
    }

    /// <summary>
    /// "Son las 3 de la tarde y nadie contesta", "¿cierran a las 8?": the time it is now, or the closing time asked
    /// about, which is no time asked for.
    /// </summary>
    [GeneratedRegex(@"\b(?:(?:cierran|cierra|cerras|cierras|close|closes|closing)\s+(?:a las?|at|hasta las?)|(?:ya\s+)?(?:son las|es la))\s+\d{1,2}(?:[:.]\d{2})?(?:\s*(?:hs|y media|y cuarto|menos cuarto|de la (?:manana|tarde|noche)))*\b", Options, TimeoutMs)]
    private static partial Regex TimeItIs();

    /// <summary>"Can't do mornings", "no puedo por la tarde", "not in the evening": a part of the day ruled out, never the one asked for.</summary>
    [GeneratedRegex(@"\b(?:can'?t do|cannot do|can'?t make|not|no|no puedo|no me sirve|no me viene|menos|except)\s+(?:(?:in|on|the|por|a|de|en|la|las)\s+)*(?:mornings?|afternoons?|evenings?|nights?|mananas?|tardes?|noches?)\b", Options, TimeoutMs)]
    private static partial Regex PeriodRuledOut();

    /// <summary>
    /// The text without the time the customer says it is now (<see cref="TimeItIs"/>) and without a part of the day they
    /// ruled out (<see cref="PeriodRuledOut"/>).
    /// </summary>
    /// <summary>
    /// The part of the day ruled out ("not in the morning", "no puedo por la tarde"), as the rest of the day when that is
    /// one span: no morning is from noon to the end of the day, no evening from the start of the day to 18:00. "Not in the
    /// afternoon" leaves the morning and the evening, which no single range holds: null, as for no part ruled out.
    /// </summary>
    public static TimeRange? RestOfDayAfterRulingOut(string text) =>
        PeriodRuledOut().Match(text) is not { Success: true } ruledOut ? null
        : ReadPeriod(ruledOut.Value) switch
        {
            PartOfDay.Morning => new TimeRange(new LocalTime(12, 0), RangeReader.EndOfDay),
            PartOfDay.Evening => new TimeRange(LocalTime.Midnight, new LocalTime(18, 0)),
            _ => null,
        };

    public static string WithoutTimeItIs(string text) =>
        PeriodRuledOut().Replace(TimeItIs().Replace(text, told => new string(' ', told.Length)), ruledOut => new string(' ', ruledOut.Length));

    public static PartOfDay? ReadPeriod(string text) =>
        EveningPhrase().IsMatch(text) ? PartOfDay.Evening
        : AfternoonPhrase().IsMatch(text) ? PartOfDay.Afternoon
        : MorningPhrase().IsMatch(text) ? PartOfDay.Morning
        : null;

    public static Meridiem CueOf(PartOfDay? period) => period switch
    {
        PartOfDay.Morning => Meridiem.Am,
        PartOfDay.Afternoon or PartOfDay.Evening => Meridiem.Pm,
        _ => Meridiem.None,
    };

    /// <summary>The time, and whether its am/pm was assumed (an hour from 1 to 11 said with neither am/pm nor a part of the day).</summary>
    public static (LocalTime? Time, bool MeridiemAssumed) Read(string text, PartOfDay? period)
    {
        if (Midnight().IsMatch(text) || TwelveAtNight().IsMatch(text)) return (LocalTime.Midnight, false);

        var cue = CueOf(period);

        if (ClockWithMeridiem().Match(text) is { Success: true } withMeridiem)
            return Build(Int(withMeridiem.Groups[1]), OptionalInt(withMeridiem.Groups[2]) ?? 0,
                withMeridiem.Groups[3].Value == "pm" ? Meridiem.Pm : Meridiem.Am);

        if (Clock().Match(text) is { Success: true } clock)
            return Build(Int(clock.Groups[1]), Int(clock.Groups[2]),
                cue == Meridiem.None && clock.Groups[1].Value.StartsWith('0') ? Meridiem.TwentyFour : cue);

        if (EnglishFraction().Match(text) is { Success: true } english)
        {
            var hour = Int(english.Groups[2]);
            return english.Groups[1].Value switch
            {
                "half past" or "half" => Build(hour, 30, cue),
                "quarter past" => Build(hour, 15, cue),
                _ => Build(HourBefore(hour), 45, cue),
            };
        }

        if (AfterPreposition().Match(text) is { Success: true } preposition)
            return WithFraction(Int(preposition.Groups[1]), preposition.Groups[2].Value, cue);

        if (SpanishFraction().Match(text) is { Success: true } fraction)
            return WithFraction(Int(fraction.Groups[1]), fraction.Groups[2].Value, cue);

        if (HoursSuffix().Match(text) is { Success: true } suffix)
            return Build(Int(suffix.Groups["hour"]), 0, cue);

        if (HourInstead().Match(text) is { Success: true } instead)
            return Build(Int(instead.Groups["hour"]), 0, cue);

        // Last: "a las 12:30 del mediodía", "a la 1 del mediodía" say the hour, and noon is only the part of the day.
        if (Noon().IsMatch(text)) return (new LocalTime(12, 0), false);

        return (null, false);
    }

    /// <summary>
    /// "y media", "y cuarto", "menos cuarto", "y 20", "menos 10", "thirty". Minutes said as a number are taken in steps
    /// of five ("a las 3 y 20"), so "a las 3 y 4" is not read as 15:04.
    /// </summary>
    private static (LocalTime?, bool) WithFraction(int hour, string fraction, Meridiem meridiem) => fraction switch
    {
        "y media" or "thirty" => Build(hour, 30, meridiem),
        "y cuarto" or "fifteen" => Build(hour, 15, meridiem),
        "menos cuarto" => Build(HourBefore(hour), 45, meridiem),
        "forty five" or "forty-five" => Build(hour, 45, meridiem),
        _ when fraction.StartsWith("y ", StringComparison.Ordinal) => Build(hour, int.Parse(fraction.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture), meridiem),
        _ when fraction.StartsWith("menos ", StringComparison.Ordinal) =>
            Build(HourBefore(hour), 60 - int.Parse(fraction.AsSpan(6), System.Globalization.CultureInfo.InvariantCulture), meridiem),
        _ => Build(hour, 0, meridiem),
    };

    /// <summary>The hour before <paramref name="hour"/> on the clock face: "la 1 menos cuarto" is 12:45, not 00:45.</summary>
    public static int HourBefore(int hour) => hour == 1 ? 12 : hour - 1;

    public static (LocalTime?, bool) Build(int hour, int minute, Meridiem meridiem)
    {
        if (minute is < 0 or > 59 || hour is < 0 or > 23) return (null, false);
        var assumed = false;
        switch (meridiem)
        {
            case Meridiem.Pm when hour < 12:
                hour += 12;
                break;
            case Meridiem.Am when hour == 12:
                hour = 0;
                break;
            case Meridiem.None when hour is >= 1 and <= 11:
                // "a las 3" could be 03:00 or 15:00. The reading kept here is the likely one for an appointment
                // (1-7 → afternoon, 8-11 → morning), flagged as assumed: the assistant checks both readings against
                // the company's day and asks when both are possible. 12 is noon (nobody books at midnight).
                if (hour <= 7) hour += 12;
                assumed = true;
                break;
        }
        return (new LocalTime(hour, minute), assumed);
    }
}
