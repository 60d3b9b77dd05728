using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// How people really ask, in both languages, with the interpretation expected at a fixed clock: Wednesday
/// 15 January 2025, 10:00 in Buenos Aires (13:00 UTC). The expectation is one line, so a table row reads like what the
/// assistant understood: <c>language intent date time [period] [~] [?choice|choice] [!]</c>, where <c>-</c> is "not said",
/// <c>~</c> marks a time said without am/pm (the assistant checks the other reading, 12 hours apart), <c>?a|b</c> a date
/// with two readings (the customer is asked) and <c>!</c> a date that does not exist.
/// </summary>
public class UtteranceTableTests
{
    private static readonly Instant Wednesday = Instant.FromUtc(2025, 1, 15, 13, 0);

    private static ZonedDateTime At(Instant instant, string zone) => instant.InZone(DateTimeZoneProviders.Tzdb[zone]);

    public static TheoryData<string, string> Spanish => new()
    {
        // Relative days.
        { "Quiero reservar para mañana a las 3 PM", "es book 2025-01-16 15:00" },
        { "hoy a las 16", "es check_availability 2025-01-15 16:00" },
        { "¿hay turno hoy a las 17:30?", "es book 2025-01-15 17:30" },
        { "pasado mañana a las 10", "es check_availability 2025-01-17 10:00 ~" },
        { "PASADO MAÑANA 11 HS", "es check_availability 2025-01-17 11:00 ~" },
        { "mañna a las 15", "es check_availability 2025-01-16 15:00" },
        { "manana a las 15:00", "es check_availability 2025-01-16 15:00" },
        // Weekdays.
        { "el viernes a las 10", "es check_availability 2025-01-17 10:00 ~" },
        { "el próximo lunes a las 9", "es check_availability 2025-01-20 09:00 ~" },
        { "este jueves a las 11", "es check_availability 2025-01-16 11:00 ~" },
        { "este miércoles a las 15", "es check_availability 2025-01-15 15:00" },
        { "el miércoles a las 15", "es check_availability 2025-01-22 15:00" },
        { "el vienes a las 15hs", "es check_availability 2025-01-17 15:00" },
        { "sábado por la mañana", "es check_availability 2025-01-18 - morning" },
        // Day and month.
        { "15 de enero a las 16", "es check_availability 2025-01-15 16:00" },
        { "quiero turno el 20 de febrero a las 10", "es book 2025-02-20 10:00 ~" },
        { "el 16 a las 15", "es check_availability 2025-01-16 15:00" },
        { "el viernes 17 a las 11", "es check_availability 2025-01-17 11:00 ~" },
        { "el jueves 24 a las 11", "es check_availability - 11:00 ~ ?2025-01-16|2025-01-24" },
        { "el lunes 20 de enero a las 10", "es check_availability 2025-01-20 10:00 ~" },
        { "el día 20", "es check_availability 2025-01-20 -" },
        { "15/01 a las 15", "es check_availability 2025-01-15 15:00" },
        { "reservar el 3/2 a las 11", "es book 2025-02-03 11:00 ~" },
        { "el 31/02", "es check_availability - - !" },
        { "ayer a las 10", "es check_availability 2025-01-14 10:00 ~" },
        { "el 10 de enero", "es check_availability 2025-01-10 -" },
        { "el 10 de diciembre", "es check_availability 2025-12-10 -" },
        // Times.
        { "mañana a las 3 y media", "es check_availability 2025-01-16 15:30 ~" },
        { "mañana a las 3 y cuarto", "es check_availability 2025-01-16 15:15 ~" },
        { "mañana a las 4 menos cuarto", "es check_availability 2025-01-16 15:45 ~" },
        { "mañana al mediodía", "es check_availability 2025-01-16 12:00" },
        { "mañana a las 15 hs", "es check_availability 2025-01-16 15:00" },
        { "mañana a las 09:00", "es check_availability 2025-01-16 09:00" },
        { "mañana a las 15.30", "es check_availability 2025-01-16 15:30" },
        { "dentro de 3 días a las 16", "es check_availability 2025-01-18 16:00" },
        { "¿cuándo tienen el próximo turno libre?", "es book - - soonest" },
        { "lo antes posible por favor", "es check_availability - - soonest" },
        { "mañana a las 7 de la tarde", "es check_availability 2025-01-16 19:00 afternoon" },
        { "mañana a las 9 de la noche", "es check_availability 2025-01-16 21:00 evening" },
        { "mañana a las 10 de la mañana", "es check_availability 2025-01-16 10:00 morning" },
        { "mañana a las 3", "es check_availability 2025-01-16 15:00 ~" },
        { "mañana a las 3 y 20", "es check_availability 2025-01-16 15:20 ~" },
        { "mañana a las 5 menos 10", "es check_availability 2025-01-16 16:50 ~" },
        { "mañana 4 y 40", "es check_availability 2025-01-16 16:40 ~" },
        { "mañana a las 12 de la noche", "es check_availability 2025-01-16 00:00 evening" },
        // Parts of the day: offer the free times in it, not a guess.
        { "mañana por la tarde", "es check_availability 2025-01-16 - afternoon" },
        { "¿tienen algo el lunes a la tarde?", "es check_availability 2025-01-20 - afternoon" },
        { "hoy a la noche", "es check_availability 2025-01-15 - evening" },
        { "mañana a la mañana", "es check_availability 2025-01-16 - morning" },
        // Missing parts.
        { "quiero reservar para mañana", "es book 2025-01-16 -" },
        { "quiero un turno a las 5", "es book - 17:00 ~" },
        { "quiero un turno", "es book - -" },
        // Other intents.
        { "Hola, buenas tardes", "es greeting - -" },
        { "¿Qué puedes hacer?", "es help - -" },
        { "ayuda", "es help - -" },
        { "¡Muchas gracias!", "es thanks - -" },
        { "sí, dale", "es confirm - -" },
        { "no, mejor no", "es decline - -" },
        { "no sé", "es other - -" },
        { "si no es molestia", "es other - -" },
        { "¿Cómo hago para confirmar?", "es other - -" },
        { "si tengo que pagar antes?", "es other - -" },
        { "si llueve igual abren", "es help - -" },
        { "ok pero cuánto sale?", "es other - -" },
        { "perfecto, ¿y cuánto sale?", "es other - -" },
        { "si", "es confirm - -" },
        { "si, dale", "es confirm - -" },
        { "si por favor", "es confirm - -" },
        { "mañana a las ３", "es check_availability 2025-01-16 15:00 ~" },
        { "mañana a las ١٠", "es check_availability 2025-01-16 10:00 ~" },
        { "quiero cancelar mi turno", "es cancel - -" },
        { "¿cuándo es mi turno?", "es my_appointment - -" },
        { "quiero cambiar mi turno al viernes a las 10", "es reschedule 2025-01-17 10:00 ~" },
        { "¿puedo pasar mi cita para el lunes?", "es reschedule 2025-01-20 -" },
        { "reprogramar", "es reschedule - -" },
        { "¿Cuánto cuesta la consulta?", "es other - -" },
    };

