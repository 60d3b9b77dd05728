using System.Text.RegularExpressions;
using static CalendarConnect.Assistant.Understanding.MatchText;

namespace CalendarConnect.Assistant.Understanding;

/// <summary>What the customer wants from a message: book, ask, move, cancel, say yes or no, greet, thank.</summary>
internal static partial class IntentReader
{
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

    private static readonly HashSet<string> GreetingWords =
        ["hola", "holis", "holi", "holu", "wenas", "buenas", "buenos", "buen", "saludos", "hello", "hi", "hey", "howdy", "hiya", "heya", "hii", "heyy"];

    public static readonly HashSet<string> CancelWords =
    [
        "cancelar", "cancela", "cancelo", "cancelame", "cancelalo", "cancelala", "cancelarlo", "cancelarla", "anular",
        "anula", "anulo", "anulalo", "anulala", "cancelamelo", "cancelamela", "cancel", "cancelled", "canceled", "cancellation",
        "cancelelo", "cancelela", "cancelemelo", "cancelemela", "anulelo", "anulela",
    ];

    /// <summary>Cancel words that are an affirmative command with a pronoun ("cancelalo"): never negated as they are.</summary>
    /// <remarks>With "usted" too ("cancélelo", "anúlela"): the negative is "no lo cancele".</remarks>
    private static readonly HashSet<string> CancelImperatives =
        ["cancelalo", "cancelala", "cancelamelo", "cancelamela", "anulalo", "anulala", "cancelelo", "cancelela", "cancelemelo", "cancelemela", "anulelo", "anulela"];

    public static readonly HashSet<string> RescheduleWords =
    [
        "cambiar", "cambia", "cambio", "cambialo", "cambiala", "cambiame", "cambiarlo", "cambiarla", "mover", "move", "movelo",
        "moverlo", "moverla", "muevelo", "muevela", "reprogramar", "reprograma", "reprogramalo", "reagendar", "reagenda", "reagendalo",
        "postergar", "posponer", "adelantar", "atrasar", "pasar", "pasalo", "pasarlo", "reschedule", "rescheduling", "change",
        "postpone", "moving", "pasamos", "pasemos", "cambiamos", "cambiemos", "movemos", "movamos", "push", "pushed", "bring",
        "adelantamos", "atrasamos", "corremos", "correlo", "correr", "pasamelo", "pasamela", "pasala", "cambiamelo", "cambiamela",
        "muevemelo", "muevemela", "adelantalo", "adelantala", "atrasalo", "atrasala", "retrasar", "retrasa", "retrasalo", "retrasala",
        "retrasamos", "retrasemos", "recorrer", "recorre", "recorrela", "recorrelo", "recorrerla", "recorrerlo", "recorremos",
    ];

    /// <summary>What a move is about when no booking word is said: "cambiar la hora", "change the time", "move it".</summary>
    private static readonly HashSet<string> RescheduleCompanions = ["lo", "la", "it", "hora", "horario", "dia", "fecha", "time", "date", "day"];

    public static readonly HashSet<string> ThanksWords = ["gracias", "graciass", "thanks", "thank", "thx", "ty", "agradezco", "cheers"];

    /// <summary>"Sí cancelalo", "yes cancel": the yes to a cancellation question (see <see cref="ParsedMessage.ConfirmsCancellation"/>).</summary>
    public static bool IsYesToCancel(string raw, IReadOnlyList<string> tokens) => ConfirmationReader.IsYesToCancel(raw, tokens, CancelWords);

    /// <summary>The verbs of opening (<see cref="OpeningHoursPhrase"/>): known words, so no typo correction turns "abris" into "abril".</summary>
    private static readonly HashSet<string> OpeningVerbs = [.. OpeningVerbNames.Split('|')];

    /// <summary>"¿Abren…?", "¿hasta qué hora atienden?", "¿trabajan…?", "¿a qué hora cierran?" (every person the variants use).</summary>
    private const string OpeningVerbNames = "abren|abris|abre|abriran|atienden|atendes|atiendes|atiende|atendeis|trabajan|trabajas|trabajais|cierran|cerras|cierras|cierra|cerrais";

