using System.Text.RegularExpressions;
using NodaTime;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>
/// Rule-based understanding of booking messages in Spanish and English: language, intent, date and time.
/// No LLM: the vocabulary of "book me tomorrow at 3" is small, and rules are predictable, fast and testable.
/// </summary>
public static partial class MessageParser
{
    private const RegexOptions Options = RegexOptions.CultureInvariant;
    private const int TimeoutMs = 1000;

    /// <param name="conversationLanguage">
    /// The conversation's language so far: decides the order of "3/2" when the message itself does not show its language.
    /// </param>
    public static ParsedMessage Parse(string? text, Language? conversationLanguage = null) =>
        TryParse(text, conversationLanguage, out var parsed, out _) ? parsed : parsed;

    /// <summary>
    /// <see cref="Parse"/> that never throws: a message the rules cannot read (a regex timeout, a number they cannot
    /// convert) is understood as nothing in particular, so the customer is asked again. The exception is handed back
    /// for the caller's log; its message is not logged, as it may quote the text.
    /// </summary>
    public static bool TryParse(string? text, Language? conversationLanguage, out ParsedMessage parsed, out Exception? failure)
    {
        try
        {
            parsed = ParseUnguarded(text, conversationLanguage);
            failure = null;
            return true;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or RegexMatchTimeoutException or ArgumentException
                                       or InvalidOperationException or IndexOutOfRangeException)
        {
            parsed = new ParsedMessage(null, Intent.Other, null, null);
            failure = ex;
            return false;
        }
    }

    private static ParsedMessage ParseUnguarded(string? text, Language? conversationLanguage)
    {
        var raw = text is { Length: > TextNormalizer.MaxAnalysedLength } ? text[..TextNormalizer.MaxAnalysedLength] : text ?? "";
        var normalized = TypoCorrector.Correct(TextNormalizer.Normalize(raw));
        var tokens = Tokens().Matches(normalized).Select(m => m.Value).ToList();

        var language = DetectLanguage(raw, tokens);
        var dateLanguage = language ?? conversationLanguage;

        // "Cambiar mi turno del jueves al viernes a las 10": the day after "del"/"from" is the appointment being moved,
        // not where it goes. It is read on its own and taken out of the text before the new day and time are read.
        var forDate = normalized;
        DateExpression? movedDate = null;
        LocalTime? movedTime = null;
        if (tokens.Any(RescheduleWords.Contains) && MovedFrom().Match(normalized) is { Success: true } from)
        {
            var (fromDate, fromRest) = ParseDate(from.Groups[1].Value, dateLanguage);
            movedDate = fromDate;
            movedTime = ParseTime(NumberWordsToDigits(fromRest), null).Time;
            forDate = Blank(normalized, from);
        }

        var (date, rest) = ParseDate(forDate, dateLanguage);
        var period = ParsePeriod(rest);
        var (time, meridiemAssumed) = ParseTime(NumberWordsToDigits(rest), period);
        var soonest = date is null && time is null && Soonest().IsMatch(normalized);
        var intent = DetectIntent(raw, normalized, tokens, date is not null || time is not null || period is not null || soonest);
        return new ParsedMessage(language, intent, date, time, period, meridiemAssumed, soonest, movedDate, movedTime);
    }

    /// <summary><see cref="Ordinal"/>'s answer for "el último" / "the last one".</summary>
    public const int LastOrdinal = int.MaxValue;

    /// <summary>
    /// A message that is only a position in a list the assistant showed: "el primero", "la segunda", "the first one",
    /// "el último" (<see cref="LastOrdinal"/>); null for anything else.
    /// </summary>
    public static int? Ordinal(string? text)
    {
        if (text is null || text.Length > 60) return null;
        var match = OrdinalPhrase().Match(TextNormalizer.Normalize(text));
        if (!match.Success) return null;
        return match.Groups[1].Value switch
        {
            "primero" or "primera" or "primer" or "first" or "1st" => 1,
            "segundo" or "segunda" or "second" or "2nd" => 2,
            "tercero" or "tercera" or "tercer" or "third" or "3rd" => 3,
            _ => LastOrdinal,
        };
    }

