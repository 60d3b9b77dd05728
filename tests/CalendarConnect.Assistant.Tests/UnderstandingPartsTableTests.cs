using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// What the readers added for issue 12 understand, at the fixed clock of <see cref="UtteranceTableTests"/>: Wednesday
/// 15 January 2025, 10:00 in Buenos Aires. The expectation is one line, as there, with more parts:
/// <c>language intent date time [period] [~] [range:HH:mm-HH:mm[~]] [span:first..last] [not:date] [not:HH:mm] [pick:n|pick:-n|pick@HH:mm[~]] [either:date time|date time]</c>
/// (<c>pick:-1</c> is the last one; a range "to the end of the day" ends at 23:59).
/// </summary>
public class UnderstandingPartsTableTests
{
    private static readonly Instant Wednesday = Instant.FromUtc(2025, 1, 15, 13, 0);

    public static TheoryData<string, string> Corrections => new()
    {
        { "el lunes no me sirve, ¿el martes?", "es check_availability 2025-01-21 - not:2025-01-20" },
        { "mañana no puedo, pasado a las 10", "es check_availability 2025-01-17 10:00 ~ not:2025-01-16" },
        { "no a las 3, a las 4", "es check_availability - 16:00 ~ not:15:00" },
        { "el lunes no me sirve", "es decline - - not:2025-01-20" },
        { "el jueves no puedo, el viernes a las 9?", "es check_availability 2025-01-17 09:00 ~ not:2025-01-16" },
        { "no el lunes, mejor el martes por la tarde", "es check_availability 2025-01-21 - afternoon not:2025-01-20" },
        { "el viernes no me va, ¿el sábado?", "es check_availability 2025-01-18 - not:2025-01-17" },
        { "mañana estoy ocupada, pasado mañana a las 5", "es check_availability 2025-01-17 17:00 ~ not:2025-01-16" },
        { "not Thursday — Friday at 9?", "en check_availability 2025-01-17 09:00 ~ not:2025-01-16" },
        { "Monday doesn't work for me, how about Tuesday at 3?", "en check_availability 2025-01-21 15:00 ~ not:2025-01-20" },
        { "I can't do tomorrow, friday at 10am?", "en check_availability 2025-01-17 10:00 not:2025-01-16" },
        { "not at 3, at 4", "en check_availability - 16:00 ~ not:15:00" },
        { "thursday is no good", "en decline - - not:2025-01-16" },
        { "thursday's out for me, friday 9am?", "en check_availability 2025-01-17 09:00 not:2025-01-16" },
        { "monday's bad, tuesday at 2pm?", "en check_availability 2025-01-21 14:00 not:2025-01-20" },
        { "nope not monday", "en decline - - not:2025-01-20" },
        { "I can't make it tomorrow", "en decline - - not:2025-01-16" },
        { "instead of friday can I do monday", "en check_availability 2025-01-20 - not:2025-01-17" },
        { "can I come at 4 instead of 3", "en check_availability - 16:00 ~ not:15:00" },
        { "the 21st not the 20th", "en check_availability 2025-01-21 - not:2025-01-20" },
        { "next week is bad", "en decline - -" },
        { "en vez del viernes, el lunes a las 10", "es check_availability 2025-01-20 10:00 ~ not:2025-01-17" },
        { "mañana a las 3 no, a las 5", "es check_availability 2025-01-16 17:00 ~ not:15:00" },
        { "no, no es el lunes, es el martes", "es check_availability 2025-01-21 - not:2025-01-20" },
        { "el 20 no, el 21", "es check_availability 2025-01-21 - not:2025-01-20" },
        { "la semana que viene no puedo", "es decline - -" },
        { "ahorita no puedo, mañana a las 10", "es check_availability 2025-01-16 10:00 ~" },
        // A day that is also the one ruled out is no reading; "ni… ni…" rules out; voice-to-text writes no comma.
        { "el martes no, el otro martes", "es check_availability - - not:2025-01-21" },
        { "ni el lunes ni el martes, el miércoles", "es check_availability 2025-01-22 - not:2025-01-20" },
        { "el lunes no puedo el martes a las diez", "es check_availability 2025-01-21 10:00 ~ not:2025-01-20" },
        { "monday is no good tuesday at ten", "en check_availability 2025-01-21 10:00 ~ not:2025-01-20" },
        // "Menos" / "except" rule out and leave the rest open (no decline); "menos 10" after an hour is still minutes.
        { "cualquier día menos el lunes", "es other - - not:2025-01-20" },
        { "cualquier hora menos las 3", "es other - - not:15:00" },
        { "any time except monday", "en other - - not:2025-01-20" },
        { "anytime but 3", "en other - - not:15:00" },
        { "mañana a las 5 menos 10", "es check_availability 2025-01-16 16:50 ~" },
        { "me viene fatal el lunes, ¿el martes?", "es check_availability 2025-01-21 - not:2025-01-20" },
        { "no this week, next week", "en check_availability - - span:2025-01-20..2025-01-26" },
        // A part of the day ruled out is never the one asked for.
        { "can't do mornings", "en other - -" },
        { "no puedo por la mañana, a la tarde sí", "es check_availability - - afternoon" },
        { "not in the evening, tomorrow at 3", "en check_availability 2025-01-16 15:00 ~" },
        { "no me cuadra el martes, ¿el jueves mejor?", "es check_availability 2025-01-16 - not:2025-01-21" },
        // A part of the day ruled out after a day leaves the rest of that day; "the one after" is the ruled-out day's next.
        { "tomorrow but not in the morning", "en check_availability 2025-01-16 - range:12:00-23:59" },
        { "el viernes pero no a la noche", "es check_availability 2025-01-17 - range:00:00-18:00" },
        { "not monday, the one after at 11", "en check_availability 2025-01-27 11:00 ~ not:2025-01-20" },
        { "not this monday the one after, 10am", "en check_availability 2025-01-27 10:00 not:2025-01-20" },
        { "este sábado no, el siguiente a las 10", "es check_availability 2025-01-25 10:00 ~ not:2025-01-18" },
        { "mañana no, el siguiente", "es check_availability 2025-01-17 - not:2025-01-16" },
    };