    public static bool IsKnown(string word) =>
        OpeningVerbs.Contains(word) || BookWords.Contains(word) || AvailabilityWords.Contains(word) || CancelWords.Contains(word) || RescheduleWords.Contains(word)
        || ThanksWords.Contains(word) || GreetingWords.Contains(word);

    /// <summary>Whether the words ask to move an appointment (a move word with what is moved, or one of the move phrases).</summary>
    public static bool IsMove(string normalized, IReadOnlyList<string> tokens) =>
        (tokens.Any(RescheduleWords.Contains) && (tokens.Any(BookWords.Contains) || tokens.Any(RescheduleCompanions.Contains)
            || tokens.Any(t => (t.EndsWith("lo", StringComparison.Ordinal) || t.EndsWith("la", StringComparison.Ordinal)) && RescheduleWords.Contains(t)) || tokens.Contains("reschedule")
            || tokens.Contains("reprogramar") || tokens.Contains("reagendar")))
        || MovePhrase().IsMatch(normalized);

    public static Intent Detect(string raw, string normalized, IReadOnlyList<string> tokens, bool mentionsDateOrTime)
    {
        if (ConfirmationReader.IsUnsure(normalized)) return Intent.Other;
        // "No voy a poder ir, cancelalo": an affirmative imperative with its pronoun cannot be negated in Spanish ("no lo
        // canceles" is the negative), so the "no" is about something else. The cancellation still waits for a yes.
        if (tokens.Any(CancelImperatives.Contains) && tokens[^1] != "no") return Intent.Cancel;
        // "No" answers a question of ours; "no, mejor a las 4" names a new time and is a new request instead.
        if (!mentionsDateOrTime && (ConfirmationReader.IsNo(tokens) || ConfirmationReader.IsNoPhrase(normalized))) return Intent.Decline;
        // Before "turno"/"appointment" count as booking words: these sentences contain them too.
        if (tokens.Any(CancelWords.Contains)) return Intent.Cancel;
        if (MyAppointmentPhrase().IsMatch(normalized)) return Intent.MyAppointment;
        // "Cambiar mi turno al viernes" names the new time and holds "turno": it moves a booking, it does not make one.
        // A bare "cambio" or "change" without a booking word could be anything, so the word must come with one, or be
        // the verb of a short message ("¿puedo cambiarlo?").
        if (IsMove(normalized, tokens)) return Intent.Reschedule;
        // "Sí" / "yes" answers the slot we proposed; a short message only, because "si" is also "if". A yes with a
        // "no" in it ("si no es molestia", "sí, no, espera") is not an explicit yes: the question is asked again.
        // "Vale gracias", "ok thanks": an acknowledgement that thanks is no yes to book.
        if (!mentionsDateOrTime && ConfirmationReader.IsAcknowledgedThanks(tokens, ThanksWords)) return Intent.Thanks;
        // "Ok gracias, chau", "okay thank you, bye": leave is taken, with or without thanks; it is no yes.
        if (!mentionsDateOrTime && ConfirmationReader.IsFarewell(normalized, tokens)) return Intent.Thanks;
        if (!mentionsDateOrTime && ConfirmationReader.IsYes(raw, normalized, tokens)) return Intent.Confirm;
        if (HelpPhrase().IsMatch(normalized)) return Intent.Help;
        if (tokens.Any(BookWords.Contains)) return Intent.Book;
        if (tokens.Any(AvailabilityWords.Contains) || (AvailabilityPhrase().IsMatch(normalized) && (mentionsDateOrTime || !AsksForSomethingElse(normalized))))
            return Intent.CheckAvailability;
        // "Mañana a las 3?" names a slot without a verb: the customer wants to know whether it is free.
        if (mentionsDateOrTime) return Intent.CheckAvailability;
        // "Hola, gracias" thanks; "gracias" after a booking is the end of the conversation, not a new greeting.
        if (tokens.Any(ThanksWords.Contains)) return Intent.Thanks;
        if (tokens.Any(GreetingWords.Contains) || GreetingPhrase().IsMatch(normalized)) return Intent.Greeting;
        return Intent.Other;
    }