    [GeneratedRegex(@"^(?:(?:el|la|the)\s+)?(primero|primera|primer|segundo|segunda|tercero|tercera|tercer|ultimo|ultima|first|second|third|last|1st|2nd|3rd)(?:\s+(?:one|turno|cita|appointment))?[\s.!?]*$", Options, TimeoutMs)]
    private static partial Regex OrdinalPhrase();

    // ---------------------------------------------------------------- language

    private static readonly HashSet<string> SpanishWords =
    [
        "quiero", "quisiera", "reservar", "reserva", "reservo", "reservame", "turno", "cita", "agendar", "agendame",
        "para", "manana", "hoy", "pasado", "las", "la", "el", "los", "de", "del", "hola", "buenas", "buenos", "buen",
        "dia", "dias", "tardes", "noches", "gracias", "por", "favor", "hay", "ayer", "anteayer", "tienen", "tenes", "tienes", "disponible",
        "disponibles", "disponibilidad", "libre", "libres", "horario", "horarios", "mediodia", "media", "cuarto",
        "tarde", "noche", "y", "lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo", "enero",
        "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre", "octubre",
        "noviembre", "diciembre", "si", "dale", "confirmo", "confirmar", "que", "puedo", "necesito", "una", "un",
        "hora", "gustaria", "sirve", "con", "en", "proximo", "proxima", "esta", "este", "lugar", "perfecto", "vale",
        "mi", "mis", "cuando", "cancelar", "cancela", "cancelo", "anular", "nombre", "llamo", "soy", "mejor",
        "cambiar", "cambia", "cambio", "mover", "reprogramar", "ayuda", "puedes", "podes", "hacer", "al", "otro", "otra",
    ];

    private static readonly HashSet<string> EnglishWords =
    [
        "i", "i'd", "i'm", "like", "book", "booking", "appointment", "tomorrow", "today", "after", "at", "hello", "hi",
        "hey", "good", "morning", "afternoon", "evening", "the", "is", "are", "there", "do", "you", "have", "any",
        "available", "availability", "free", "please", "thanks", "thank", "want", "would", "can", "could", "on", "for",
        "slot", "slots", "time", "noon", "midday", "next", "this", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "january", "february", "march", "april", "june", "july", "august",
        "september", "october", "november", "december", "yes", "confirm", "what", "my", "schedule", "reserve",
        "half", "past", "quarter", "of", "to", "it", "that", "works", "book", "an", "and", "open", "day",
        "sure", "cancel", "when", "name", "nope", "yesterday", "move", "reschedule", "change", "help", "instead", "evening", "tonight",
    ];

    /// <summary>A word this parser knows as it is: never "corrected" into another one.</summary>
    internal static bool IsKnownWord(string word) =>
        SpanishWords.Contains(word) || EnglishWords.Contains(word) || BookWords.Contains(word) || AvailabilityWords.Contains(word)
        || CancelWords.Contains(word) || RescheduleWords.Contains(word) || ThanksWords.Contains(word) || GreetingWords.Contains(word)
        || ConfirmWords.Contains(word) || YesWords.Contains(word);

    private static Language? DetectLanguage(string raw, List<string> tokens)
    {
        var spanish = 0;
        var english = 0;
        // Characters only Spanish uses are strong evidence; they are gone after normalisation, so look at the raw text.
        foreach (var c in raw)
        {
            if (c is '¿' or '¡' or 'ñ' or 'Ñ' or 'á' or 'é' or 'í' or 'ó' or 'ú' or 'Á' or 'É' or 'Í' or 'Ó' or 'Ú') spanish += 2;
        }
        foreach (var token in tokens)
        {
            if (SpanishWords.Contains(token)) spanish++;
            if (EnglishWords.Contains(token)) english++;
        }
        if (spanish == english) return null;
        return spanish > english ? Language.Spanish : Language.English;
    }

    // ---------------------------------------------------------------- intent

    private static readonly HashSet<string> BookWords =
    [
        "reservar", "reserva", "reservo", "reservame", "reservarme", "reservalo", "reservala", "turno", "turnos",
        "cita", "citas", "agendar", "agendame", "agendarme", "anotar", "anotame", "anotarme", "book", "booking",
        "reserve", "reservation", "appointment", "schedule",
    ];