    public static TheoryData<string, string> Offsets => new()
    {
        { "dentro de tres semanas", "es check_availability 2025-02-05 -" },
        { "en dos semanas", "es check_availability 2025-01-29 -" },
        { "dentro de un mes", "es check_availability 2025-02-15 -" },
        { "dentro de 10 días a las 11", "es check_availability 2025-01-25 11:00 ~" },
        { "en una semana por la tarde", "es check_availability 2025-01-22 - afternoon" },
        { "en 15 días", "es check_availability 2025-01-30 -" },
        { "in 10 days at noon", "en check_availability 2025-01-25 12:00" },
        { "in a week", "en check_availability 2025-01-22 -" },
        { "in 2 weeks on tuesday", "en check_availability 2025-01-28 -" },
        { "in three days at 4pm", "en check_availability 2025-01-18 16:00" },
        { "in a month", "en check_availability 2025-02-15 -" },
        { "a week from today", "en check_availability 2025-01-22 -" },
        { "a week from friday", "en check_availability 2025-01-24 -" },
        { "two weeks from tomorrow at 3pm", "en check_availability 2025-01-30 15:00" },
        { "a week tomorrow", "en check_availability 2025-01-23 -" },
        { "monday week", "en check_availability 2025-01-27 -" },
        { "dentro de una semana y media", "es other - -" },
        // "De acá a", "de hoy en ocho" (a week, both ends counted), diminutives, a month from another day.
        { "de acá a tres semanas, a las 10", "es check_availability 2025-02-05 10:00 ~" },
        { "de aquí a diez días", "es check_availability 2025-01-25 -" },
        { "de hoy en ocho a las 10", "es check_availability 2025-01-22 10:00 ~" },
        { "de mañana en quince", "es check_availability 2025-01-30 -" },
        { "del lunes en ocho", "es check_availability 2025-01-27 -" },
        { "para dentro de tres semanitas", "es check_availability 2025-02-05 -" },
        { "en un par de diitas", "es check_availability 2025-01-17 -" },
        { "in a couple of weeks", "en check_availability 2025-01-29 -" },
        { "a month from tomorrow", "en check_availability 2025-02-16 -" },
        { "el mes que viene el 3", "es check_availability 2025-02-03 -" },
        { "el mes que viene el 31", "es check_availability - - !" },
        { "next month on the 10th at 3pm", "en check_availability 2025-02-10 15:00" },
        { "el mes que viene", "es check_availability - - span:2025-02-01..2025-02-28" },
        { "the 3rd of next month at 10am", "en check_availability 2025-02-03 10:00" },
        { "en febrero el día 4 a las 11", "es check_availability 2025-02-04 11:00 ~" },
    };