    /// <summary>
    /// "Can we do Wednesday instead", "el jueves en su lugar", "mejor para el martes": what is said replaces something (not
    /// "instead of Friday", which rules out; not "mejor no"). "Monday would be better", "el lunes me viene mejor" say it too.
    /// </summary>
    [GeneratedRegex(@"\binstead\b(?!\s+of\b)|\ben su lugar\b|\bmejor\s+(?=(?:para|el|la|a las?|en|al)\b)|\b(?:would|'d|will)\s+(?:be|work|suit me)\s+better\b|\b(?:is|works|suits me)\s+better\b|\bme\s+(?:viene|va|queda|sirve)\s+mejor\b|\bseria mejor\b", Options, TimeoutMs)]
    private static partial Regex Replacement();

    /// <summary>Whether the message offers what it names in place of something already said or booked.</summary>
    public static bool SaysInstead(string normalized) => Replacement().IsMatch(normalized);

    /// <summary>Follow-ups that move what was just booked without a move word of their own: "could we make it 5 instead".</summary>
    [GeneratedRegex(@"(?<!\b(?:can'?t|cannot|won'?t|couldn'?t|not|never|able to)\s)\b(?:make|switch)\s+it\b(?!\s+(?:work|happen))|\b(?:lo|la)\s+(?:podes|puedes|podemos|podrias|podria|puede)\s+(?:pasar|correr|recorrer|mover|cambiar|adelantar|atrasar)\b|\b(?:me\s+)?lo\s+(?:pasas|pasarias|corres|cambias|adelantas|atrasas|mueves|moves)\b", Options, TimeoutMs)]
    private static partial Regex MovePhrase();

    /// <summary>
    /// "¿Hay…?", "do you have…?", and asking when one may come: "¿a qué hora puedo ir?", "¿cuándo puedo pasar?", "what time
    /// can I come in?" (with no day said, the day is asked back).
    /// </summary>
    [GeneratedRegex(@"\b(?:hay|tienen|tenes|tienes|tenés)\b|\b(?:do you have|is there|are there)\b|\b(?:a que hora|cuando|que dia|que horarios?)\s+(?:puedo|podria|podemos|puede|podre)\s+(?:ir|pasar|venir|caer|acercarme|llevarl[oa]|llevar)\b|\b(?:what time|when|what day)\s+(?:can|could|should|may)\s+(?:i|we)\s+(?:come|go|stop by|drop by|pop in|swing by|drop in|visit)\b|^\W*(?:(?:hi|hello|hey|hola)\W+)?(?:can|could|may)\s+(?:i|we)\s+(?:come(?:\s+(?:in|by|over))?|stop by|drop by|drop in|pop in|swing by|visit)\b|\b(?:puedo|podria|podemos)\s+(?:ir|pasar|venir|caer)\s*\W*$", Options, TimeoutMs)]
    private static partial Regex AvailabilityPhrase();

    /// <summary>"¿Tienen estacionamiento?", "is there wifi there": what "hay" / "is there" asks for, when it is a single word.</summary>
    [GeneratedRegex(@"\b(?:hay|tienen|tenes|tienes|do you have|is there|are there)\s+(?:(?:a|an|any|some|un|una|unos|unas|el|la|los|las)\s+)?(?<thing>[a-z']+)", Options, TimeoutMs)]
    private static partial Regex AskedThing();

    /// <summary>Words after "hay" / "is there" that still ask for a time: "¿hay algo?", "is there any room?", "tenés un hueco?".</summary>
    private static readonly HashSet<string> BookableThings =
    [
        "algo", "nada", "alguno", "alguna", "algun", "espacio", "tiempo", "chance", "anything", "something", "nothing", "room", "space",
        "spot", "spots", "slot", "slots", "time", "times", "hora", "horas", "opening", "openings", "way",
    ];