    private static readonly HashSet<string> AvailabilityWords =
    [
        "disponible", "disponibles", "disponibilidad", "libre", "libres", "lugar", "hueco", "huecos", "horarios",
        "available", "availability", "free", "open", "opening", "openings",
    ];

    private static readonly HashSet<string> GreetingWords = ["hola", "buenas", "buenos", "buen", "saludos", "hello", "hi", "hey", "howdy"];

    private static readonly HashSet<string> ConfirmWords = ["confirmo", "confirmar", "confirma", "confirmalo", "confirm", "confirmed"];

    private static readonly HashSet<string> YesWords = ["si", "dale", "ok", "okay", "vale", "perfecto", "listo", "yes", "yep", "yeah", "sure"];

    private static readonly HashSet<string> NegationWords = ["no", "not", "don't", "dont", "nope", "nah", "nunca", "never", "tampoco", "espera", "wait"];

    private static readonly HashSet<string> DeclineWords = ["no", "nop", "nope", "nah", "negativo"];

    private static readonly HashSet<string> CancelWords =
    [
        "cancelar", "cancela", "cancelo", "cancelame", "cancelalo", "cancelala", "cancelarlo", "cancelarla", "anular",
        "anula", "anulo", "anulalo", "anulala", "cancel", "cancelled", "canceled", "cancellation",
    ];

    private static readonly HashSet<string> RescheduleWords =
    [
        "cambiar", "cambia", "cambio", "cambialo", "cambiala", "cambiame", "cambiarlo", "cambiarla", "mover", "move", "movelo",
        "moverlo", "moverla", "muevelo", "muevela", "reprogramar", "reprograma", "reprogramalo", "reagendar", "reagenda", "reagendalo",
        "postergar", "posponer", "adelantar", "atrasar", "pasar", "pasalo", "pasarlo", "reschedule", "rescheduling", "change",
        "postpone", "moving",
    ];

    /// <summary>What a move is about when no booking word is said: "cambiar la hora", "change the time", "move it".</summary>
    private static readonly HashSet<string> RescheduleCompanions = ["lo", "la", "it", "hora", "horario", "dia", "fecha", "time", "date", "day"];

    private static readonly HashSet<string> ThanksWords = ["gracias", "graciass", "thanks", "thank", "thx", "ty", "agradezco", "cheers"];

    /// <summary>Question words: a message asking something is not a yes, whatever else it says ("¿cómo hago para confirmar?").</summary>
    private static readonly HashSet<string> QuestionWords =
    [
        "como", "cuanto", "cuanta", "cuantos", "cuantas", "cuando", "donde", "cual", "cuales", "quien", "quienes", "porque",
        "how", "what", "when", "where", "why", "which", "who", "whom",
    ];

    /// <summary>Words after an unaccented "si" that make it a yes ("si quiero", "si por favor"), not an "if" ("si llueve").</summary>
    private static readonly HashSet<string> YesCompanions =
    [
        "quiero", "claro", "por", "porfa", "gracias", "obvio", "seguro", "exacto", "correcto", "bien", "senor", "senora", "please",
    ];

    /// <summary>
    /// Whether <paramref name="text"/> says no to something: a negation or retraction anywhere in it ("please don't
    /// cancel", "ya no quiero cancelar", "wait"). Used where a question about a write is open, so any doubt keeps things as they are.
    /// </summary>
    public static bool HasNegation(string? text) =>
        WordsOf(text).Any(t => NegationWords.Contains(t) || DeclineWords.Contains(t));

    /// <summary>Whether <paramref name="text"/> holds a cancel word ("cancel", "cancelalo").</summary>
    internal static bool IsCancelWord(string? text) => WordsOf(text).Any(CancelWords.Contains);

    /// <summary>The normalised words of <paramref name="text"/>, without typo correction.</summary>
    internal static List<string> WordsOf(string? text) => Tokens().Matches(TextNormalizer.Normalize(text)).Select(m => m.Value).ToList();

    /// <summary>A question ("?", "¿" or a question word) is never a yes; "qué" counts only with its accent ("claro que sí" is a yes).</summary>
    private static bool IsQuestion(string raw, List<string> tokens) =>
        raw.Contains('?') || raw.Contains('¿') || raw.Contains("qué", StringComparison.OrdinalIgnoreCase)
        || tokens.Any(QuestionWords.Contains) || (tokens.Count > 0 && tokens[0] == "que");