    public static TheoryData<string, string> English => new()
    {
        // Relative days.
        { "I'd like to book tomorrow at 3 PM", "en book 2025-01-16 15:00" },
        { "tomorrow at 9am", "en check_availability 2025-01-16 09:00" },
        { "Tomorow at 10am?", "en check_availability 2025-01-16 10:00" },
        { "today at 4pm", "en check_availability 2025-01-15 16:00" },
        { "the day after tomorrow at 11am", "en check_availability 2025-01-17 11:00" },
        { "day after tomorrow 2pm please", "en check_availability 2025-01-17 14:00" },
        // Weekdays.
        { "next friday at 2pm", "en check_availability - 14:00 ?2025-01-17|2025-01-24" },
        { "on monday at 10am", "en check_availability 2025-01-20 10:00" },
        { "this wednesday at 5pm", "en check_availability 2025-01-15 17:00" },
        { "Wednesday at 5pm", "en check_availability 2025-01-22 17:00" },
        { "can I come on thursday at 3?", "en check_availability 2025-01-16 15:00 ~" },
        { "tuesday in the afternoon", "en check_availability 2025-01-21 - afternoon" },
        { "Fridy at noon", "en check_availability 2025-01-17 12:00" },
        // Day and month.
        { "January 20 at 9am", "en check_availability 2025-01-20 09:00" },
        { "January 20th at 9am", "en check_availability 2025-01-20 09:00" },
        { "the 15th of January at 4pm", "en check_availability 2025-01-15 16:00" },
        { "20 January at 10am", "en check_availability 2025-01-20 10:00" },
        { "book Feb 3 at 11am", "en book 2025-02-03 11:00" },
        { "on the 21st at 5pm", "en check_availability 2025-01-21 17:00" },
        { "Friday the 17th at 5pm", "en check_availability 2025-01-17 17:00" },
        { "Friday 24 at 5pm", "en check_availability 2025-01-24 17:00" },
        { "Thursday 24 at 5pm", "en check_availability - 17:00 ?2025-01-16|2025-01-24" },
        { "book 3/2 at 11am", "en book - 11:00 ?2025-03-02|2025-02-03" },
        // "Next saturday" said on a Wednesday: this week's or the following one, asked; "next monday" lies in next week anyway.
        { "next saturday at 4pm", "en check_availability - 16:00 ?2025-01-18|2025-01-25" },
        { "next monday at 4pm", "en check_availability 2025-01-20 16:00" },
        // Texting shorthand for am/pm, straight after the hour.
        { "thurs 23rd 11a", "en check_availability 2025-01-23 11:00" },
        { "fri @ 3p", "en check_availability 2025-01-17 15:00" },
        { "de 9 a 12 el viernes", "es check_availability 2025-01-17 -" },
        { "book 1/20 at 11am", "en book 2025-01-20 11:00" },
        { "book 20/1 at 11am", "en book 2025-01-20 11:00" },
        { "is 2/2 at 10am free?", "en check_availability 2025-02-02 10:00" },
        { "book 2/30 at 10am", "en book - 10:00 !" },
        { "yesterday at 3pm", "en check_availability 2025-01-14 15:00" },
        { "I need to change the time", "en reschedule - -" },
        // Times.
        { "tomorrow at 15:00", "en check_availability 2025-01-16 15:00" },
        { "in two days at 10am", "en check_availability 2025-01-17 10:00" },
        { "what is your next available appointment?", "en book - - soonest" },
        { "tomorrow at half past three", "en check_availability 2025-01-16 15:30 ~" },
        { "tomorrow at quarter past 10", "en check_availability 2025-01-16 10:15 ~" },
        { "tomorrow at quarter to 5", "en check_availability 2025-01-16 16:45 ~" },
        { "tomorrow at noon", "en check_availability 2025-01-16 12:00" },
        { "tomorrow at 3 in the afternoon", "en check_availability 2025-01-16 15:00 afternoon" },
        { "tomorrow at 10 in the morning", "en check_availability 2025-01-16 10:00 morning" },
        { "tomorrow at 3:30 p.m.", "en check_availability 2025-01-16 15:30" },
        { "tomorrow at 4", "en check_availability 2025-01-16 16:00 ~" },
        { "tomorrow at three thirty", "en check_availability 2025-01-16 15:30 ~" },
        // Parts of the day.
        { "tomorrow in the afternoon", "en check_availability 2025-01-16 - afternoon" },
        { "any openings tomorrow morning?", "en check_availability 2025-01-16 - morning" },
        { "something this evening?", "en check_availability 2025-01-15 - evening" },
        // Missing parts.
        { "I'd like to book an appointment for tomorrow", "en book 2025-01-16 -" },
        { "I want to book at 3pm", "en book - 15:00" },
        { "I'd like an appointment", "en book - -" },
        // Other intents.
        { "hello", "en greeting - -" },
        { "good afternoon", "en greeting - -" },
        { "What can you do?", "en help - -" },
        { "help", "en help - -" },
        { "thanks a lot", "en thanks - -" },
        { "yes please", "en confirm - -" },
        { "nope", "en decline - -" },
        { "not sure", "en other - -" },
        { "yes, wait, no", "en other - -" },
        { "how do I confirm?", "en other - -" },
        { "ok, what does it cost", "en other - -" },
        { "please cancel my appointment", "en cancel - -" },
        { "when is my appointment?", "en my_appointment - -" },
        { "can I move my appointment to tomorrow at 5?", "en reschedule 2025-01-16 17:00 ~" },
        { "I need to reschedule", "en reschedule - -" },
        { "What is the price?", "en other - -" },
    };

