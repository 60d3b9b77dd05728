using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// Second round of held-out style messages, in the row format of <see cref="UnderstandingPartsTableTests"/> and at its
/// fixed clock (Wednesday 15 January 2025, 10:00 in Buenos Aires). The row's language is the conversation's.
/// </summary>
public class UnderstandingRestatedTableTests
{
    private static readonly Instant Wednesday = Instant.FromUtc(2025, 1, 15, 13, 0);

    /// <summary>What is said last wins; what it does not say again is kept; the slip is not ruled out.</summary>
    public static TheoryData<string, string> Restatements => new()
    {
        { "friday at 2, sorry i meant 3", "en check_availability 2025-01-17 15:00 ~" },
        { "el viernes a las 12, perdón, a la 1", "es check_availability 2025-01-17 13:00 ~" },
        { "mañana a las 4, no, mejor a las 5", "es check_availability 2025-01-16 17:00 ~" },
        { "el miércoles 22 a las 5 no espere a las 3", "es check_availability 2025-01-22 15:00 ~" },
        { "tomorrow at 10 no wait make it 11", "en check_availability 2025-01-16 11:00 ~" },
        { "anything but monday, maybe wed 22 at 9", "en check_availability 2025-01-22 09:00 ~ not:2025-01-20" },
        { "el lunes a las 3, perdón, el martes", "es check_availability 2025-01-21 15:00 ~" },
        { "el viernes, perdón, el sábado a las 10", "es check_availability 2025-01-18 10:00 ~" },
        { "mañana por la tarde a las 4, digo a las 5", "es check_availability 2025-01-16 17:00 afternoon" },
        { "el 22, o sea el miércoles, a las 10", "es check_availability 2025-01-22 10:00 ~" },
        { "cambiar mi turno del jueves al viernes a las 2, perdón a las 3", "es reschedule 2025-01-17 15:00 ~" },
        { "sunday at 11.. actually 12 would be better", "en check_availability 2025-01-19 12:00" },
        { "el martes a las 9, bueno no, a las 10", "es check_availability 2025-01-21 10:00 ~" },
        // Nothing said again after the marker, or nothing said before it: no restatement.
        { "friday at 3 sorry for the late reply", "en check_availability 2025-01-17 15:00 ~" },
        { "sorry, can i book friday at 3", "en book 2025-01-17 15:00 ~" },
        { "tomorrow at 3 actually works better", "en check_availability 2025-01-16 15:00 ~" },
        // "Make it" after a booking still moves it.
        { "can we make it 5 instead", "en reschedule - 17:00 ~" },
        { "my appointment is tomorrow at 10, can you make it 11", "en reschedule - 11:00 ~" },
    };

    /// <summary>A day of the month in words or as a bare ordinal; after a weekday it is checked against it, as digits are.</summary>
    public static TheoryData<string, string> DaysInWords => new()
    {
        { "the twenty second at two pm", "en check_availability 2025-01-22 14:00" },
        { "can i get an appointment for the thirtieth of january at eleven am", "en book 2025-01-30 11:00" },
        { "yeah hi can i come in on the twenty third at ten", "en check_availability 2025-01-23 10:00 ~" },
        { "22nd at noon", "en check_availability 2025-01-22 12:00" },
        { "i want the 22nd", "en check_availability 2025-01-22 -" },
        { "hola buenas tardes quería cita para el día treinta y uno a las doce", "es book 2025-01-31 12:00" },
        { "i was wondering if you have anything on tuesday the twenty eighth at three", "en check_availability 2025-01-28 15:00 ~" },
        { "tuesday twenty eighth at 3pm", "en check_availability 2025-01-28 15:00" },
        { "buen día quería un turno para el jueves veintitrés a las nueve de la mañana", "es book 2025-01-23 09:00 morning" },
        { "buen dia el veintitres a las 10", "es check_availability 2025-01-23 10:00 ~" },
        { "el martes tres de febrero a las 10", "es check_availability 2025-02-03 10:00 ~" },
        { "quería turno el viernes que viene el 24 a las 11", "es book 2025-01-24 11:00 ~" },
        // A weekday and a day that disagree are asked back (no date); small numbers and things counted are no day.
        { "el jueves veinticuatro a las 10", "es check_availability - 10:00 ~" },
        { "el lunes once", "es check_availability 2025-01-20 -" },
        { "2nd option", "en other - - pick:2" },
        { "book my 2nd appointment", "en book - -" },
        { "11th floor at 3", "en check_availability - 15:00 ~" },
    };

    /// <summary>Short English messages in a conversation that started in Spanish (the row's language is the fallback here).</summary>
    public static TheoryData<string, string> EnglishInASpanishConversation => new()
    {
        { "feb 3rd 11am", "en check_availability 2025-02-03 11:00" },
        { "jan 31 17:00", "en check_availability 2025-01-31 17:00" },
        { "thx a lot 🙏", "en thanks - -" },
        { "cheers mate", "en thanks - -" },
        { "ty", "en thanks - -" },
        { "el 3 de feb a las 11", "es check_availability 2025-02-03 11:00 ~" },
    };

