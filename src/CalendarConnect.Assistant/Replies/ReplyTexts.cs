using System.Globalization;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Replies;

/// <summary>Every sentence the assistant says, in Spanish and English. Nothing here repeats the customer's text.</summary>
public static class ReplyTexts
{
    /// <summary>The spec's sentence (step 7); <see cref="Available"/> adds the day, date and time it is about.</summary>
    public const string AvailableEs = "¡Perfecto! El horario está disponible. ¿Confirmas la reserva?";
    public const string AvailableEn = "Perfect! That time is available. Shall I confirm the booking?";

    private static readonly CultureInfo Es = CultureInfo.GetCultureInfo("es-ES");
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-US");

    /// <summary>Wire format of a time: "15:00".</summary>
    public static string Hhmm(LocalTime time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Wire format of an offered start: the company's local date and time, "2025-01-16T15:00".</summary>
    public static string LocalStart(LocalDateTime start) => OfferedStart.Format(start);

    private static readonly NodaTime.Text.LocalDateTimePattern OfferedStart =
        NodaTime.Text.LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");

    /// <summary>"jueves 16 de enero" / "Thursday, January 16"; with the year when it is not the company's current one.</summary>
    public static string Day(LocalDate date, ReplyContext reply)
    {
        var dayOfWeek = (DayOfWeek)((int)date.DayOfWeek % 7);
        var otherYear = reply.CompanyYear is { } year && year != date.Year;
        return reply.Language == Language.English
            ? $"{En.DateTimeFormat.GetDayName(dayOfWeek)}, {En.DateTimeFormat.GetMonthName(date.Month)} {date.Day}" + (otherYear ? $", {date.Year}" : "")
            : $"{Es.DateTimeFormat.GetDayName(dayOfWeek)} {date.Day} de {Es.DateTimeFormat.GetMonthName(date.Month)}" + (otherYear ? $" de {date.Year}" : "");
    }

    /// <summary>"15:00" in Spanish, "3:00 PM" in English.</summary>
    public static string Time(LocalTime time, ReplyContext reply) =>
        reply.Language == Language.English
            ? time.ToString("h:mm tt", En)
            : Hhmm(time);

    /// <summary>"14:00", "14:00 y 16:00", "9:00 AM, 10:00 AM and 2:00 PM".</summary>
    public static string List(IEnumerable<LocalTime> times, ReplyContext reply)
    {
        var items = times.Select(t => Time(t, reply)).ToList();
        var and = reply.Language == Language.English ? " and " : " y ";
        return items.Count <= 1 ? string.Concat(items) : string.Join(", ", items[..^1]) + and + items[^1];
    }

    /// <summary>
    /// The confirmation question: the spec's sentence, naming weekday, date and time in the company's zone, so the
    /// "sí" that follows can only mean this one appointment.
    /// </summary>
    public static string Available(LocalDateTime start, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"Perfect! That time is available. Shall I confirm the booking for {When(start, reply)}?"
            : $"¡Perfecto! El horario está disponible. ¿Confirmas la reserva para {When(start, reply)}?";

    /// <summary>A local time that happens twice (clocks going back): which of the two is proposed, by its UTC offset.</summary>
    public static string WhichOfTwice(LocalTime time, Offset offset, bool first, ReplyContext reply)
    {
        var utc = "UTC" + offset.ToString("m", CultureInfo.InvariantCulture);
        return reply.Language == Language.English
            ? $" Note: that day the clock shows {Time(time, reply)} twice because of the time change; this is the {(first ? "first" : "second")} one ({utc})."
            : $" Ojo: ese día el reloj marca las {Time(time, reply)} dos veces por el cambio de hora; es la {(first ? "primera" : "segunda")} ({utc}).";
    }

    /// <summary>The requested time is not free. <paramref name="alternatives"/> are the nearest free starts, on this day or the next ones.</summary>
    public static string NotAvailable(LocalDateTime requested, IReadOnlyList<LocalDateTime> alternatives, ReplyContext reply)
    {
        var list = AlternativesList(requested.Date, alternatives, reply);
        if (reply.Language == Language.English)
        {
            var head = $"Sorry, {Time(requested.TimeOfDay, reply)} on {Day(requested.Date, reply)} is not available";
            return alternatives.Count switch
            {
                0 => head + ", and I found no free time in the next days. Would you like to try another date?",
                1 => $"{head}. The nearest free time is {list}. Would that work?",
                _ => $"{head}. The nearest free times are {list}. Would any of those work?",
            };
        }

        var cabeza = $"Lo siento, las {Time(requested.TimeOfDay, reply)} del {Day(requested.Date, reply)} no están disponibles";
        return alternatives.Count switch
        {
            0 => cabeza + " y no encontré horarios libres en los próximos días. ¿Quieres probar con otra fecha?",
            1 => $"{cabeza}. El horario libre más cercano es {list}. ¿Te sirve?",
            _ => $"{cabeza}. Los horarios libres más cercanos son {list}. ¿Te sirve alguno?",
        };
    }

    /// <summary>Times alone when every alternative is on <paramref name="day"/>; otherwise each with its day.</summary>
    private static string AlternativesList(LocalDate day, IReadOnlyList<LocalDateTime> alternatives, ReplyContext reply) =>
        alternatives.All(a => a.Date == day) ? List(alternatives.Select(a => a.TimeOfDay), reply) : WhenList(alternatives, reply);

    /// <summary>A day with no free time at all (closed, full): the next free times the calendar has.</summary>
    public static string DayFull(LocalDate date, PartOfDay? period, IReadOnlyList<LocalDateTime> next, ReplyContext reply)
    {
        if (reply.Language == Language.English)
        {
            var head = $"Sorry, there are no free times on {Day(date, reply)}{(period is { } p ? " " + PeriodName(p, reply) : "")}";
            return next.Count == 0
                ? head + ", and I found none in the next days either. Would you like to try another date?"
                : $"{head}. The next free times are {WhenList(next, reply)}. Would any of those work?";
        }

        var cabeza = $"Lo siento, el {Day(date, reply)}{(period is { } q ? " " + PeriodName(q, reply) : "")} no hay horarios libres";
        return next.Count == 0
            ? cabeza + ", ni tampoco en los próximos días. ¿Quieres probar con otra fecha?"
            : $"{cabeza}. Los próximos horarios libres son {WhenList(next, reply)}. ¿Te sirve alguno?";
    }

    /// <summary>"por la tarde" / "in the afternoon".</summary>
    public static string PeriodName(PartOfDay period, ReplyContext reply) => (period, reply.Language) switch
    {
        (PartOfDay.Morning, Language.English) => "in the morning",
        (PartOfDay.Afternoon, Language.English) => "in the afternoon",
        (PartOfDay.Evening, Language.English) => "in the evening",
        (PartOfDay.Morning, _) => "por la mañana",
        (PartOfDay.Afternoon, _) => "por la tarde",
        _ => "por la noche",
    };

    public static string FreeTimesInPeriod(LocalDate date, PartOfDay period, IReadOnlyList<LocalTime> free, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"On {Day(date, reply)} {PeriodName(period, reply)} these times are free: {List(free, reply)}. Which one would you like?"
            : $"El {Day(date, reply)} {PeriodName(period, reply)} hay estos horarios libres: {List(free, reply)}. ¿Cuál te gustaría?";

    /// <summary>"entre las 15:00 y las 18:00", "a partir de las 16:00", "before 11:00 AM".</summary>
    public static string RangeName(TimeRange range, ReplyContext reply) =>
        (OpenEnded(range), reply.Language) switch
        {
            (RangeEnd.NoEnd, Language.English) => $"from {Time(range.From, reply)} on",
            (RangeEnd.NoStart, Language.English) => $"before {Time(range.To, reply)}",
            (_, Language.English) => $"between {Time(range.From, reply)} and {Time(range.To, reply)}",
            (RangeEnd.NoEnd, _) => $"a partir de las {Time(range.From, reply)}",
            (RangeEnd.NoStart, _) => $"antes de las {Time(range.To, reply)}",
            _ => $"entre las {Time(range.From, reply)} y las {Time(range.To, reply)}",
        };

    private enum RangeEnd { Both, NoStart, NoEnd }

    /// <summary>"After 4pm" reaches the end of the day and "before 11" starts at midnight: only the other end is said.</summary>
    private static RangeEnd OpenEnded(TimeRange range) =>
        range.To >= new LocalTime(23, 59) ? RangeEnd.NoEnd : range.From == LocalTime.Midnight ? RangeEnd.NoStart : RangeEnd.Both;

    /// <summary>The free starts of a day within the range the customer gave (its end is never one of them).</summary>
    public static string FreeTimesInRange(LocalDate date, TimeRange range, IReadOnlyList<LocalTime> free, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"On {Day(date, reply)} {RangeName(range, reply)} these times are free: {List(free, reply)}. Which one would you like?"
            : $"El {Day(date, reply)} {RangeName(range, reply)} hay estos horarios libres: {List(free, reply)}. ¿Cuál te gustaría?";

    /// <summary>Nothing free within the range that day: the nearest free starts around it, on that day or the next ones.</summary>
    public static string NoneInRange(LocalDate date, TimeRange range, IReadOnlyList<LocalDateTime> nearest, ReplyContext reply)
    {
        var list = AlternativesList(date, nearest, reply);
        if (reply.Language == Language.English)
        {
            var head = $"Sorry, there are no free times on {Day(date, reply)} {RangeName(range, reply)}";
            return nearest.Count switch
            {
                0 => head + ", and I found none in the next days either. Would you like to try another date?",
                1 => $"{head}. The nearest free time is {list}. Would that work?",
                _ => $"{head}. The nearest free times are {list}. Would any of those work?",
            };
        }

        var cabeza = $"Lo siento, el {Day(date, reply)} {RangeName(range, reply)} no hay horarios libres";
        return nearest.Count switch
        {
            0 => cabeza + ", ni tampoco en los próximos días. ¿Quieres probar con otra fecha?",
            1 => $"{cabeza}. El horario libre más cercano es {list}. ¿Te sirve?",
            _ => $"{cabeza}. Los horarios libres más cercanos son {list}. ¿Te sirve alguno?",
        };
    }

    /// <summary>A range with no day yet ("entre las 3 y las 6"): which day.</summary>
    public static string AskDateForRange(TimeRange range, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"What day would you like to book, {RangeName(range, reply)}?"
            : $"¿Para qué día te gustaría reservar, {RangeName(range, reply)}?";

    /// <summary>
    /// Several days asked at once ("next week"): a handful of free starts spread over them, and how to ask for more.
    /// </summary>
    public static string FreeTimesInSpan(LocalDate first, LocalDate last, IReadOnlyList<LocalDateTime> some, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"Between {Day(first, reply)} and {Day(last, reply)} there are free times, for example {WhenList(some, reply)}. Would any of those work? " +
              "For other options, tell me a day or a time, for example \"Thursday\" or \"Tuesday at 4 PM\"."
            : $"Entre el {Day(first, reply)} y el {Day(last, reply)} hay horarios libres, por ejemplo {WhenList(some, reply)}. ¿Te sirve alguno? " +
              "Para ver otras opciones, dime un día o una hora, por ejemplo «el jueves» o «el martes a las 16»."; 

    /// <summary>Several days asked at once and none has a free time: the next free times after them.</summary>
    public static string SpanFull(LocalDate first, LocalDate last, IReadOnlyList<LocalDateTime> next, ReplyContext reply)
    {
        if (reply.Language == Language.English)
        {
            var head = $"Sorry, there are no free times between {Day(first, reply)} and {Day(last, reply)}";
            return next.Count == 0
                ? head + ", and I found none after them either. Would you like to try another date?"
                : $"{head}. The next free times are {WhenList(next, reply)}. Would any of those work?";
        }

        var cabeza = $"Lo siento, entre el {Day(first, reply)} y el {Day(last, reply)} no hay horarios libres";
        return next.Count == 0
            ? cabeza + ", ni tampoco después. ¿Quieres probar con otra fecha?"
            : $"{cabeza}. Los próximos horarios libres son {WhenList(next, reply)}. ¿Te sirve alguno?";
    }

    /// <summary>"El lunes no me sirve": free times on other days, or which day when none was found.</summary>
    public static string OtherDays(LocalDate ruledOut, IReadOnlyList<LocalDateTime> others, ReplyContext reply) =>
        (reply.Language, others.Count) switch
        {
            (Language.English, 0) => $"OK, not {Day(ruledOut, reply)}. What other day would you like?",
            (Language.English, _) => $"OK, not {Day(ruledOut, reply)}. Other days with free times: {WhenList(others, reply)}. Would any of those work, or would you prefer another day?",
            (_, 0) => $"De acuerdo, el {Day(ruledOut, reply)} no. ¿Qué otro día te gustaría?",
            _ => $"De acuerdo, el {Day(ruledOut, reply)} no. Otros días con horarios libres: {WhenList(others, reply)}. ¿Te sirve alguno, o prefieres otro día?",
        };

    /// <summary>"a las 9" when both 09:00 and 21:00 are within the company's day: which one.</summary>
    public static string AskMeridiem(LocalTime morning, LocalTime evening, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"Do you mean {Time(morning, reply)} or {Time(evening, reply)}?"
            : $"¿A las {Time(morning, reply)} (de la mañana) o a las {Time(evening, reply)} (de la tarde/noche)?";

    /// <summary>"3/2" in English: March 2 or February 3.</summary>
    public static string AskWhichDate(IReadOnlyList<LocalDate> choices, ReplyContext reply)
    {
        var days = choices.Select(d => Day(d, reply)).ToList();
        return reply.Language == Language.English
            ? $"Do you mean {string.Join(" or ", days)}? Please write the month in words, for example \"{En.DateTimeFormat.GetMonthName(choices[0].Month)} {choices[0].Day}\"."
            : $"¿Te refieres al {string.Join(" o al ", days)}? Escribe el mes en palabras, por ejemplo «{choices[0].Day} de {Es.DateTimeFormat.GetMonthName(choices[0].Month)}».";
    }

    public static string TimeInPast(LocalDate date, LocalTime time, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"{Time(time, reply)} today ({Day(date, reply)}) has already passed. What other time would you like?"
            : $"Las {Time(time, reply)} de hoy ({Day(date, reply)}) ya pasaron. ¿Qué otro horario te gustaría?";

    /// <summary>The customer asked for a time between two slot starts, e.g. 15:30 when slots start on the hour.</summary>
    public static string StartsOnTheHour(LocalDate date, LocalTime time, IReadOnlyList<LocalTime> nearest, ReplyContext reply)
    {
        if (reply.Language == Language.English)
        {
            var head = $"Appointments start on the hour, so I can't book {Time(time, reply)} on {Day(date, reply)}";
            return nearest.Count switch
            {
                0 => head + ", and there are no free times left that day. Would you like to try another day?",
                1 => $"{head}. The nearest free time is {Time(nearest[0], reply)}. Would that work?",
                _ => $"{head}. The nearest free times are {List(nearest, reply)}. Would either of those work?",
            };
        }

        var cabeza = $"Los turnos empiezan a la hora en punto, así que no puedo reservar a las {Time(time, reply)} del {Day(date, reply)}";
        return nearest.Count switch
        {
            0 => cabeza + " y ese día no quedan horarios libres. ¿Quieres probar con otro día?",
            1 => $"{cabeza}. El horario libre más cercano es {Time(nearest[0], reply)}. ¿Te sirve?",
            _ => $"{cabeza}. Los horarios libres más cercanos son {List(nearest, reply)}. ¿Te sirve alguno?",
        };
    }

    public static string FreeTimesOfDay(LocalDate date, IReadOnlyList<LocalTime> free, ReplyContext reply) =>
        (reply.Language, free.Count) switch
        {
            (Language.English, 0) => $"Sorry, there are no free times on {Day(date, reply)}. Would you like to try another day?",
            (Language.English, _) => $"On {Day(date, reply)} these times are free: {List(free, reply)}. What time would you like?",
            (_, 0) => $"Lo siento, el {Day(date, reply)} no hay horarios libres. ¿Quieres probar con otro día?",
            _ => $"Para el {Day(date, reply)} hay estos horarios libres: {List(free, reply)}. ¿A qué hora te gustaría?",
        };

    public static string AskDate(LocalTime? time, ReplyContext reply) =>
        (reply.Language, time) switch
        {
            (Language.English, { } t) => $"What day would you like to book at {Time(t, reply)}?",
            (Language.English, null) => "What day and time would you like to book?",
            (_, { } t) => $"¿Para qué día te gustaría reservar a las {Time(t, reply)}?",
            _ => "¿Para qué día y a qué hora te gustaría reservar?",
        };

    public static string DateNotRecognised(ReplyContext reply) =>
        reply.Language == Language.English
            ? "I don't recognise that date. What day would you like? For example: \"tomorrow\" or \"January 15\"."
            : "No reconozco esa fecha. ¿Para qué día te gustaría reservar? Por ejemplo: «mañana» o «15 de enero».";

    public static string DateInPast(LocalDate date, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"{Day(date, reply)} has already passed. What other day would you like?"
            : $"El {Day(date, reply)} ya pasó. ¿Para qué otro día te gustaría reservar?";

    /// <summary>
    /// The calendar tool failed with <paramref name="code"/> (see <c>CalendarErrorCodes</c>). The server's own
    /// message is English and meant for the company's administrator, so the customer gets a sentence of ours
    /// that says what they can do.
    /// </summary>
    public static string CalendarUnavailable(string? code, ReplyContext reply) =>
        (code, reply.Language) switch
        {
            (CalendarErrorCodes.NotConnected, Language.English) =>
                "I can't check the company's calendar yet, so I can't take bookings right now: it isn't connected. Please contact them directly.",
            (CalendarErrorCodes.NotConnected, _) =>
                "No puedo consultar la agenda de la empresa por ahora, así que en este momento no puedo tomar reservas: todavía no está conectada. Por favor, comunícate directamente con ellos.",
            (CalendarErrorCodes.NeedsReauthorization, Language.English) =>
                "I can't check the company's calendar right now, so I can't take bookings: the company needs to reconnect it. In the meantime, please contact them directly.",
            (CalendarErrorCodes.NeedsReauthorization, _) =>
                "No puedo consultar la agenda de la empresa por ahora, así que en este momento no puedo tomar reservas: la empresa tiene que volver a conectar su calendario. Mientras tanto, por favor, comunícate directamente con ellos.",
            (CalendarErrorCodes.CalendarUnavailable, _) => CalendarUnreachable(reply),
            // missing_customer, invalid_customer, invalid_argument are faults on our side (the operator sees them
            // in the log); an unknown or missing code may be anything. Either way: nothing the customer can fix.
            (_, Language.English) =>
                "I can't check the calendar right now. Please try again later or contact the company directly.",
            _ =>
                "No puedo consultar la agenda en este momento. Por favor, inténtalo más tarde o comunícate directamente con la empresa.",
        };

    public static string CalendarUnreachable(ReplyContext reply) =>
        reply.Language == Language.English
            ? "I can't check the calendar right now. Please try again in a few minutes."
            : "No puedo consultar la agenda en este momento. Por favor, inténtalo de nuevo en unos minutos.";

    public static string Greeting(ReplyContext reply) =>
        reply.Language == Language.English
            ? "Hi! I'm the booking assistant. I can check free times and help you book an appointment. Tell me the day and time you'd like, for example: \"tomorrow at 3 PM\"."
            : "¡Hola! Soy el asistente de reservas. Puedo consultar los horarios libres y ayudarte a reservar un turno. Dime qué día y a qué hora te gustaría, por ejemplo: «mañana a las 3 PM».";

    public static string Help(ReplyContext reply) =>
        reply.Language == Language.English
            ? "I can check free times (\"tomorrow afternoon?\"), book an appointment (\"Friday at 10am\"), tell you when yours is (\"when is my appointment?\"), move it (\"move my appointment to Monday at 4pm\") or cancel it. Nothing is booked until you say yes. What would you like?"
            : "Puedo consultar horarios libres («¿mañana por la tarde?»), reservar un turno («el viernes a las 10»), decirte cuándo es el tuyo («¿cuándo es mi turno?»), cambiarlo («cambiar mi turno al lunes a las 16») o cancelarlo. No reservo nada sin tu «sí». ¿Qué te gustaría hacer?";

    /// <summary>
    /// A question about opening days or hours: the assistant sees free times, not the opening hours themselves, so it says
    /// how to ask for a day's free times, and what else it can do.
    /// </summary>
    public static string OpeningHours(ReplyContext reply) =>
        reply.Language == Language.English
            ? "I can't see the opening hours from here, but I can show you the free times of any day: ask, for example, \"what's free on Saturday?\" (a day with none is closed or full). I can also book an appointment (\"Friday at 10am\"), tell you when yours is, move it or cancel it. Nothing is booked until you say yes."
            : "No veo el horario de atención desde aquí, pero puedo mostrarte los horarios libres de cualquier día: pregúntame, por ejemplo, «¿qué hay libre el sábado?» (un día sin ninguno está cerrado o completo). También puedo reservar un turno («el viernes a las 10»), decirte cuándo es el tuyo, cambiarlo o cancelarlo. No reservo nada sin tu «sí».";

    /// <summary>Goodbye said to an open proposal ("ok gracias, chau"): nothing was booked or changed, and it is said.</summary>
    public static string FarewellNothingWritten(ReplyContext reply) =>
        reply.Language == Language.English
            ? "You're welcome! I haven't booked or changed anything. If you need an appointment, just write."
            : "¡De nada! No reservé ni cambié nada. Si necesitas un turno, escríbeme.";

    public static string Thanks(ReplyContext reply) =>
        reply.Language == Language.English
            ? "You're welcome! If you need anything else, just write."
            : "¡De nada! Si necesitas algo más, escríbeme.";

    /// <summary>A message that is none of the things the assistant does: say so, and what it can do.</summary>
    public static string Fallback(ReplyContext reply) =>
        reply.Language == Language.English
            ? "Sorry, I didn't understand that. I can check free times and book, move or cancel appointments. For example: \"tomorrow at 3 PM\"."
            : "Perdón, no entendí tu mensaje. Puedo consultar horarios y reservar, cambiar o cancelar turnos. Por ejemplo: «mañana a las 3 PM».";

    /// <summary>
    /// Two slots offered as alternatives ("thursday at 10 or friday at 2"): which one, never one of them taken for the
    /// customer. A slot without its time is named by its day.
    /// </summary>
    public static string AskWhichAlternative(IReadOnlyList<(LocalDate Date, LocalTime? Time)> alternatives, ReplyContext reply)
    {
        var named = alternatives.Select(a => a.Time is { } time ? When(a.Date.At(time), reply)
            : reply.Language == Language.English ? Day(a.Date, reply) : "el " + Day(a.Date, reply)).ToList();
        return reply.Language == Language.English
            ? $"Which would you prefer: {string.Join(" or ", named)}? I'll check that one for you."
            : $"¿Cuál prefieres: {string.Join(" o ", named)}? Te confirmo si está libre.";
    }

    /// <summary>"el jueves 16 de enero a las 15:00" / "Thursday, January 16 at 3:00 PM".</summary>
    public static string When(LocalDateTime start, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"{Day(start.Date, reply)} at {Time(start.TimeOfDay, reply)}"
            : $"el {Day(start.Date, reply)} a las {Time(start.TimeOfDay, reply)}";

    /// <summary>
    /// "el lunes 20 de enero a las 09:00 y 10:00 y el martes 21 de enero a las 09:00": times of one day together, so
    /// the day is not repeated for each.
    /// </summary>
    private static string WhenList(IEnumerable<LocalDateTime> starts, ReplyContext reply)
    {
        var days = starts.GroupBy(s => s.Date).ToList();
        var items = days
            .Select(g => reply.Language == Language.English
                ? $"{Day(g.Key, reply)} at {List(g.Select(s => s.TimeOfDay), reply)}"
                : $"el {Day(g.Key, reply)} a las {List(g.Select(s => s.TimeOfDay), reply)}")
            .ToList();
        // Semicolons only when a day lists several times, where commas and "y" are already taken.
        var separator = days.Any(g => g.Count() > 1) ? "; " : ", ";
        var and = (separator, reply.Language) switch { ("; ", Language.English) => "; and ", ("; ", _) => "; y ", (_, Language.English) => " and ", _ => " y " };
        return items.Count <= 1 ? string.Concat(items) : string.Join(separator, items[..^1]) + and + items[^1];
    }

    public static string Booked(LocalDateTime start, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"Done: your appointment is booked for {When(start, reply)}."
            : $"Listo, reservé tu turno para {When(start, reply)}. ¡Te esperamos!";

    /// <summary>A "sí" after the booking was made: say what is booked rather than book again.</summary>
    public static string AlreadyBooked(LocalDateTime start, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"Your appointment is already booked for {When(start, reply)}."
            : $"Tu turno ya está reservado para {When(start, reply)}. ¡Te esperamos!";

    public static string AskName(ReplyContext reply) =>
        reply.Language == Language.English ? "What name should I put the booking under?" : "¿A nombre de quién hago la reserva?";

    /// <summary>A lone weekday word ("Domingo") answered the name question: a name, or another day?</summary>
    public static string NameOrDay(string word, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"Is \"{word}\" the name for the booking, or would you like another day? If it is the name, answer \"yes\"; for another day, tell me which (for example \"on {word}\")."
            : $"¿«{word}» es el nombre para la reserva, o quieres otro día? Si es el nombre, responde «sí»; si quieres otro día, dime cuál (por ejemplo «el {word.ToLowerInvariant()}»).";

    public static string NameNotUnderstood(ReplyContext reply) =>
        reply.Language == Language.English
            ? "I need a name for the booking. What name should I put it under? For example: \"Ana García\"."
            : "Necesito un nombre para la reserva. ¿A nombre de quién la hago? Por ejemplo: «Ana García».";

    /// <summary>The customer answered the confirmation with something that is neither yes nor no.</summary>
    public static string ConfirmPending(LocalDateTime start, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"Shall I book {When(start, reply)} for you? Please answer \"yes\" or \"no\"."
            : $"¿Confirmas la reserva para {When(start, reply)}? Responde «sí» o «no».";

    public static string ProposalDeclined(ReplyContext reply) =>
        reply.Language == Language.English
            ? "OK, I haven't booked anything. Would you like another day or time?"
            : "De acuerdo, no reservé nada. ¿Quieres buscar otro día u horario?";

    /// <summary>
    /// The booking was refused at the last moment (<paramref name="code"/>: slot taken meanwhile, or no longer within
    /// the company's rules). <paramref name="alternatives"/> are the server's nearest free starts, local to the company.
    /// </summary>
    public static string NotBooked(string code, LocalDateTime requested, IReadOnlyList<LocalDateTime> alternatives, ReplyContext reply)
    {
        // Times alone when every alternative is on the requested day; otherwise each with its day.
        var sameDay = alternatives.All(a => a.Date == requested.Date);
        var list = sameDay ? List(alternatives.Select(a => a.TimeOfDay), reply) : WhenList(alternatives, reply);
        if (reply.Language == Language.English)
        {
            var head = code == CalendarErrorCodes.SlotTaken
                ? $"Sorry, {Time(requested.TimeOfDay, reply)} on {Day(requested.Date, reply)} was just taken, so it is not booked"
                : $"Sorry, {Time(requested.TimeOfDay, reply)} on {Day(requested.Date, reply)} can no longer be booked";
            return alternatives.Count switch
            {
                0 => head + ". Would you like to try another day?",
                1 => $"{head}. The nearest free time is {list}. Would that work?",
                // A refused write offers up to three: "either" is for two.
                _ => $"{head}. The nearest free times are {list}. Would {(alternatives.Count == 2 ? "either" : "any")} of those work?",
            };
        }

        var cabeza = code == CalendarErrorCodes.SlotTaken
            ? $"Lo siento, las {Time(requested.TimeOfDay, reply)} del {Day(requested.Date, reply)} se acaban de ocupar, así que no quedó reservado"
            : $"Lo siento, ya no se puede reservar a las {Time(requested.TimeOfDay, reply)} del {Day(requested.Date, reply)}";
        return alternatives.Count switch
        {
            0 => cabeza + ". ¿Quieres probar con otro día?",
            1 => $"{cabeza}. El horario libre más cercano es {list}. ¿Te sirve?",
            _ => $"{cabeza}. Los horarios libres más cercanos son {list}. ¿Te sirve alguno?",
        };
    }

    /// <summary>
    /// The calendar did not answer while booking: the outcome is unknown, so the proposal is kept and a repeated
    /// "sí" retries with the same idempotency key, which cannot book twice.
    /// </summary>
    /// <summary>
    /// The booking was asked for several times (same idempotency key) and no answer said whether it was made: say so,
    /// and that a "sí" checks it (the same key again), which never books twice.
    /// </summary>
    public static string BookingUnconfirmed(LocalDateTime start, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"I couldn't confirm whether your appointment on {When(start, reply)} was booked: the calendar didn't answer in time. Reply \"yes\" and I'll check; it is never booked twice."
            : $"No pude confirmar si quedó reservado tu turno para {When(start, reply)}: la agenda no respondió a tiempo. Responde «sí» y lo compruebo; nunca se reserva dos veces.";

    /// <summary>A move asked for several times, none of them answered with its outcome.</summary>
    public static string MoveUnconfirmed(LocalDateTime to, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"I couldn't confirm whether your appointment was moved to {When(to, reply)}: the calendar didn't answer in time. Reply \"yes\" and I'll check; it is never moved twice."
            : $"No pude confirmar si tu turno quedó cambiado para {When(to, reply)}: la agenda no respondió a tiempo. Responde «sí» y lo compruebo; nunca se cambia dos veces.";

    /// <summary>A cancellation asked for several times, none of them answered with its outcome.</summary>
    public static string CancelUnconfirmed(LocalDateTime start, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"I couldn't confirm whether your appointment on {When(start, reply)} was cancelled: the calendar didn't answer in time. Reply \"yes\" and I'll check."
            : $"No pude confirmar si quedó cancelado tu turno del {Day(start.Date, reply)} a las {Time(start.TimeOfDay, reply)}: la agenda no respondió a tiempo. Responde «sí» y lo compruebo.";

    public static string NoAppointment(ReplyContext reply) =>
        reply.Language == Language.English
            ? "I don't have any appointment of yours booked in this chat. Would you like to book one?"
            : "No tengo ningún turno tuyo reservado en esta conversación. ¿Quieres reservar uno?";

    /// <summary>A cancellation asked for with nothing booked: said in so many words, as for a move (<see cref="NoAppointmentToMove"/>).</summary>
    public static string NothingToCancel(ReplyContext reply) =>
        reply.Language == Language.English
            ? "You don't have any appointment booked with me in this chat, so there is nothing to cancel. Would you like to book one?"
            : "No tienes ningún turno reservado conmigo en esta conversación, así que no hay nada que cancelar. ¿Quieres reservar uno?";

    /// <summary>No appointment yet while a question about a new one is open (it is asked again right after this).</summary>
    public static string NoAppointmentYet(ReplyContext reply) =>
        reply.Language == Language.English
            ? "You don't have any appointment booked in this chat yet."
            : "Todavía no tienes ningún turno reservado en esta conversación.";

    /// <summary>
    /// The customer named a day (or time) to cancel or move an appointment, and has none then: said, with the ones they
    /// have. <paramref name="date"/> is the day named, null when only a time or part of the day was.
    /// </summary>
    public static string NoAppointmentThen(LocalDate? date, IReadOnlyList<LocalDateTime> starts, ReplyContext reply) =>
        (reply.Language == Language.English
            ? date is { } d ? $"You don't have an appointment on {Day(d, reply)}." : "You don't have an appointment at that time."
            : date is { } día ? $"No tienes ningún turno el {Day(día, reply)}." : "No tienes ningún turno a esa hora.")
        + " " + YourAppointments(starts, reply);

    public static string YourAppointments(IReadOnlyList<LocalDateTime> starts, ReplyContext reply) =>
        (reply.Language, starts.Count) switch
        {
            (Language.English, 1) => $"Your appointment is on {When(starts[0], reply)}.",
            (Language.English, _) => $"Your appointments are on {WhenList(starts, reply)}.",
            (_, 1) => $"Tu turno es {When(starts[0], reply)}.",
            _ => $"Tus turnos son {WhenList(starts, reply)}.",
        };

    public static string ConfirmCancel(LocalDateTime start, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"Do you want me to cancel your appointment on {When(start, reply)}? Please answer \"yes\" or \"no\"."
            : $"¿Confirmas que quieres cancelar tu turno del {Day(start.Date, reply)} a las {Time(start.TimeOfDay, reply)}? Responde «sí» o «no».";

    public static string Cancelled(LocalDateTime start, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"Done: your appointment on {When(start, reply)} is cancelled."
            : $"Listo, cancelé tu turno del {Day(start.Date, reply)} a las {Time(start.TimeOfDay, reply)}.";

    public static string CancelKept(LocalDateTime start, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"OK, your appointment on {When(start, reply)} stays booked."
            : $"De acuerdo, tu turno del {Day(start.Date, reply)} a las {Time(start.TimeOfDay, reply)} sigue reservado.";

    /// <summary>cancel_appointment said not_found: the company removed it already; nothing is left to cancel.</summary>
    public static string CancelNotFound(LocalDateTime start, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"Your appointment on {When(start, reply)} is no longer in the calendar, so there is nothing to cancel."
            : $"Tu turno del {Day(start.Date, reply)} a las {Time(start.TimeOfDay, reply)} ya no figura en la agenda, así que no hay nada que cancelar.";

    // ---------------------------------------------------------------- moving an appointment

    public static string NoAppointmentToMove(ReplyContext reply) =>
        reply.Language == Language.English
            ? "I don't have any appointment of yours booked in this chat, so there is nothing to move. Would you like to book one?"
            : "No tengo ningún turno tuyo reservado en esta conversación, así que no hay nada que cambiar. ¿Quieres reservar uno?";

    public static string AskWhichToMove(IReadOnlyList<LocalDateTime> starts, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"You have these appointments: {WhenList(starts, reply)}. Which one would you like to move? Tell me its day (and time)."
            : $"Tienes estos turnos: {WhenList(starts, reply)}. ¿Cuál quieres cambiar? Dime su día (y su hora).";

    public static string AskNewTime(LocalDateTime from, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"To what day and time would you like to move your appointment on {When(from, reply)}?"
            : $"¿Para qué día y hora quieres cambiar tu turno del {Day(from.Date, reply)} a las {Time(from.TimeOfDay, reply)}?";

    public static string ProposeMove(LocalDateTime from, LocalDateTime to, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"{When(to, reply)} is available. Shall I move your appointment from {When(from, reply)} to {When(to, reply)}?"
            : $"El {Day(to.Date, reply)} a las {Time(to.TimeOfDay, reply)} está disponible. ¿Confirmas que cambio tu turno del {Day(from.Date, reply)} a las {Time(from.TimeOfDay, reply)} al {Day(to.Date, reply)} a las {Time(to.TimeOfDay, reply)}?";

    public static string ConfirmMovePending(LocalDateTime from, LocalDateTime to, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"Shall I move your appointment from {When(from, reply)} to {When(to, reply)}? Please answer \"yes\" or \"no\"."
            : $"¿Confirmas que cambio tu turno del {Day(from.Date, reply)} a las {Time(from.TimeOfDay, reply)} al {Day(to.Date, reply)} a las {Time(to.TimeOfDay, reply)}? Responde «sí» o «no»."; 

    public static string Moved(LocalDateTime from, LocalDateTime to, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"Done: your appointment on {When(from, reply)} is now on {When(to, reply)}."
            : $"Listo, cambié tu turno: era el {Day(from.Date, reply)} a las {Time(from.TimeOfDay, reply)} y ahora es {When(to, reply)}. ¡Te esperamos!";

    public static string MoveDeclined(LocalDateTime from, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"OK, I haven't changed anything: your appointment is still on {When(from, reply)}."
            : $"De acuerdo, no cambié nada: tu turno sigue siendo {When(from, reply)}.";

    public static string AlreadyAt(LocalDateTime start, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"Your appointment is already on {When(start, reply)}. To what other day or time would you like to move it?"
            : $"Tu turno ya es {When(start, reply)}. ¿A qué otro día u horario quieres cambiarlo?";

    /// <summary>reschedule_appointment said not_found: the company removed it; it is forgotten here too.</summary>
    public static string MoveNotFound(LocalDateTime from, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"Your appointment on {When(from, reply)} is no longer in the calendar, so it can't be moved. Would you like to book a new one?"
            : $"Tu turno del {Day(from.Date, reply)} a las {Time(from.TimeOfDay, reply)} ya no figura en la agenda, así que no puedo cambiarlo. ¿Quieres reservar uno nuevo?";

    /// <summary>The move was refused at the last moment (taken meanwhile, or outside the rules); the appointment stays where it was.</summary>
    public static string NotMoved(LocalDateTime from, LocalDateTime requested, IReadOnlyList<LocalDateTime> alternatives, ReplyContext reply)
    {
        var list = AlternativesList(requested.Date, alternatives, reply);
        if (reply.Language == Language.English)
        {
            var head = $"Sorry, {When(requested, reply)} can no longer be booked, so your appointment stays on {When(from, reply)}";
            return alternatives.Count switch
            {
                0 => head + ". Would you like to try another day?",
                1 => $"{head}. The nearest free time is {list}. Would that work?",
                _ => $"{head}. The nearest free times are {list}. Would any of those work?",
            };
        }

        var cabeza = $"Lo siento, ya no se puede reservar {When(requested, reply)}, así que tu turno sigue siendo {When(from, reply)}";
        return alternatives.Count switch
        {
            0 => cabeza + ". ¿Quieres probar con otro día?",
            1 => $"{cabeza}. El horario libre más cercano es {list}. ¿Te sirve?",
            _ => $"{cabeza}. Los horarios libres más cercanos son {list}. ¿Te sirve alguno?",
        };
    }

    public static string NothingChanged(ReplyContext reply) =>
        reply.Language == Language.English ? "OK, I haven't changed anything." : "De acuerdo, no cambié nada.";

    /// <summary>"Sí" after several offered times: which one.</summary>
    public static string PickOne(IReadOnlyList<LocalDateTime> offered, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"Which one would you like: {string.Join(" or ", offered.Select(o => When(o, reply)))}?"
            : $"¿Cuál te gustaría: {string.Join(" o ", offered.Select(o => When(o, reply)))}?";

    /// <summary>"No" when nothing was asked: fine, and the door stays open.</summary>
    public static string Okay(ReplyContext reply) =>
        reply.Language == Language.English
            ? "OK. Is there anything else I can help you with?"
            : "De acuerdo. ¿Hay algo más en lo que pueda ayudarte?";

    /// <summary>The next free times from now, for "lo antes posible" / "next available".</summary>
    public static string NextFreeTimes(IReadOnlyList<LocalDateTime> starts, ReplyContext reply) =>
        (reply.Language, starts.Count) switch
        {
            (Language.English, 0) => "Sorry, I found no free time in the coming weeks. Please contact the company directly.",
            (Language.English, _) => $"The next free times are {WhenList(starts, reply)}. Which one would you like?",
            (_, 0) => "Lo siento, no encontré horarios libres en las próximas semanas. Por favor, comunícate directamente con la empresa.",
            _ => $"Los próximos horarios libres son {WhenList(starts, reply)}. ¿Cuál te gustaría?",
        };

    /// <summary>Several appointments and "cancelar mi turno": which one, by its day (and time).</summary>
    public static string AskWhichToCancel(IReadOnlyList<LocalDateTime> starts, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"You have these appointments: {WhenList(starts, reply)}. Which one would you like to cancel? For example: \"cancel the one on {Day(starts[^1].Date, reply)}\"."
            : $"Tienes estos turnos: {WhenList(starts, reply)}. ¿Cuál quieres cancelar? Por ejemplo: «cancelar el del {Day(starts[^1].Date, reply)}».";

    /// <summary>A "sí" that came after the proposed time had passed: nothing is booked or moved.</summary>
    public static string ProposalPassed(LocalDateTime start, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"{When(start, reply)} has already passed, so I haven't booked or changed anything. What other day and time would you like?"
            : $"El horario del {Day(start.Date, reply)} a las {Time(start.TimeOfDay, reply)} ya pasó, así que no reservé ni cambié nada. ¿Qué otro día y horario te gustaría?";

    /// <summary>"Un rato más tarde": later or earlier than <paramref name="from"/>, by an amount not said.</summary>
    public static string AskInsteadOf(LocalDateTime from, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"What time would you like instead of {When(from, reply)}? For example: \"at 4 PM\"."
            : $"¿A qué hora te gustaría en lugar del {Day(from.Date, reply)} a las {Time(from.TimeOfDay, reply)}? Por ejemplo: «a las 16».";

    /// <summary>A time named after free times over several days were offered, and none of them is at that time.</summary>
    public static string NotOffered(LocalTime time, IReadOnlyList<LocalDateTime> offered, ReplyContext reply) =>
        reply.Language == Language.English
            ? $"None of the times I offered is at {Time(time, reply)}; they are {WhenList(offered, reply)}. Would any of those work, or which day would you like at {Time(time, reply)}?"
            : $"Ninguno de los horarios que te ofrecí es a las {Time(time, reply)}; son {WhenList(offered, reply)}. ¿Te sirve alguno, o qué día te gustaría a las {Time(time, reply)}?";
}