    public static TheoryData<string, string> Ranges => new()
    {
        { "entre las 3 y las 6", "es check_availability - - range:15:00-18:00~" },
        { "de 10 a 12", "es check_availability - - range:10:00-12:00~" },
        { "después de las 4", "es check_availability - - range:16:00-23:59~" },
        { "antes de las 11", "es check_availability - - range:00:00-11:00~" },
        { "mañana entre las 3 y las 6 de la tarde", "es check_availability 2025-01-16 - afternoon range:15:00-18:00" },
        { "el viernes entre 1 y 3 de la tarde", "es check_availability 2025-01-17 - afternoon range:13:00-15:00" },
        { "el viernes de 10 a 13 hs", "es check_availability 2025-01-17 - range:10:00-13:00~" },
        { "a partir de las 17", "es check_availability - - range:17:00-23:59" },
        { "from 1 to 4pm", "en check_availability - - range:13:00-16:00" },
        { "between 2 and 5", "en check_availability - - range:14:00-17:00~" },
        { "after 3pm", "en check_availability - - range:15:00-23:59" },
        { "before noon", "en check_availability - - range:00:00-12:00" },
        { "tomorrow from 9 to 11am", "en check_availability 2025-01-16 - range:09:00-11:00" },
        { "friday between 2pm and 5pm", "en check_availability 2025-01-17 - range:14:00-17:00" },
        { "from 11 to 1pm", "en check_availability - - range:11:00-13:00" },
        // An end that carries its half or quarter hour keeps it; "la 1 menos cuarto" is 12:45.
        { "de 5 a 6 y media", "es check_availability - - range:17:00-18:30~" },
        { "from 5 to 6:30", "en check_availability - - range:17:00-18:30~" },
        { "de 4 y media a 6", "es check_availability - - range:16:30-18:00~" },
        { "entre las 3 y media y las 5", "es check_availability - - range:15:30-17:00~" },
        { "mañana de 10 a 12 y media", "es check_availability 2025-01-16 - range:10:00-12:30~" },
        { "el viernes 5 a 6 y media de la tarde", "es check_availability 2025-01-17 - afternoon range:17:00-18:30" },
        { "tomorrow from 9 to 10:30am", "en check_availability 2025-01-16 - range:09:00-10:30" },
        { "de 9 a 1 menos cuarto", "es check_availability - - range:09:00-12:45~" },
        { "a la 1 menos cuarto", "es check_availability - 12:45" },
        { "quarter to 1", "en check_availability - 12:45" },
        // Counts of people, durations: no time at all.
        { "de 3 a 5 personas", "es other - -" },
        { "somos de 4 a 6 personas mañana", "es check_availability 2025-01-16 -" },
        { "de 2 a 3 horas dura?", "es other - -" },
        { "it's for 2 to 3 people", "en other - -" },
        // A street named after a date, and the time it is now, are neither a date nor a time asked for.
        { "¿están sobre la 9 de julio?", "es other - -" },
        { "son las 3 de la tarde y todavía no me contestaron", "es other - -" },
        // A bound said the other way round, and busy until a time: free from then on.
        { "no antes de las 10", "es check_availability - - range:10:00-23:59~" },
        { "not after 5", "en check_availability - - range:00:00-17:00~" },
        { "trabajo hasta las 5, puede ser después?", "es check_availability - - range:17:00-23:59~" },
        { "I'm at work till 5, can I come after?", "en check_availability - - range:17:00-23:59~" },
        { "estoy libre hasta las 12", "es check_availability - - range:00:00-12:00" },
        // Amounts, lateness and the day of a later answer are no date or time.
        { "tarda 1/2 hora?", "es other - -" },
        { "el 10% de descuento sigue?", "es other - -" },
        { "llego 10 minutos tarde", "es other - -" },
        { "te confirmo mañana", "es other - -" },
        { "I'll let you know tomorrow", "en other - -" },
        { "te confirmo mañana a las 3", "es check_availability 2025-01-16 15:00 ~" },
        // Hours joined by a hyphen, or by "a" / "to" before am/pm or a part of the day, are a range, not a date nor the end hour.
        { "9-11am saturday", "en check_availability 2025-01-18 - range:09:00-11:00" },
        { "sat 10-12", "en check_availability 2025-01-18 - range:10:00-12:00~" },
        { "sábado 10-12", "es check_availability 2025-01-18 - range:10:00-12:00~" },
        { "wednesday 2-4pm", "en check_availability 2025-01-22 - range:14:00-16:00" },
        { "4 a 6 de la tarde", "es check_availability - - afternoon range:16:00-18:00" },
        { "voy con 2 a 3 amigos", "es other - -" },
        { "lunes 3-2", "es check_availability 2025-02-03 -" },
        { "15-01 a las 10", "es check_availability 2025-01-15 10:00 ~" },
        { "from 3 onwards", "en check_availability - - range:15:00-23:59~" },
        { "I am free from 3 onwards", "en check_availability - - range:15:00-23:59~" },
        { "estoy libre hasta las 5 porque después trabajo", "es check_availability - - range:00:00-17:00~" },
        { "más o menos las 5", "es check_availability - 17:00 ~" },
        // "Del 20" after "a partir" / "después" is a day, not 20:00; the days after one name no day (asked back).
        { "a partir del 20", "es other - -" },
        { "after the 20th", "en other - -" },
        { "después del lunes", "es other - -" },
        { "a partir del mediodía", "es check_availability - - range:12:00-23:59" },
        { "cierran a las 8?", "es other - -" },
        { "do you close at 7?", "en other - -" },
    };