    /// <summary>"si" without its accent starting a clause ("si llueve igual abren"): an "if", not a yes.</summary>
    private static bool IsIfClause(string raw, List<string> tokens)
    {
        if (tokens.Count < 2 || tokens[0] != "si") return false;
        var match = LeadingSi().Match(raw);
        if (!match.Success || match.Groups[1].Value[1] is 'í' or 'Í') return false;
        if (match.Groups[2].Value.IndexOfAny([',', '.', '!', ';', ':', '¡']) >= 0) return false;
        return !(YesWords.Contains(tokens[1]) || ConfirmWords.Contains(tokens[1]) || YesCompanions.Contains(tokens[1]));
    }

    [GeneratedRegex(@"^[\s¡!.,]*([sS][iIíÍ])\b([^\p{L}\p{N}]*)", Options, TimeoutMs)]
    private static partial Regex LeadingSi();

    private static Intent DetectIntent(string raw, string normalized, List<string> tokens, bool mentionsDateOrTime)
    {
        // "No sé" / "not sure" is neither yes nor no: the question stays open.
        if (Unsure().IsMatch(normalized)) return Intent.Other;
        // "No" answers a question of ours; "no, mejor a las 4" names a new time and is a new request instead.
        if (!mentionsDateOrTime
            && tokens.Count is > 0 and <= 6 && (DeclineWords.Contains(tokens[0]) || (tokens[0] == "mejor" && tokens.Count > 1 && tokens[1] == "no")))
            return Intent.Decline;
        // Before "turno"/"appointment" count as booking words: these sentences contain them too.
        if (tokens.Any(CancelWords.Contains)) return Intent.Cancel;
        if (MyAppointmentPhrase().IsMatch(normalized)) return Intent.MyAppointment;
        // "Cambiar mi turno al viernes" names the new time and holds "turno": it moves a booking, it does not make one.
        // A bare "cambio" or "change" without a booking word could be anything, so the word must come with one, or be
        // the verb of a short message ("¿puedo cambiarlo?").
        if (tokens.Any(RescheduleWords.Contains) && (tokens.Any(BookWords.Contains) || tokens.Any(RescheduleCompanions.Contains)
                || tokens.Any(t => t.EndsWith("lo", StringComparison.Ordinal) && RescheduleWords.Contains(t)) || tokens.Contains("reschedule")
                || tokens.Contains("reprogramar") || tokens.Contains("reagendar")))
            return Intent.Reschedule;
        // "Sí" / "yes" answers the slot we proposed; a short message only, because "si" is also "if". A yes with a
        // "no" in it ("si no es molestia", "sí, no, espera") is not an explicit yes: the question is asked again.
        if (!mentionsDateOrTime && !tokens.Any(NegationWords.Contains) && !IsQuestion(raw, tokens) && !IsIfClause(raw, tokens)
            && (tokens.Any(ConfirmWords.Contains) || (tokens.Count is > 0 and <= 6 && YesWords.Contains(tokens[0]))))
            return Intent.Confirm;
        if (HelpPhrase().IsMatch(normalized)) return Intent.Help;
        if (tokens.Any(BookWords.Contains)) return Intent.Book;
        if (tokens.Any(AvailabilityWords.Contains) || AvailabilityPhrase().IsMatch(normalized)) return Intent.CheckAvailability;
        // "Mañana a las 3?" names a slot without a verb: the customer wants to know whether it is free.
        if (mentionsDateOrTime) return Intent.CheckAvailability;
        // "Hola, gracias" thanks; "gracias" after a booking is the end of the conversation, not a new greeting.
        if (tokens.Any(ThanksWords.Contains)) return Intent.Thanks;
        if (tokens.Any(GreetingWords.Contains) || GreetingPhrase().IsMatch(normalized)) return Intent.Greeting;
        return Intent.Other;
    }

    [GeneratedRegex(@"\b(?:hay|tienen|tenes|tienes|tenés)\b|\b(?:do you have|is there|are there)\b", Options, TimeoutMs)]
    private static partial Regex AvailabilityPhrase();