    [Theory]
    [MemberData(nameof(Spanish))]
    public void Spanish_as_people_write_it(string text, string expected) =>
        Assert.Equal(expected, Describe(MessageUnderstanding.Understand(text, At(Wednesday, "America/Argentina/Buenos_Aires"))));

    [Theory]
    [MemberData(nameof(English))]
    public void English_as_people_write_it(string text, string expected) =>
        Assert.Equal(expected, Describe(MessageUnderstanding.Understand(text, At(Wednesday, "America/Argentina/Buenos_Aires"), Language.English)));

    [Fact]
    public void The_table_is_big_enough() =>
        Assert.True(Spanish.Count >= 35 && English.Count >= 35 && Spanish.Count + English.Count >= 80, $"{Spanish.Count} + {English.Count}");

    // A zone with daylight saving time: New York, 2025-03-08 (Saturday) 23:30 local, the night before clocks go forward.
    // "Mañana" is Sunday 9 March, on which 02:00-03:00 does not exist; dates and wall times are still what was said.
    private static readonly Instant BeforeSpringForward = Instant.FromUtc(2025, 3, 9, 4, 30);

    [Theory]
    [InlineData("tomorrow at 10am", "en check_availability 2025-03-09 10:00")]
    [InlineData("today at 11pm", "en check_availability 2025-03-08 23:00")]
    [InlineData("mañana a las 10 de la mañana", "es check_availability 2025-03-09 10:00 morning")]
    [InlineData("next monday at 9am", "en check_availability 2025-03-10 09:00")]
    [InlineData("el lunes por la tarde", "es check_availability 2025-03-10 - afternoon")]
    public void Resolves_in_a_zone_with_daylight_saving(string text, string expected) =>
        Assert.Equal(expected, Describe(MessageUnderstanding.Understand(text, At(BeforeSpringForward, "America/New_York"), Language.English)));