    public static TheoryData<string, string> Spans => new()
    {
        { "el próximo fin de semana", "es check_availability - - span:2025-01-18..2025-01-19" },
        { "este finde", "es check_availability - - span:2025-01-18..2025-01-19" },
        { "la semana que viene", "es check_availability - - span:2025-01-20..2025-01-26" },
        { "esta semana", "es check_availability - - span:2025-01-15..2025-01-19" },
        { "a principios del mes que viene", "es check_availability - - span:2025-02-01..2025-02-10" },
        { "a fines de mes", "es check_availability - - span:2025-01-25..2025-01-31" },
        { "mediados de febrero", "es check_availability - - span:2025-02-11..2025-02-20" },
        { "en febrero", "es check_availability - - span:2025-02-01..2025-02-28" },
        { "la semana que viene por la mañana", "es check_availability - - morning span:2025-01-20..2025-01-26" },
        { "la semana que viene entre las 3 y las 6", "es check_availability - - range:15:00-18:00~ span:2025-01-20..2025-01-26" },
        { "el martes de la semana que viene", "es check_availability 2025-01-21 -" },
        { "el martes de la semana que viene a las 10", "es check_availability 2025-01-21 10:00 ~" },
        { "quiero un turno para la semana que viene", "es book - - span:2025-01-20..2025-01-26" },
        { "¿tienen algo para el finde?", "es check_availability - - span:2025-01-18..2025-01-19" },
        { "this weekend", "en check_availability - - span:2025-01-18..2025-01-19" },
        { "next week", "en check_availability - - span:2025-01-20..2025-01-26" },
        { "sometime next week", "en check_availability - - span:2025-01-20..2025-01-26" },
        { "end of the month", "en check_availability - - span:2025-01-25..2025-01-31" },
        { "next week in the mornings", "en check_availability - - morning span:2025-01-20..2025-01-26" },
        { "next week on thursday at 2pm", "en check_availability 2025-01-23 14:00" },
        { "early next month", "en check_availability - - span:2025-02-01..2025-02-10" },
        { "next weekend after 4pm", "en check_availability - - range:16:00-23:59 span:2025-01-18..2025-01-19" },
        { "quiero turno entre el lunes y el miércoles", "es book - - span:2025-01-20..2025-01-22" },
        { "de viernes a lunes", "es check_availability - - span:2025-01-17..2025-01-20" },
        { "what do you have between monday and wednesday", "en check_availability - - span:2025-01-20..2025-01-22" },
        { "a principios de la semana que viene", "es check_availability - - span:2025-01-20..2025-01-22" },
        { "la otra semana", "es check_availability - - span:2025-01-20..2025-01-26" },
        { "any slots early next week?", "en check_availability - - span:2025-01-20..2025-01-22" },
        { "mid next week", "en check_availability - - span:2025-01-21..2025-01-23" },
        { "later this week", "en check_availability - - span:2025-01-16..2025-01-19" },
        { "the following week", "en check_availability - - span:2025-01-20..2025-01-26" },
        // Two days as alternatives: both when next to each other, none (asked back) when apart, never one of them.
        { "hoy o mañana", "es check_availability - - span:2025-01-15..2025-01-16" },
        { "mañana o pasado", "es check_availability - - span:2025-01-16..2025-01-17" },
        { "lunes o martes", "es check_availability - - span:2025-01-20..2025-01-21" },
        { "el lunes o el jueves", "es check_availability - -" },
        { "monday or tuesday afternoon", "en check_availability - - afternoon span:2025-01-20..2025-01-21" },
        { "tomorrow or the day after", "en check_availability - - span:2025-01-16..2025-01-17" },
        // Each part word works before a week and a month alike (one list per part).
        { "the start of next week", "en check_availability - - span:2025-01-20..2025-01-22" },
        { "a fin de mes", "es check_availability - - span:2025-01-25..2025-01-31" },
        { "el 20 o el 21", "es check_availability - - span:2025-01-20..2025-01-21" },
        { "the 20th or 21st", "en check_availability - - span:2025-01-20..2025-01-21" },
        // From one day to another, and the days before one: every day of them, not the first named.
        { "entre el 20 y el 25", "es check_availability - - span:2025-01-20..2025-01-25" },
        { "del 20 al 25 de febrero", "es check_availability - - span:2025-02-20..2025-02-25" },
        { "between the 20th and the 24th", "en check_availability - - span:2025-01-20..2025-01-24" },
        { "from monday to friday next week", "en check_availability - - span:2025-01-20..2025-01-24" },
        { "antes del viernes", "es check_availability - - span:2025-01-15..2025-01-16" },
        { "before the 20th", "en check_availability - - span:2025-01-15..2025-01-19" },
        { "el martes y el jueves", "es check_availability - -" },
        { "tuesday and thursday", "en check_availability - -" },
        { "hoy y mañana", "es check_availability - - span:2025-01-15..2025-01-16" },
    };

    public static TheoryData<string, string> Selections => new()
    {
        { "la última", "es other - - pick:-1" },
        { "la de las 11", "es check_availability - 11:00 ~ pick@11:00~" },
        { "el primero", "es other - - pick:1" },
        { "la segunda opción", "es other - - pick:2" },
        { "esa primera", "es other - - pick:1" },
        { "me quedo con la tercera", "es other - - pick:3" },
        { "the second one", "en other - - pick:2" },
        { "the 3 o'clock one", "en other - - pick@15:00~" },
        { "option 2", "en other - - pick:2" },
        { "the first", "en other - - pick:1" },
        { "the last one please", "en other - - pick:-1" },
        // A yes and a pick in one message is the pick: a yes must be unambiguous.
        { "dale, la primera", "es other - - pick:1" },
        { "ok the first one", "en other - - pick:1" },
        { "la segunda opción está bien", "es other - - pick:2" },
    };

    public static TheoryData<string, string> MoveFollowUps => new()
    {
        { "¿lo podés cambiar a las 11?", "es reschedule - 11:00 ~" },
        { "¿y si lo pasamos al jueves?", "es reschedule 2025-01-16 -" },
        { "¿me lo puedes pasar a las 6?", "es reschedule - 18:00 ~" },
        { "¿lo podemos mover al lunes a las 10?", "es reschedule 2025-01-20 10:00 ~" },
        { "pasalo para el viernes", "es reschedule 2025-01-17 -" },
        { "can we push it to 4?", "en reschedule - 16:00 ~" },
        { "move it to friday", "en reschedule 2025-01-17 -" },
        { "could we make it 5 instead", "en reschedule - 17:00 ~" },
        { "can you move it to tomorrow at 2pm", "en reschedule 2025-01-16 14:00" },
        { "cambiar mi turno de las 3 a las 5", "es reschedule - 17:00 ~" },
        { "move my appointment from 3pm to 5pm", "en reschedule - 17:00" },
        // A bare hour "instead" / "mejor" is the new time (a move only when a move word says so); "me lo pasás / adelantás" moves.
        { "can we do 6 instead?", "en check_availability - 18:00 ~" },
        { "me lo pasás al lunes?", "es reschedule 2025-01-20 -" },
        { "¿me lo adelantás a las 9?", "es reschedule - 09:00 ~" },
        { "mi cita es el martes, ¿la puedo pasar al miércoles?", "es reschedule 2025-01-22 -" },
        { "pásamela al jueves por favor", "es reschedule 2025-01-16 -" },
        // The day of the customer's own appointment is not a day to book.
        { "tengo turno el jueves pero no voy a poder ir", "es book - -" },
        { "tengo turno el jueves, ¿lo puedo pasar al viernes?", "es reschedule 2025-01-17 -" },
        { "I have an appointment on friday, can we move it to monday at 10", "en reschedule 2025-01-20 10:00 ~" },
        { "tengo una cita el jueves en otro lado, puede ser el viernes?", "es book 2025-01-17 -" },
    };