    [GeneratedRegex(@"\b(?:cuando|a que hora|que dia|when|what time|what day)\b.*\b(?:mi|mis|tengo|my|have)\b.*\b(?:turnos?|citas?|reservas?|appointments?|bookings?)\b", Options, TimeoutMs)]
    private static partial Regex MyAppointmentPhrase();

    [GeneratedRegex(@"\b(?:ayuda|ayudame|help|menu|opciones|options)\b|\bque (?:puedes|podes|sabes|sabés) hacer\b|\bque haces\b|\bcomo funciona\b|\bwhat (?:can|do) you do\b|\bhow does (?:this|it) work\b|\bwhat are you\b|\bquien (?:sos|eres)\b", Options, TimeoutMs)]
    private static partial Regex HelpPhrase();

    [GeneratedRegex(@"^(?:mm+|eh+|hmm+|um+)?\s*(?:no se|no lo se|no estoy segur[oa]|not sure|i'?m not sure|i don'?t know|dunno|quizas|tal vez|maybe|a lo mejor)\b", Options, TimeoutMs)]
    private static partial Regex Unsure();

    [GeneratedRegex(@"\bgood (?:morning|afternoon|evening|day)\b|\bbuen(?:os|as)? (?:dias?|tardes|noches)\b", Options, TimeoutMs)]
    private static partial Regex GreetingPhrase();

    [GeneratedRegex(@"[a-z0-9']+", Options, TimeoutMs)]
    private static partial Regex Tokens();

    // ---------------------------------------------------------------- date

    private const string MonthNames =
        "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|" +
        "january|february|march|april|may|june|july|august|september|october|november|december|" +
        "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec|ene|abr|ago|dic";

    // A number followed by one of these is a time, not a day: "el 3 pm", "May 3:30".
    private const string NotATime = @"(?!\s*(?::|am\b|pm\b|hs?\b|horas?\b|y (?:media|cuarto)\b|menos cuarto\b|de la\b|o'?clock\b))";