    /// <summary>"A las" / "a la" written together before an hour; "alas" and "ala" stay words elsewhere.</summary>
    public static TheoryData<string, string> JoinedArticles => new()
    {
        { "el miercoles 22 alas 3", "es check_availability 2025-01-22 15:00 ~" },
        { "mañna ala 1", "es check_availability 2025-01-16 13:00 ~" },
        { "mañana alas tres", "es check_availability 2025-01-16 15:00 ~" },
        { "las alas del avión", "es other - -" },
        { "ala derecha", "es other - -" },
    };

    /// <summary>Asking for the appointment, thanks, help, a greeting, "joya".</summary>
    public static TheoryData<string, string> Phrases => new()
    {
        { "when's my appt?", "en my_appointment - -" },
        { "sorry what time was it again?", "en my_appointment - -" },
        { "what time is it?", "en other - -" },
        { "para cuándo quedó el turno?", "es my_appointment - -" },
        // An acknowledgement with a thanks thanks; a plain yes word keeps it a yes.
        { "vale gracias", "es thanks - -" },
        { "ok thanks", "en thanks - -" },
        { "perfecto, muchas gracias", "es thanks - -" },
        { "sí, gracias", "es confirm - -" },
        { "yes thanks", "en confirm - -" },
        { "what can u do", "en help - -" },
        // "Morning!" first greets; "morning" asked about is the part of the day.
        { "morning! need to see the doc, would friday at 5 be ok? ty", "en check_availability 2025-01-17 17:00 ~" },
        { "morning!", "en greeting - -" },
        { "tomorrow morning?", "en check_availability 2025-01-16 - morning" },
        { "morning please", "en check_availability - - morning" },
        { "joya", "es confirm - -" },
        { "joya, gracias", "es thanks - -" },
    };

    /// <summary>A yes with a cancel word and nothing else is a cancellation that says yes to "do you want me to cancel…?".</summary>
    [Theory]
    [InlineData("sí cancelalo", true)]
    [InlineData("yes cancel", true)]
    [InlineData("yes cancel it please", true)]
    [InlineData("ok, cancelá el turno", true)]
    [InlineData("cancelalo", false)]
    [InlineData("no, no lo canceles", false)]
    [InlineData("yes but don't cancel", false)]
    [InlineData("si cancelo el martes?", false)]
    [InlineData("sí, cancelá el del martes a las 10", false)]
    public void A_yes_to_cancel_is_a_cancellation_that_confirms(string text, bool confirms)
    {
        var parsed = MessageParser.Parse(text);
        Assert.Equal((confirms ? Intent.Cancel : parsed.Intent, confirms), (parsed.Intent, parsed.ConfirmsCancellation));
    }

    /// <summary>The week a day is in (Monday to Sunday, from today on) and the next few days (today and three more).</summary>
    public static TheoryData<string, string> Periods => new()
    {
        { "la semana del 27", "es check_availability - - span:2025-01-27..2025-02-02" },
        { "la semana del 3 de febrero", "es check_availability - - span:2025-02-03..2025-02-09" },
        { "the week of the 27th", "en check_availability - - span:2025-01-27..2025-02-02" },
        { "la semana del 27 a la tarde", "es check_availability - - afternoon span:2025-01-27..2025-02-02" },
        { "la semana del 15", "es check_availability - - span:2025-01-15..2025-01-19" },
        { "any time in the next few days?", "en check_availability - - span:2025-01-15..2025-01-18" },
        { "the next 3 days", "en check_availability - - span:2025-01-15..2025-01-18" },
        { "en los próximos días", "es check_availability - - span:2025-01-15..2025-01-18" },
        { "these next couple of days", "en check_availability - - span:2025-01-15..2025-01-17" },
        { "in 3 days at 2pm", "en check_availability 2025-01-18 14:00" },
    };

    [Theory] [MemberData(nameof(Periods))] public void Weeks_of_a_day_and_the_next_days(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(Phrases))] public void Phrases_customers_use(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(JoinedArticles))] public void A_las_written_together(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(Restatements))] public void The_last_said_wins(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(DaysInWords))] public void Days_of_the_month_in_words(string text, string expected) => Check(text, expected);

    [Theory]
    [MemberData(nameof(EnglishInASpanishConversation))]
    public void English_evidence_in_short_messages(string text, string expected)
    {
        var now = Wednesday.InZone(DateTimeZoneProviders.Tzdb["America/Argentina/Buenos_Aires"]);
        Assert.Equal(expected, UnderstandingPartsTableTests.Describe(MessageUnderstanding.Understand(text, now, Language.Spanish)));
    }

    private static void Check(string text, string expected)
    {
        var language = expected.StartsWith("en", StringComparison.Ordinal) ? Language.English : Language.Spanish;
        var now = Wednesday.InZone(DateTimeZoneProviders.Tzdb["America/Argentina/Buenos_Aires"]);
        Assert.Equal(expected, UnderstandingPartsTableTests.Describe(MessageUnderstanding.Understand(text, now, language)));
    }
}