    public static TheoryData<string, string> ShortForms => new()
    {
        { "mañana 5", "es check_availability 2025-01-16 17:00 ~" },
        { "el lunes 20", "es check_availability 2025-01-20 -" },
        { "el primero de febrero", "es check_availability 2025-02-01 -" },
        { "el lunes a primera hora", "es check_availability 2025-01-20 - morning" },
        { "any time after lunch", "en check_availability - - afternoon range:14:00-23:59" },
        { "mañana al medio dia", "es check_availability 2025-01-16 12:00" },
        { "pasado ma ñana a las 11", "es check_availability 2025-01-17 11:00 ~" },
        { "mañana x la tarde", "es check_availability 2025-01-16 - afternoon" },
        { "q tienen el vie?", "es check_availability 2025-01-17 -" },
        { "lun a las 10", "es check_availability 2025-01-20 10:00 ~" },
        { "mie 15hs", "es check_availability 2025-01-22 15:00" },
        { "mñana a las 4", "es check_availability 2025-01-16 16:00 ~" },
        { "el viernez a las 11", "es check_availability 2025-01-17 11:00 ~" },
        { "thursday 4", "en check_availability 2025-01-16 16:00 ~" },
        { "tmr 3pm", "en check_availability 2025-01-16 15:00" },
        { "to morrow at 10am", "en check_availability 2025-01-16 10:00" },
        { "tmrw at 4", "en check_availability 2025-01-16 16:00 ~" },
        { "2moro at 3pm", "en check_availability 2025-01-16 15:00" },
        { "mon at 9am", "en check_availability 2025-01-20 09:00" },
        { "wed 2pm", "en check_availability 2025-01-22 14:00" },
        { "fri 10", "en check_availability 2025-01-17 10:00 ~" },
        { "tomorow at 3pm", "en check_availability 2025-01-16 15:00" },
        { "thrusday at 10am", "en check_availability 2025-01-16 10:00" },
        { "wendsday at noon", "en check_availability 2025-01-22 12:00" },
        { "satuday morning", "en check_availability 2025-01-18 - morning" },
        { "pls book tmrw 10am", "en book 2025-01-16 10:00" },
        { "vier a las 10", "es check_availability 2025-01-17 10:00 ~" },
        { "el lune a las 10", "es check_availability 2025-01-20 10:00 ~" },
        { "tenes turno pa mñn?", "es book 2025-01-16 -" },
        { "tom orrow at 2", "en check_availability 2025-01-16 14:00 ~" },
        { "lo más pronto que tengas", "es check_availability - - soonest" },
        // A word split by a stray space is rejoined; a month followed by its day is a date, not the month.
        { "maña na a las 12", "es check_availability 2025-01-16 12:00" },
        { "el vi ernes a las 12", "es check_availability 2025-01-17 12:00" },
        { "satur day at 11", "en check_availability 2025-01-18 11:00 ~" },
        { "el marte a las 16", "es check_availability 2025-01-21 16:00" },
        { "book me for february 4 at 11 am please", "en book 2025-02-04 11:00" },
        { "in february 10th", "en check_availability 2025-02-10 -" },
        { "el viernes 9.00", "es check_availability 2025-01-17 09:00 ~" },
        { "tomorrow 10 o'clock", "en check_availability 2025-01-16 10:00 ~" },
        // A weekday with a number that is no coming day of that weekday: the number is the hour.
        { "el viernes 5", "es check_availability 2025-01-17 17:00 ~" },
        { "el viernes 7", "es check_availability 2025-02-07 -" },
        { "el jueves 10 de la mañana", "es check_availability 2025-01-16 10:00 morning" },
        // A weekday that is part of a name (the answer to "¿a nombre de quién?") is no day.
        { "Domingo Pérez", "es other - -" },
        { "Soledad Martes", "es other - -" },
        { "it's for Tuesday Jones", "en other - -" },
        { "Tuesday Morning", "en check_availability 2025-01-21 - morning" },
        { "Hola Domingo a las 5", "es check_availability 2025-01-19 17:00 ~" },
        { "Next Tuesday At 3", "en check_availability 2025-01-21 15:00 ~" },
        // Noon is the part of the day when an hour is said with it; "media mañana" is the morning, not tomorrow.
        { "a las 12:30 del mediodía", "es check_availability - 12:30" },
        { "a la 1 del mediodía", "es check_availability - 13:00 ~" },
        { "mañana al mediodía", "es check_availability 2025-01-16 12:00" },
        { "media mañana del viernes", "es check_availability 2025-01-17 - morning" },
        { "sat or sun", "en check_availability - - span:2025-01-18..2025-01-19" },
        // "Pasado" alone is the day after tomorrow; after a weekday, that weekday has passed.
        { "y pasado?", "es check_availability 2025-01-17 -" },
        { "¿y pasado a la tarde?", "es check_availability 2025-01-17 - afternoon" },
        { "el año pasado", "es other - -" },
        { "el martes pasado", "es check_availability 2025-01-14 -" },
        { "last tuesday", "en check_availability 2025-01-14 -" },
    };