    /// <summary>
    /// An availability question about something that is no time, appointment or place in the diary ("¿tienen
    /// estacionamiento?", "is there wifi there"): off-topic, not a booking. A word the parser knows (a day, "turno",
    /// "libre") or one of <see cref="BookableThings"/> keeps it a question about times.
    /// </summary>
    private static bool AsksForSomethingElse(string normalized) =>
        AskedThing().Match(normalized) is { Success: true } asked
        && asked.Groups["thing"].Value is var thing && !BookableThings.Contains(thing) && !MessageParser.IsKnownWord(thing);

    /// <summary>
    /// "¿Cuándo es mi turno?", "when's my appt?", "what time am I booked for", "sorry what time was it again?" (again: the
    /// time already agreed), "¿para cuándo quedó el turno?", "do I have an appointment?", "¿tengo alguna cita?", and, as a
    /// whole message, "when is it?", "what time was it?" or "che, ¿a qué hora quedó al final?" (never "what time is it?",
    /// which asks for the clock).
    /// </summary>
    [GeneratedRegex(@"\b(?:cuando|a que hora|que dia|when|what time|what day)\b.*\b(?:mi|mis|tengo|tenia|era|my|have)\b.*\b(?:turnos?|citas?|reservas?|appointments?|appts?|bookings?)\b|" + OwnAppointmentQuestion + @"|\b(?:when|what time|what day)\s+(?:am|was)\s+i\s+(?:booked|scheduled)\b|\b(?:which|what)\s+(?:day|time|date)\s+did\s+(?:i|we)\s+(?:book|pick|choose|get|end up with|settle on)\b(?!\s+(?:a|an|another|one)\b)|\bwhen\s+did\s+(?:i|we)\s+book\s+(?:it|that|for)\b|\b(?:when|what time|what day)\s+(?:was|is)\s+(?:it|that)\s+again\b|\b(?:cuando|a que hora|que dia)\s+(?:quedo|queda|quedamos|es|era|seria)\s+(?:el|la|mi)\s+(?:turno|cita|reserva)\b|\b(?:cuando|a que hora|que dia|what time|what day)\s+(?:era|fue|habiamos quedado|was it|was that|did we say)(?:\s+(?:again|de nuevo|otra vez|entonces|then))?\W*$", Options, TimeoutMs)]
    private static partial Regex MyAppointmentPhrase();

    /// <summary>
    /// Whether the customer has an appointment, or when "it" is, asked in so many words: "¿tengo alguna cita?", "¿tengo
    /// turno?", "do I have an appointment?", "am I booked?", "when is it?", "¿a qué hora quedó?". Only the whole message
    /// in Spanish: "tengo turno el jueves pero…" tells of an appointment, it does not ask about one. "What time is it" asks
    /// the time of day, so only "when" asks when "it" is.
    /// </summary>
    private const string OwnAppointmentQuestion =
        @"^\W*(?:(?:y|hola|oye|che|una pregunta|disculpa|perdon|entonces|o sea|pero)\W+)*(?:yo\s+)?(?:ya\s+)?(?:no\s+)?(?:tengo|tenia)\s+(?:(?:algun|alguna|algunos|algunas|ningun|ninguna|un|una|mi|el|la)\s+)?(?:turnos?|citas?|reservas?)(?:\s+(?:reservad[oa]s?|agendad[oa]s?|pendientes?|con ustedes|con usted|con vos|contigo|ya|o no|entonces|al final))?\W*$"
        + @"|\b(?:do|did)\s+i\s+(?:still\s+|already\s+)?have\s+(?:an?|any|my)\s+(?:appointments?|appts?|bookings?|reservations?)\b|\bhave i got\s+(?:an?|any)\s+(?:appointments?|appts?|bookings?)\b|\bam i (?:booked|scheduled)\b"
        + @"|^\W*(?:(?:y|so|and|sorry|ok|hey|perdon|entonces|che|oye|oiga|disculpe|me|recuerdas|recuerda|recordas|confirmas|confirma|confirmás|dices|dice|decis|remind|recuerdame|recordame|recuerdeme)\W+)*(?:(?:a que hora|cuando|que dia|para cuando|para que dia|para que hora)\s+(?:quedo|quedamos|queda|es|era|seria|sera)|when(?:'s|\s+is|\s+was)\s+(?:it|that))(?:\W+(?:again|al final|finalmente|entonces|then|now|ahora))?\W*$";