    [GeneratedRegex(@"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", Options, TimeoutMs)]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:de\s+|of\s+)?(" + MonthNames + @")\b(?:,?\s+(?:de\s+|del\s+)?(\d{4})\b)?", Options, TimeoutMs)]
    private static partial Regex DayMonthName();

    [GeneratedRegex(@"\b(" + MonthNames + @")\s+(\d{1,2})(?:st|nd|rd|th)?\b" + NotATime + @"(?:,?\s+(\d{4})\b)?", Options, TimeoutMs)]
    private static partial Regex MonthNameDay();

    [GeneratedRegex(@"(?<![\d/-])(\d{1,2})[/-](\d{1,2})(?:[/-](\d{4}|\d{2}))?(?![\d/-])", Options, TimeoutMs)]
    private static partial Regex NumericDate();

    /// <summary>"Lo antes posible", "el próximo turno libre", "next available", "earliest": the next free times from now.</summary>
    [GeneratedRegex(@"\blo (?:antes|mas pronto) posible\b|\bcuanto antes\b|\b(?:proxim[oa]|primer[oa]?)\s+(?:turno|cita|horario|hueco|lugar)s?\s+(?:libre|disponible)s?\b|\bnext (?:available|free|opening|open)\b|\bearliest\b|\bas soon as possible\b|\basap\b|\bsoonest\b|\bfirst available\b", Options, TimeoutMs)]
    private static partial Regex Soonest();

    /// <summary>
    /// "del jueves (a las 3)", "de mañana", "del 16 de enero", "from Thursday (at 3pm)": the appointment a move starts from.
    /// </summary>
    [GeneratedRegex(@"\b(?:del|de|from)\s+((?:(?:el|the)\s+)?(?:dia\s+)?(?:(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|monday|tuesday|wednesday|thursday|friday|saturday|sunday|manana|hoy|today|tomorrow)(?:\s+\d{1,2}\b)?|\d{1,2}(?:st|nd|rd|th)?(?:\s+(?:de|of)\s+(?:" + MonthNames + @"))?\b|\d{1,2}/\d{1,2})(?:\s+(?:a las?|at)\s+\d{1,2}(?:[:.]\d{2})?(?:\s*(?:am|pm|hs))?)?)", Options, TimeoutMs)]
    private static partial Regex MovedFrom();

    /// <summary>"Dentro de 3 días", "en 2 días", "in 3 days".</summary>
    [GeneratedRegex(@"\b(?:dentro de|en|in)\s+(\d{1,2}|un|una|dos|tres|cuatro|cinco|seis|siete|one|a|two|three|four|five|six|seven)\s+(?:dias?|days?)\b", Options, TimeoutMs)]
    private static partial Regex InDays();

    private static readonly Dictionary<string, int> SmallNumbers = new()
    {
        ["un"] = 1, ["una"] = 1, ["one"] = 1, ["a"] = 1, ["dos"] = 2, ["two"] = 2, ["tres"] = 3, ["three"] = 3, ["cuatro"] = 4,
        ["four"] = 4, ["cinco"] = 5, ["five"] = 5, ["seis"] = 6, ["six"] = 6, ["siete"] = 7, ["seven"] = 7,
    };

    [GeneratedRegex(@"\bpasado manana\b|\b(?:the )?day after tomorrow\b", Options, TimeoutMs)]
    private static partial Regex DayAfterTomorrow();

    [GeneratedRegex(@"\banteayer\b|\b(?:the )?day before yesterday\b", Options, TimeoutMs)]
    private static partial Regex DayBeforeYesterday();

    [GeneratedRegex(@"\bayer\b|\byesterday\b", Options, TimeoutMs)]
    private static partial Regex Yesterday();

    // "por la mañana", "de la mañana", "esta mañana" mean "in the morning", not "tomorrow".
    [GeneratedRegex(@"(?<!\b(?:la|esta) )\bmanana\b|\btomorrow\b", Options, TimeoutMs)]
    private static partial Regex Tomorrow();

    [GeneratedRegex(@"\bhoy\b|\btoday\b|\btonight\b|\besta (?:manana|tarde|noche)\b|\bthis (?:morning|afternoon|evening)\b", Options, TimeoutMs)]
    private static partial Regex Today();

    // "este jueves" / "this thursday" said on a Thursday is today; any other weekday name is the next one after today.
    [GeneratedRegex(@"\b(?:(este|this)\s+)?(lunes|martes|miercoles|jueves|viernes|sabado|domingo|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b(?:,?\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\b" + NotATime + @"(?!\s*(?:de|of)?\s*(?:" + MonthNames + @")\b))?", Options, TimeoutMs)]
    private static partial Regex Weekday();

    [GeneratedRegex(@"\b(?:el dia|el|dia|the|on the)\s+(\d{1,2})(st|nd|rd|th)?\b" + NotATime, Options, TimeoutMs)]
    private static partial Regex DayOnly();

    private static readonly Dictionary<string, IsoDayOfWeek> Weekdays = new()
    {
        ["lunes"] = IsoDayOfWeek.Monday, ["martes"] = IsoDayOfWeek.Tuesday, ["miercoles"] = IsoDayOfWeek.Wednesday,
        ["jueves"] = IsoDayOfWeek.Thursday, ["viernes"] = IsoDayOfWeek.Friday, ["sabado"] = IsoDayOfWeek.Saturday,
        ["domingo"] = IsoDayOfWeek.Sunday, ["monday"] = IsoDayOfWeek.Monday, ["tuesday"] = IsoDayOfWeek.Tuesday,
        ["wednesday"] = IsoDayOfWeek.Wednesday, ["thursday"] = IsoDayOfWeek.Thursday, ["friday"] = IsoDayOfWeek.Friday,
        ["saturday"] = IsoDayOfWeek.Saturday, ["sunday"] = IsoDayOfWeek.Sunday,
    };

    private static int MonthNumber(string name) => name switch
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

    /// <summary>Finds the date, most explicit form first, and returns the text with it blanked out so its numbers are not read as a time.</summary>
    private static (DateExpression? Date, string Remaining) ParseDate(string text, Language? language)
    {
        if (IsoDate().Match(text) is { Success: true } iso)
            return (new CalendarDate(Int(iso.Groups[1]), Int(iso.Groups[2]), Int(iso.Groups[3])), Blank(text, iso));

        if (DayMonthName().Match(text) is { Success: true } dm)
            return (new CalendarDate(OptionalInt(dm.Groups[3]), MonthNumber(dm.Groups[2].Value), Int(dm.Groups[1])), Blank(text, dm));

        if (MonthNameDay().Match(text) is { Success: true } md)
            return (new CalendarDate(OptionalInt(md.Groups[3]), MonthNumber(md.Groups[1].Value), Int(md.Groups[2])), Blank(text, md));

        if (NumericDate().Match(text) is { Success: true } numeric)
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

        if (DayAfterTomorrow().Match(text) is { Success: true } dat) return (new RelativeDay(2), Blank(text, dat));
        if (InDays().Match(text) is { Success: true } inDays)
        {
            var count = SmallNumbers.TryGetValue(inDays.Groups[1].Value, out var word) ? word : Int(inDays.Groups[1]);
            return (new RelativeDay(count), Blank(text, inDays));
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
                : (new NextWeekday(day, TodayCounts: weekday.Groups[1].Success), Blank(text, weekday));
        }
        if (DayOnly().Match(text) is { Success: true } dayOnly && (dayOnly.Groups[2].Success || !dayOnly.Value.StartsWith("the", StringComparison.Ordinal)))
            return (new DayOfMonth(Int(dayOnly.Groups[1])), Blank(text, dayOnly));

        return (null, text);
    }

    // ---------------------------------------------------------------- time

    [GeneratedRegex(@"\b(?:al |el |at )?(?:mediodia|noon|midday)\b", Options, TimeoutMs)]
    private static partial Regex Noon();

    [GeneratedRegex(@"\b(?:medianoche|midnight)\b", Options, TimeoutMs)]
    private static partial Regex Midnight();

    [GeneratedRegex(@"\b(?:a las|las|at)\s+12\s+(?:de la noche|at night)\b", Options, TimeoutMs)]
    private static partial Regex TwelveAtNight();

    // 3pm, 3 pm, 3:30pm, 10 am
    [GeneratedRegex(@"\b(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)\b", Options, TimeoutMs)]
    private static partial Regex ClockWithMeridiem();

    // 15:00, 15h30, 9:30 hs, 15:00hs
    // 15:30, 15h30, 15.30 (a dot is how many phones write it)
    [GeneratedRegex(@"\b(\d{1,2})[:h.](\d{2})(?![\d.])", Options, TimeoutMs)]
    private static partial Regex Clock();

    // a las 3, a la 1, las 15, at 3, a las 3 y media, a las 4 menos cuarto, a las 15 hs
    [GeneratedRegex(@"\b(?:a las?|las|la|at|around|sobre las|tipo)\s+(\d{1,2})\b(?:\s*(?:hs|h|horas?|o'?clock)\b)?(?:\s+(y media|y cuarto|menos cuarto|y (?:[1-5][05]|05)\b|menos (?:[1-5][05]|05)\b|thirty|fifteen|forty[ -]five))?", Options, TimeoutMs)]
    private static partial Regex AfterPreposition();

    // 3 y media, 3 y cuarto, 4 menos cuarto
    [GeneratedRegex(@"\b(\d{1,2})\s+(y media|y cuarto|menos cuarto|y (?:[1-5][05]|05)\b|menos (?:[1-5][05]|05)\b)(?!\d)", Options, TimeoutMs)]
    private static partial Regex SpanishFraction();

    // half past 3, quarter past 3, quarter to 4
    [GeneratedRegex(@"\b(half past|quarter past|quarter to)\s+(\d{1,2})\b", Options, TimeoutMs)]
    private static partial Regex EnglishFraction();

    // 15hs, 15 hs, 15h
    [GeneratedRegex(@"\b(\d{1,2})\s*(?:hs|h)\b", Options, TimeoutMs)]
    private static partial Regex HoursSuffix();

    // Parts of the day. "mañana" alone is tomorrow; with an article ("por la mañana", "a la mañana") it is the morning.
    // "tardes"/"noches" (plural) are greetings ("buenas tardes"), and "good morning" is one too.
    [GeneratedRegex(@"\b(?:la|esta) manana\b|(?<!\bgood )\bmornings?\b", Options, TimeoutMs)]
    private static partial Regex MorningPhrase();

    [GeneratedRegex(@"\btarde\b|(?<!\bgood )\bafternoons?\b", Options, TimeoutMs)]
    private static partial Regex AfternoonPhrase();

    [GeneratedRegex(@"\bnoche\b|(?<!\bgood )\bevenings?\b|\btonight\b", Options, TimeoutMs)]
    private static partial Regex EveningPhrase();

    [GeneratedRegex(@"\b(a las?|las|la|at|past|to)\s+(una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b", Options, TimeoutMs)]
    private static partial Regex HourWord();

    private static readonly Dictionary<string, int> HourWords = new()
    {
        ["una"] = 1, ["uno"] = 1, ["dos"] = 2, ["tres"] = 3, ["cuatro"] = 4, ["cinco"] = 5, ["seis"] = 6, ["siete"] = 7,
        ["ocho"] = 8, ["nueve"] = 9, ["diez"] = 10, ["once"] = 11, ["doce"] = 12, ["one"] = 1, ["two"] = 2, ["three"] = 3,
        ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11,
        ["twelve"] = 12,
    };

    /// <summary>"a las tres" → "a las 3". Only after a time preposition, because "una" is also "a" ("una cita").</summary>
    private static string NumberWordsToDigits(string text) =>
        HourWord().Replace(text, m => m.Groups[1].Value + " " + HourWords[m.Groups[2].Value]);

    /// <summary>Am/Pm said by the customer (or by a part of the day); TwentyFour is a time written "09:00", which has no other reading.</summary>
    private enum Meridiem { None, Am, Pm, TwentyFour }

    private static PartOfDay? ParsePeriod(string text) =>
        EveningPhrase().IsMatch(text) ? PartOfDay.Evening
        : AfternoonPhrase().IsMatch(text) ? PartOfDay.Afternoon
        : MorningPhrase().IsMatch(text) ? PartOfDay.Morning
        : null;

    /// <summary>The time, and whether its am/pm was assumed (an hour from 1 to 11 said with neither am/pm nor a part of the day).</summary>
    private static (LocalTime? Time, bool MeridiemAssumed) ParseTime(string text, PartOfDay? period)
    {
        if (Noon().IsMatch(text)) return (new LocalTime(12, 0), false);
        if (Midnight().IsMatch(text) || TwelveAtNight().IsMatch(text)) return (LocalTime.Midnight, false);

        var cue = period switch
        {
            PartOfDay.Morning => Meridiem.Am,
            PartOfDay.Afternoon or PartOfDay.Evening => Meridiem.Pm,
            _ => Meridiem.None,
        };

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
                "half past" => Build(hour, 30, cue),
                "quarter past" => Build(hour, 15, cue),
                _ => Build(hour - 1, 45, cue),
            };
        }

        if (AfterPreposition().Match(text) is { Success: true } preposition)
            return WithFraction(Int(preposition.Groups[1]), preposition.Groups[2].Value, cue);

        if (SpanishFraction().Match(text) is { Success: true } fraction)
            return WithFraction(Int(fraction.Groups[1]), fraction.Groups[2].Value, cue);

        if (HoursSuffix().Match(text) is { Success: true } suffix)
            return Build(Int(suffix.Groups[1]), 0, cue);

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
        "menos cuarto" => Build(hour - 1, 45, meridiem),
        "forty five" or "forty-five" => Build(hour, 45, meridiem),
        _ when fraction.StartsWith("y ", StringComparison.Ordinal) => Build(hour, int.Parse(fraction.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture), meridiem),
        _ when fraction.StartsWith("menos ", StringComparison.Ordinal) =>
            Build(hour - 1, 60 - int.Parse(fraction.AsSpan(6), System.Globalization.CultureInfo.InvariantCulture), meridiem),
        _ => Build(hour, 0, meridiem),
    };

    private static (LocalTime?, bool) Build(int hour, int minute, Meridiem meridiem)
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

    // ---------------------------------------------------------------- helpers

    private static int Int(Group group) => int.Parse(group.ValueSpan, System.Globalization.CultureInfo.InvariantCulture);

    private static int? OptionalInt(Group group) => group.Success ? Int(group) : null;

    private static string Blank(string text, Match match) =>
        string.Concat(text.AsSpan(0, match.Index), new string(' ', match.Length), text.AsSpan(match.Index + match.Length));
}