    public static TheoryData<string, string> YesAndNo => new()
    {
        { "dale dale", "es confirm - -" },
        { "sí sí", "es confirm - -" },
        { "claro", "es confirm - -" },
        { "obvio", "es confirm - -" },
        { "por supuesto", "es confirm - -" },
        { "sale", "es confirm - -" },
        { "órale", "es confirm - -" },
        { "va", "es confirm - -" },
        { "sip", "es confirm - -" },
        { "siii", "es confirm - -" },
        { "claro que sí", "es confirm - -" },
        { "👍", "es confirm - -" },
        { "nel", "es decline - -" },
        { "nop", "es decline - -" },
        { "naa", "es decline - -" },
        { "no gracias", "es decline - -" },
        { "va a venir mi hermana", "es other - -" },
        { "¿claro que sí?", "es other - -" },
        { "of course", "en confirm - -" },
        { "yess", "en confirm - -" },
        { "yup", "en confirm - -" },
        { "sounds good", "en confirm - -" },
        { "go ahead", "en confirm - -" },
        { "yesss please", "en confirm - -" },
        { "sounds good?", "en other - -" },
        { "of course not", "en other - -" },
        { "nope", "en decline - -" },
        { "dalee", "es confirm - -" },
        { "sisi", "es confirm - -" },
        { "not really", "en decline - -" },
        { "that doesn't work for me", "en decline - -" },
        { "cuándo tenía el turno?", "es my_appointment - -" },
        { "what time am I booked for?", "en my_appointment - -" },
        { "¿tengo alguna cita?", "es my_appointment - -" },
        { "tengo turno?", "es my_appointment - -" },
        { "do I have an appointment?", "en my_appointment - -" },
        { "am I booked?", "en my_appointment - -" },
        { "when is it?", "en my_appointment - -" },
        { "¿a qué hora quedó?", "es my_appointment - -" },
        { "what time is it?", "en other - -" },
        { "holis", "es greeting - -" },
        { "wenas", "es greeting - -" },
        { "hiya", "en greeting - -" },
        // Asking when one may come, with no day: the day is asked back (no intent of "not understood").
        { "¿a qué hora puedo ir?", "es check_availability - -" },
        { "¿cuándo puedo pasar?", "es check_availability - -" },
        { "what time can I come in?", "en check_availability - -" },
        { "venga, vale", "es confirm - -" },
        { "venga mañana a las 5", "es check_availability 2025-01-16 17:00 ~" },
        // "Cancelalo" cannot be negated as it is: the "no" before it is about something else.
        { "no voy a poder ir, cancelalo", "es cancel - -" },
        { "no, no lo canceles", "es decline - -" },
        // A number beside a yes may be another time than the one proposed: not an explicit yes (after a list, the listed time at that hour).
        { "ok 5 then", "en check_availability - 17:00 ~ pick@17:00~" },
        { "dale, 6", "es other - - pick@18:00~" },
        { "yes five", "en other - -" },
        // "Yes, but…" and "yes, I'll see" are no explicit yes.
        { "ok but later", "en other - -" },
        { "sí, aunque preferiría más tarde", "es other - -" },
        { "ok voy a ver", "es other - -" },
        { "si, despues te confirmo", "es other - -" },
        { "ok gracias, te aviso", "es thanks - -" },
        { "sure, let me ask my wife", "en other - -" },
        { "dale, ahí te confirmo", "es other - -" },
        { "ok maybe", "en other - -" },
        { "dale, un segundo", "es other - -" },
        { "ok hold on", "en other - -" },
        { "ok sounds good", "en confirm - -" },
        { "si porfa confirmalo", "es confirm - -" },
        // A message made only of yes words and yes phrases of any variant is a yes; the same words beside anything else are not.
        { "yea", "en confirm - -" },
        { "yea sure", "en confirm - -" },
        { "alright then", "en confirm - -" },
        { "simón", "es confirm - -" },
        { "ándale pues", "es confirm - -" },
        { "de acuerdo", "es confirm - -" },
        { "está bien, gracias", "es confirm - -" },
        { "bárbaro", "es confirm - -" },
        { "de acuerdo, pero más tarde", "es other - -" },
        { "¿está bien el lunes?", "es check_availability 2025-01-20 -" },
        { "simón dice que no", "es other - -" },
        { "cool", "en confirm - -" },
        { "cool thanks", "en thanks - -" },
        { "bárbaro, gracias", "es thanks - -" },
        // A yes followed only by words that say go on is still a yes; an interjection before "of course" too.
        { "yes please go ahead and book it", "en confirm - -" },
        { "sí dale reservamelo nomas", "es confirm - -" },
        { "oh of course", "en confirm - -" },
        { "yes please go ahead and book it for friday", "en book 2025-01-17 -" },
        { "yes but book it for someone else", "en book - -" },
        { "oh no", "en other - -" },
        // Goodbye is thanks, never a yes.
        { "ok gracias, chau", "es thanks - -" },
        { "okay thank you, bye", "en thanks - -" },
        { "dale, nos vemos", "es thanks - -" },
        { "ok see you", "en thanks - -" },
        { "sí, chau", "es thanks - -" },
    };