    [GeneratedRegex(@"\b(?:ayuda|ayudame|help|menu|opciones|options)\b|\bque (?:puedes|podes|sabes|sabés) hacer\b|\bque haces\b|\bcomo funciona\b|\bque puedo hacer(?:\s+(?:aqui|aca|con esto|con (?:este|el) chat|en (?:este|el) chat))?\W*$|\bwhat (?:can|do) (?:you|u) do\b|\bhow does (?:this|it) work\b|\bwhat are you\b|\bquien (?:sos|eres)\b"
        // Asked about the chat itself: "what can this bot do?", "how do I use this?", "¿cómo va esto?", "¿para qué sirve este chat?".
        + @"|\bwhat (?:can|does|do) (?:this|the) (?:bot|assistant|chat|thing|app|service)(?: do)?\b|\bhow (?:does|do) (?:this|the) (?:bot|chat|thing|app|service) work\b|\bhow do i use (?:this|it|the bot)\b"
        + @"|\bcomo (?:va|funciona|se usa|uso) (?:esto|este chat|el chat|este bot|el bot|esta cosa)\b|\bpara que sirve (?:esto|este chat|el chat|este bot|el bot)\b", Options, TimeoutMs)]
    private static partial Regex HelpPhrase();

    /// <summary>
    /// A question about the company's opening days or hours: "do you work saturdays?", "what time do you close on friday",
    /// "are you guys open on sundays", "opening hours", "¿abren los domingos?", "¿hasta qué hora atienden?", "¿cuál es el
    /// horario?", "¿qué horario manejan?". Not "what's open tomorrow" (free times: nobody is asked about) nor "¿qué horarios
    /// tenés el jueves?" (the plural asks for free times).
    /// </summary>
    [GeneratedRegex(@"\b(?:do|are|r|will|is)\s+(?:you|u|ya|y'?all|you guys|u guys|the (?:shop|office|clinic|salon|place))\s+(?:(?:guys|all|still|usually|normally|even)\s+)*(?:work|working|open|opened|closed|close)\b"
        + @"|\b(?:what time|when|until when|till when|how late|how early)\s+(?:do|does|are|r)\s+(?:you|u|ya|you guys|u guys|the (?:shop|office|clinic|salon|place))\s+(?:(?:guys|all|usually|normally)\s+)*(?:open|close|shut|start|finish|work|stay open)\b"
        + @"|\b(?:opening|business|office|working|open|closing)\s+(?:hours|times|days|time)\b|\b(?:what|which)\s+(?:are|r)\s+(?:your|ur|the)\s+hours\b|\b(?:your|ur)\s+hours\b|\bhours of (?:operation|business)\b|\b(?:what|which) days (?:are|do) (?:you|u)\b"
        + @"|(?<!\b(?:me|nos|te|le|les|lo|la)\s)\b(?:" + OpeningVerbNames + @")\b(?!\s+(?:el|mi|la|lo|los|las)\s+(?:turnos?|citas?|reservas?))"
        + @"|\b(?:estan|estas|esta|estais)\s+(?:abiertos?|abiertas?|cerrados?|cerradas?)\b"
        + @"|\b(?:cual|cuales)\s+(?:es|son|seria|serian)\s+(?:el|los|su|sus|tu|tus|vuestro|vuestros)\s+horarios?\b|\bhorarios?\s+de\s+(?:atencion|apertura|trabajo|oficina|cierre|negocio|local)\b"
        + @"|\b(?:que|en que)\s+horario\s+(?:tienen|manejan|tenes|tienes|teneis|hacen|trabajan|atienden|abren)\b|^\W*(?:y\s+)?(?:el\s+)?horario\W*$|^\W*(?:and\s+)?(?:your\s+|opening\s+)?hours\W*$|\b(?:tienen|tenes|tienes|teneis|hay|dan|dais)\s+servicio\b", Options, TimeoutMs)]
    private static partial Regex OpeningHoursPhrase();