    // Madrid at 00:30 on Thursday 16 January (23:30 UTC Wednesday): the company's date, not UTC's, decides "hoy".
    [Theory]
    [InlineData("hoy a las 15", "es check_availability 2025-01-16 15:00")]
    [InlineData("mañana a las 15", "es check_availability 2025-01-17 15:00")]
    [InlineData("este jueves a las 15", "es check_availability 2025-01-16 15:00")]
    public void Today_is_the_company_date(string text, string expected) =>
        Assert.Equal(expected, Describe(MessageUnderstanding.Understand(text, At(Instant.FromUtc(2025, 1, 15, 23, 30), "Europe/Madrid"))));

    [Theory]
    [InlineData("quiero cambiar mi turno del jueves al viernes a las 10", "2025-01-16", null, "2025-01-17", "10:00")]
    [InlineData("cambiar el turno de mañana para el lunes a las 9", "2025-01-16", null, "2025-01-20", "09:00")]
    [InlineData("cambiar mi turno del jueves a las 3 al viernes a las 10", "2025-01-16", "15:00", "2025-01-17", "10:00")]
    [InlineData("can I move my appointment from Thursday at 3pm to Friday at 10am?", "2025-01-16", "15:00", "2025-01-17", "10:00")]
    [InlineData("move my appointment from the 16th to the 20th at 9am", "2025-01-16", null, "2025-01-20", "09:00")]
    [InlineData("quiero cambiar mi turno al viernes a las 10", null, null, "2025-01-17", "10:00")]
    [InlineData("quiero reservar el turno del viernes", null, null, "2025-01-17", null)]
    public void A_move_reads_the_day_it_moves_from_apart_from_the_new_one(string text, string? fromDate, string? fromTime, string toDate, string? toTime)
    {
        var now = At(Wednesday, "America/Argentina/Buenos_Aires");
        var parsed = MessageParser.Parse(text);
        var understood = MessageUnderstanding.Resolve(parsed, now, Language.Spanish);

        Assert.Equal((fromDate, fromTime, toDate, toTime),
            (parsed.MovedDate?.Resolve(now.Date)?.ToString("yyyy-MM-dd", null), parsed.MovedTime?.ToString("HH:mm", null),
                understood.Date?.ToString("yyyy-MM-dd", null), understood.Time?.ToString("HH:mm", null)));
    }

    private static string Describe(UnderstoodMessage understood)
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
        if (understood.DateChoices is { Count: > 1 } choices) parts.Add("?" + string.Join("|", choices.Select(c => c.ToString("yyyy-MM-dd", null))));
        if (understood.DateUnrecognised) parts.Add("!");
        if (understood.Soonest) parts.Add("soonest");
        return string.Join(" ", parts);
    }
}