    public static TheoryData<string, string> VoiceToText => new()
    {
        { "mañana a las tres y media de la tarde", "es check_availability 2025-01-16 15:30 afternoon" },
        { "el martes que viene a las diez de la mañana", "es check_availability 2025-01-21 10:00 morning" },
        { "quiero un turno para el jueves a las cuatro de la tarde", "es book 2025-01-16 16:00 afternoon" },
        { "hola buenas queria saber si tienen turno el viernes a las once", "es book 2025-01-17 11:00 ~" },
        { "entre las tres y las seis de la tarde", "es check_availability - - afternoon range:15:00-18:00" },
        { "at three thirty pm tomorrow", "en check_availability 2025-01-16 15:30" },
        { "tomorrow at ten thirty in the morning", "en check_availability 2025-01-16 10:30 morning" },
        { "can i book for next monday at nine am", "en book 2025-01-20 09:00" },
        { "between two and five tomorrow", "en check_availability 2025-01-16 - range:14:00-17:00~" },
        { "could i come in on thursday at half three", "en check_availability 2025-01-16 15:30 ~" },
        { "can you fit me in tomorrow at 4 30", "en check_availability 2025-01-16 16:30 ~" },
        { "tomorrow at 4 30 pm", "en check_availability 2025-01-16 16:30" },
        { "ten am tomorrow", "en check_availability 2025-01-16 10:00" },
        { "friday 8 in the evening", "en check_availability 2025-01-17 20:00 evening" },
        { "el viernes ocho de la noche", "es check_availability 2025-01-17 20:00 evening" },
        { "quiero cita para mañana temprano", "es book 2025-01-16 - morning" },
        { "hi yes I wanted to book for tomorrow around five thirty", "en book 2025-01-16 17:30 ~" },
        { "hello can i come in on monday morning at like nine", "en check_availability 2025-01-20 09:00 morning" },
        { "tomorrow at about 4pm", "en check_availability 2025-01-16 16:00" },
        { "el viernes 5 de la tarde", "es check_availability 2025-01-17 17:00 afternoon" },
        { "buenas quería saber si me podéis dar cita de aquí a dos semanas por la mañana", "es book 2025-01-29 - morning" },
        // A day of the month in words: with a month always, alone from the 11th on ("the second" is a pick, "el dos" nothing).
        { "necesito turno para el tres de febrero a las cuatro y cuarto", "es book 2025-02-03 16:15 ~" },
        { "on the twenty third at eleven thirty", "en check_availability 2025-01-23 11:30 ~" },
        { "el veintiuno a las diez", "es check_availability 2025-01-21 10:00 ~" },
        { "el treinta y uno a las 9", "es check_availability 2025-01-31 09:00 ~" },
        { "the thirty-first of january at 2pm", "en check_availability 2025-01-31 14:00" },
        { "the second of february", "en check_availability 2025-02-02 -" },
        { "the second one", "en other - - pick:2" },
        { "el dos", "es other - -" },
    };

    public static TheoryData<string, string> ExplicitHours => new()
    {
        // An hour said next to a part of the day is the time; the part of the day only gives its am/pm.
        { "tuesday afternoon 4 would be great", "en check_availability 2025-01-21 16:00 afternoon" },
        { "friday morning 10?", "en check_availability 2025-01-17 10:00 morning" },
        { "el jueves por la tarde 5", "es check_availability 2025-01-16 17:00 afternoon" },
        // A filler between the time word and the hour is skipped.
        { "could I come thursday at like 3", "en check_availability 2025-01-16 15:00 ~" },
        { "tomorrow at about 11 am", "en check_availability 2025-01-16 11:00" },
        { "el lunes como a eso de las 10", "es check_availability 2025-01-20 10:00 ~" },
        // Two bare hours after a day are a range, not the first hour.
        { "monday 1 to 4 anything?", "en check_availability 2025-01-20 - range:13:00-16:00~" },
        { "tomorrow 10 till 12 what's open", "en check_availability 2025-01-16 - range:10:00-12:00~" },
        { "mañana 3 a 5 tenés algo", "es check_availability 2025-01-16 - range:15:00-17:00~" },
        { "al viernes 24 a las 10", "es check_availability 2025-01-24 10:00 ~" },
        // A bare hour right before "tomorrow" is the time on that day.
        { "could I get 11 tomorrow", "en check_availability 2025-01-16 11:00 ~" },
        { "me das 5 mañana?", "es check_availability 2025-01-16 17:00 ~" },
    };

    public static TheoryData<string, string> NotAboutTimes => new()
    {
        // An availability question about something that is no time is off-topic; one about times, a place or nothing named stays one.
        { "do you have parking", "en other - -" },
        { "¿hay ascensor?", "es other - -" },
        { "tenés algo?", "es check_availability - -" },
        { "is there any room this week", "en check_availability - - span:2025-01-15..2025-01-19" },
        { "do you have a slot", "en check_availability - -" },
        // Coming in is asking for an appointment; "what can I do here" asks for help.
        { "could we come by", "en check_availability - -" },
        { "¿puedo pasar?", "es check_availability - -" },
        { "¿qué puedo hacer con esto?", "es help - -" },
        { "¿qué puedo hacer en este chat?", "es help - -" },
        // A month's abbreviation names a period after a part of it; the English words around it tell the language.
        { "early feb if possible", "en check_availability - - span:2025-02-01..2025-02-10" },
        { "a fines de feb", "es check_availability - - span:2025-02-22..2025-02-28" },
        { "de aquí a una semana", "es check_availability 2025-01-22 -" },
    };