    /// <summary>Words that make a question about opening a question about free times or a booking ("¿atienden libre el sábado?").</summary>
    private static readonly HashSet<string> NotAboutOpening = ["libre", "libres", "disponible", "disponibles", "free", "available", "hueco", "lugar", "turno", "cita", "appointment", "slot", "slots"];

    /// <summary>
    /// Whether the message asks when the company opens (see <see cref="OpeningHoursPhrase"/>): answered with what the
    /// assistant can do, not with free times. A clock time in it ("¿atienden el sábado a las 11?") asks for that slot instead.
    /// </summary>
    public static bool AsksOpeningHours(string normalized, IReadOnlyList<string> tokens) =>
        OpeningHoursPhrase().IsMatch(normalized) && !normalized.Any(char.IsAsciiDigit) && !tokens.Any(NotAboutOpening.Contains);

    [GeneratedRegex(@"\bgood (?:morning|afternoon|evening|day)\b|\bbuen(?:os|as)? (?:dias?|tardes|noches)\b|" + TimeReader.MorningGreeting + "|" + SmallTalkPhrases, Options, TimeoutMs)]
    private static partial Regex GreetingPhrase();

    /// <summary>
    /// Small talk: "how are you (doing today)?", "how's it going", "what's up", "¿cómo estás?", "¿cómo andás?", "qué tal
    /// todo", "qué onda", "¿todo bien?". It greets; its "today" or "hoy" asks for no free times. "¿Cómo va esto?" asks for
    /// help, and "¿qué tal el martes?" proposes a day: neither is small talk.
    /// </summary>
    private const string SmallTalkPhrases =
        @"\bhow\s+(?:are|r)\s+(?:you|u|ya)(?:\s+(?:doing|going|keeping))?(?:\s+(?:today|this morning|this afternoon|tonight))?\b"
        + @"|\bhow(?:'?s|\s+is)\s+(?:it\s+going|your\s+day(?:\s+going)?|everything|things|life)(?:\s+today)?\b|\bhow\s+(?:have\s+you\s+been|do\s+you\s+do)\b"
        + @"|\bwhat'?s\s+up\b|\bwass?up\b|\bhope\s+you'?re\s+(?:well|good|ok|doing well)\b"
        + @"|\b(?:como|que tal)\s+(?:estas|estan|andas|andan|andamos|estamos|te va|le va|les va|vas|te ha ido|has estado)(?:\s+(?:hoy|todo|el dia|tu dia))?\b(?!\s+(?:esto|eso|el|la|lo|mi|con|para|a|al)\b)"
        + @"|\bcomo\s+(?:esta|va|anda)(?:\s+(?:todo|hoy|la cosa))?(?=\W*$)|\bque tal(?:\s+(?:todo|el dia|tu dia|hoy|la semana|va|vas))?(?=\W*(?:$|[,.!?]))|\bq(?:ue)? onda\b|^\W*todo bien\W*$";

    [GeneratedRegex(SmallTalkPhrases, Options, TimeoutMs)]
    private static partial Regex SmallTalk();

    /// <summary>The text with its small talk blanked ("how are you doing today? tomorrow at 3" asks only for tomorrow at 3).</summary>
    public static string WithoutSmallTalk(string text) => SmallTalk().Replace(text, talk => new string(' ', talk.Length));

    /// <summary>
    /// "I can't make it anymore", "no voy a poder ir", "ya no puedo asistir": the customer cannot come. With no day or
    /// time ruled out, it is about the appointment they have: a cancellation, which still waits for a yes.
    /// </summary>
    [GeneratedRegex(@"\b(?:can'?t|cannot|can not|won'?t be able to|will not be able to|(?:am|'?m) not able to|not going to be able to)\s+(?:make it|come|go|attend|be there)\b|\b(?:ya\s+)?no\s+(?:voy a poder|podre|puedo|vamos a poder|podremos)\s+(?:ir|asistir|venir|llegar|pasar)\b", Options, TimeoutMs)]
    private static partial Regex CannotAttendPhrase();

    /// <summary>Whether the customer says they cannot come (see <see cref="CannotAttendPhrase"/>).</summary>
    public static bool CannotAttend(string normalized) => CannotAttendPhrase().IsMatch(normalized);
}