    public static TheoryData<string, string> Alternatives => new()
    {
        { "el 20 a las 3 o el 21 a las 4", "es check_availability - - either:2025-01-20 15:00|2025-01-21 16:00" },
        { "thursday at 10 or friday at 2", "en check_availability - - either:2025-01-16 10:00|2025-01-17 14:00" },
        { "mañana a las 3 o a las 4", "es check_availability - - either:2025-01-16 15:00|2025-01-16 16:00" },
        { "tomorrow at 10 or 11", "en check_availability - - either:2025-01-16 10:00|2025-01-16 11:00" },
        { "el jueves a las 10 o el viernes", "es check_availability - - either:2025-01-16 10:00|2025-01-17 10:00" },
        { "mañana a las 10, o el viernes a las 12", "es check_availability - - either:2025-01-16 10:00|2025-01-17 12:00" },
        { "cambiar mi turno al jueves a las 10 o al viernes a las 2", "es reschedule - - either:2025-01-16 10:00|2025-01-17 14:00" },
        // Not two slots: two days alone (a span or asked back), "o sea", "or is that taken", "o más tarde", "o no".
        { "hoy o mañana a las 5", "es check_availability - 17:00 ~ span:2025-01-15..2025-01-16" },
        { "mañana a las 3 o sea a las 15", "es check_availability 2025-01-16 15:00" },
        { "friday at 3 or is that taken?", "en check_availability 2025-01-17 15:00 ~" },
        { "mañana a las 3 o más tarde", "es check_availability 2025-01-16 15:00 ~" },
        { "¿hay lugar mañana a las 3 o no?", "es check_availability 2025-01-16 15:00 ~" },
        { "mañana a las 3 o a las 3", "es check_availability 2025-01-16 15:00 ~" },
    };

    [Theory] [MemberData(nameof(Alternatives))] public void Two_slots_as_alternatives(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(Corrections))] public void Negation_and_correction(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(Offsets))] public void Offsets_from_today(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(Ranges))] public void Ranges_of_time(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(Spans))] public void Periods_longer_than_a_day(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(Selections))] public void Picks_from_the_last_list(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(MoveFollowUps))] public void Follow_ups_that_move_an_appointment(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(ShortForms))] public void Short_and_misspelt_forms(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(YesAndNo))] public void Informal_yes_and_no(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(VoiceToText))] public void Voice_to_text_without_punctuation(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(NotAboutTimes))] public void What_is_asked_when_no_time_is(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(ExplicitHours))] public void Explicit_hours_next_to_a_day_or_part_of_the_day(string text, string expected) => Check(text, expected);

    /// <summary>The row's own language is the conversation's, as it would be for a message that shows none ("va", "👍").</summary>
    private static void Check(string text, string expected)
    {
        var language = expected.StartsWith("en", StringComparison.Ordinal) ? Language.English : Language.Spanish;
        var now = Wednesday.InZone(DateTimeZoneProviders.Tzdb["America/Argentina/Buenos_Aires"]);
        Assert.Equal(expected, Describe(MessageUnderstanding.Understand(text, now, language)));
    }

    internal static string Describe(UnderstoodMessage understood)
    {
        var parts = new List<string>
        {
            understood.Language.Code(),
            understood.Intent.Code(),
            understood.Date?.ToString("yyyy-MM-dd", null) ?? "-",
            understood.Time?.ToString("HH:mm", null) ?? "-",
        };
        if (understood.Period is { } period) parts.Add(period.Code());
        if (understood.MeridiemAssumed) parts.Add("~");
        if (understood.Range is { } range)
            parts.Add($"range:{range.From.ToString("HH:mm", null)}-{range.To.ToString("HH:mm", null)}{(range.MeridiemAssumed ? "~" : "")}");
        if (understood.Span is { } span) parts.Add($"span:{span.First.ToString("yyyy-MM-dd", null)}..{span.Last.ToString("yyyy-MM-dd", null)}");
        if (understood.RuledOutDate is { } notDate) parts.Add("not:" + notDate.ToString("yyyy-MM-dd", null));
        if (understood.RuledOutTime is { } notTime) parts.Add("not:" + notTime.ToString("HH:mm", null));
        parts.Add(understood.Selection switch
        {
            SelectionByPosition { FromEnd: true } last => $"pick:-{last.Position}",
            SelectionByPosition first => $"pick:{first.Position}",
            SelectionByTime byTime => $"pick@{byTime.Time.ToString("HH:mm", null)}{(byTime.MeridiemAssumed ? "~" : "")}",
            SelectionByOrder { Later: true } => "pick:later",
            SelectionByOrder => "pick:earlier",
            SelectionByDay => "pick:day",
            _ => "",
        });
        if (understood.Alternatives is { } either)
            parts.Add("either:" + string.Join("|", either.Select(a => $"{a.Date?.ToString("yyyy-MM-dd", null) ?? "-"} {a.Time?.ToString("HH:mm", null) ?? "-"}")));
        if (understood.DateUnrecognised) parts.Add("!");
        if (understood.Soonest) parts.Add("soonest");
        return string.Join(" ", parts.Where(p => p.Length > 0));
    }
}
