using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Tests;

public class UnderstandingTests
{
    private const string BuenosAires = "America/Argentina/Buenos_Aires";
    private const string Madrid = "Europe/Madrid";
    private const string NewYork = "America/New_York";

    /// <summary>Wednesday 15 January 2025, 13:00 UTC: 10:00 in Buenos Aires, 14:00 in Madrid, 08:00 in New York.</summary>
    private static readonly Instant Wednesday = Instant.FromUtc(2025, 1, 15, 13, 0);

    private static ZonedDateTime At(Instant instant, string zone) => instant.InZone(DateTimeZoneProviders.Tzdb[zone]);

    // text, language, intent, date (yyyy-MM-dd or null), time (HH:mm or null). Today is Wednesday 2025-01-15.
    public static TheoryData<string, string, string, string?, string?> Utterances => new()
    {
        // The spec's utterance, and its English twin.
        { "Quiero reservar para mañana a las 3 PM", "es", "book", "2025-01-16", "15:00" },
        { "I'd like to book tomorrow at 3 PM", "en", "book", "2025-01-16", "15:00" },
        // Relative days, with and without accents.
        { "¿Tienen lugar hoy a las 16?", "es", "check_availability", "2025-01-15", "16:00" },
        { "Do you have anything today at 4pm?", "en", "check_availability", "2025-01-15", "16:00" },
        { "quiero reservar manana a las 3pm", "es", "book", "2025-01-16", "15:00" },
        { "pasado mañana a las 10", "es", "check_availability", "2025-01-17", "10:00" },
        { "pasado manana a las 10", "es", "check_availability", "2025-01-17", "10:00" },
        { "Can I book the day after tomorrow at 11am?", "en", "book", "2025-01-17", "11:00" },
        // Weekdays: the next such day, strictly after today (today is Wednesday).
        { "el lunes a las 9", "es", "check_availability", "2025-01-20", "09:00" },
        { "Quiero un turno el miércoles a las 15:00", "es", "book", "2025-01-22", "15:00" },
        { "el miercoles a las 15:00", "es", "check_availability", "2025-01-22", "15:00" },
        { "Is Friday at 2 available?", "en", "check_availability", "2025-01-17", "14:00" },
        { "next monday at 10:30", "en", "check_availability", "2025-01-20", "10:30" },
        { "sábado a las 11", "es", "check_availability", "2025-01-18", "11:00" },
        { "domingo", "es", "check_availability", "2025-01-19", null },
        // Day and month in words; no year means the next time it comes (today included).
        { "Quiero reservar el 15 de enero a las 3", "es", "book", "2025-01-15", "15:00" },
        { "jueves 16 de enero 15:00hs", "es", "check_availability", "2025-01-16", "15:00" },
        { "10 de febrero al mediodía", "es", "check_availability", "2025-02-10", "12:00" },
        { "el 10 de enero", "es", "check_availability", "2025-01-10", null }, // passed five days ago: said so, not next year
        { "20 de enero de 2026 a las 10", "es", "check_availability", "2026-01-20", "10:00" },
        { "January 20 at noon", "en", "check_availability", "2025-01-20", "12:00" },
        { "I want to book on January 20th at 9 am", "en", "book", "2025-01-20", "09:00" },
        { "the 21st of January at 5pm please", "en", "check_availability", "2025-01-21", "17:00" },
        // Numeric dates: day first in Spanish, month first in English, the other order when one is impossible.
        { "15/01 15:00", "es", "check_availability", "2025-01-15", "15:00" },
        { "reservar el 3/2 a las 11", "es", "book", "2025-02-03", "11:00" },
        { "book 3/2 at 11am", "en", "book", null, "11:00" }, // two readings: asked, see UtteranceTableTests
        { "book 1/20 at 11am", "en", "book", "2025-01-20", "11:00" },
        { "turno el 20/1/2025 a las 10", "es", "book", "2025-01-20", "10:00" },
        { "2025-01-16 at 3pm", "en", "check_availability", "2025-01-16", "15:00" },
        { "el día 20 a las 10", "es", "check_availability", "2025-01-20", "10:00" },
        // Times.
        { "mañana 3pm", "es", "check_availability", "2025-01-16", "15:00" },
        { "MAÑANA A LAS 3 P.M.", "es", "check_availability", "2025-01-16", "15:00" },
        { "mañana a las 3 y media", "es", "check_availability", "2025-01-16", "15:30" },
        { "mañana 3 y media", "es", "check_availability", "2025-01-16", "15:30" },
        { "mañana a las 4 y cuarto", "es", "check_availability", "2025-01-16", "16:15" },
        { "mañana a las 5 menos cuarto", "es", "check_availability", "2025-01-16", "16:45" },
        { "mañana a las 15", "es", "check_availability", "2025-01-16", "15:00" },
        { "mañana a las tres", "es", "check_availability", "2025-01-16", "15:00" },
        { "mañana a la una", "es", "check_availability", "2025-01-16", "13:00" },
        { "mañana al mediodía", "es", "check_availability", "2025-01-16", "12:00" },
        { "tomorrow at noon", "en", "check_availability", "2025-01-16", "12:00" },
        { "tomorrow at half past 3", "en", "check_availability", "2025-01-16", "15:30" },
        { "tomorrow at 3", "en", "check_availability", "2025-01-16", "15:00" },
        // "la mañana" is the morning, not tomorrow; explicit morning/evening beats the business-hours rule.
        { "mañana a las 10 de la mañana", "es", "check_availability", "2025-01-16", "10:00" },
        { "mañana por la mañana a las 11", "es", "check_availability", "2025-01-16", "11:00" },
        { "hoy a las 7 de la tarde", "es", "check_availability", "2025-01-15", "19:00" },
        { "mañana a las 8", "es", "check_availability", "2025-01-16", "08:00" },
        { "tomorrow at 12am", "en", "check_availability", "2025-01-16", "00:00" },
        // Mixed forms.
        { "Can I come at 10 tomorrow?", "en", "check_availability", "2025-01-16", "10:00" },
        { "hola, quiero turno para el viernes 17 a las 11", "es", "book", "2025-01-17", "11:00" },
        { "¿Tienen turno el jueves por la tarde?", "es", "book", "2025-01-16", null },
        { "¿hay disponibilidad el 20?", "es", "check_availability", "2025-01-20", null },
        // Missing parts.
        { "Quiero reservar para mañana", "es", "book", "2025-01-16", null },
        { "I'd like to book an appointment", "en", "book", null, null },
        { "Quiero reservar un turno", "es", "book", null, null },
        { "a las 3", "es", "check_availability", null, "15:00" },
        // No date or time.
        { "Hola", "es", "greeting", null, null },
        { "buenos días", "es", "greeting", null, null },
        { "Hello there", "en", "greeting", null, null },
        { "good morning", "en", "greeting", null, null },
        { "Sí, confirmo", "es", "confirm", null, null },
        { "yes please", "en", "confirm", null, null },
        { "¿Cuánto cuesta la consulta?", "es", "other", null, null },
    };

    [Theory]
    [MemberData(nameof(Utterances))]
    public void Understands_the_forms_customers_use(string text, string language, string intent, string? date, string? time)
    {
        var understood = MessageUnderstanding.Understand(text, At(Wednesday, BuenosAires));

        Assert.Equal((language, intent, date, time),
            (understood.Language.Code(), understood.Intent.Code(), understood.Date?.ToString("yyyy-MM-dd", null),
                understood.Time?.ToString("HH:mm", null)));
    }

    // 02:30 UTC on Thursday 16 January: still Wednesday evening in Buenos Aires and New York, already Thursday in Madrid.
    private static readonly Instant NearMidnight = Instant.FromUtc(2025, 1, 16, 2, 30);

    [Theory]
    [InlineData(BuenosAires, "hoy", "2025-01-15")]
    [InlineData(NewYork, "today", "2025-01-15")]
    [InlineData(Madrid, "hoy", "2025-01-16")]
    [InlineData(BuenosAires, "mañana a las 10", "2025-01-16")]
    [InlineData(NewYork, "tomorrow at 10", "2025-01-16")]
    [InlineData(Madrid, "mañana a las 10", "2025-01-17")]
    [InlineData(BuenosAires, "el jueves", "2025-01-16")]
    [InlineData(Madrid, "el jueves", "2025-01-23")]
    [InlineData(Madrid, "16 de enero", "2025-01-16")]
    [InlineData(NewYork, "January 15", "2025-01-15")]
    [InlineData(Madrid, "15 de enero", "2025-01-15")] // yesterday in Madrid: the assistant says it has passed
    public void Resolves_relative_dates_in_the_company_time_zone(string zone, string text, string expected)
    {
        var understood = MessageUnderstanding.Understand(text, At(NearMidnight, zone));

        Assert.Equal(expected, understood.Date?.ToString("yyyy-MM-dd", null));
    }

    [Theory]
    [InlineData("31/02 a las 10")]
    [InlineData("30 de febrero")]
    [InlineData("2025-13-40")]
    public void Impossible_dates_are_flagged_not_guessed(string text)
    {
        var understood = MessageUnderstanding.Understand(text, At(Wednesday, BuenosAires));

        Assert.Null(understood.Date);
        Assert.True(understood.DateUnrecognised);
    }

    [Fact]
    public void A_29_February_without_year_in_a_common_year_is_asked_not_moved_to_a_leap_year()
    {
        var understood = MessageUnderstanding.Understand("29 de febrero", At(Wednesday, BuenosAires));

        Assert.Null(understood.Date);
        Assert.True(understood.DateUnrecognised);
    }

    [Fact]
    public void A_29_February_without_year_in_a_leap_year_is_that_day() =>
        Assert.Equal(new LocalDate(2028, 2, 29), MessageUnderstanding.Understand("29 de febrero", At(Instant.FromUtc(2028, 1, 10, 13, 0), BuenosAires)).Date);

    [Fact]
    public void The_31st_in_a_month_of_30_days_is_asked_not_moved_to_the_next_month()
    {
        // Wednesday 10 April 2025: April has 30 days.
        var understood = MessageUnderstanding.Understand("el 31 a las 10", At(Instant.FromUtc(2025, 4, 10, 13, 0), BuenosAires));

        Assert.Null(understood.Date);
        Assert.True(understood.DateUnrecognised);
    }

    [Fact]
    public void A_day_of_the_month_already_past_is_next_month()
    {
        var understood = MessageUnderstanding.Understand("el 3 a las 10", At(Wednesday, BuenosAires));

        Assert.Equal(new LocalDate(2025, 2, 3), understood.Date);
    }

    [Fact]
    public void A_message_without_language_clues_keeps_the_fallback()
    {
        Assert.Equal(Language.English, MessageUnderstanding.Understand("15:00", At(Wednesday, NewYork), Language.English).Language);
        Assert.Null(MessageParser.Parse("15:00").Language);
    }

    public static TheoryData<string> HostileTexts => new()
    {
        "",
        "   ",
        new string('a', 10_000),
        string.Concat(Enumerable.Repeat("mañana a las 3 ", 700)),
        string.Concat(Enumerable.Repeat("1/", 5_000)),
        string.Concat(Enumerable.Repeat("9", 10_000)),
        "\0\u0001\u0007mañana\u001b[31m a las\r\n 3\u202e pm\u200b",
        "<script>alert('x')</script><b>mañana</b> a las <i>3</i>",
        "'; DROP TABLE oauth_tokens; --",
        "🙂🙂🙂 mañana 🗓️ a las 3 🙂",
        "\ud800 unpaired surrogate",
        "a las 99:99 el 99/99/9999",
        "mañana a las 25",
    };

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public void Hostile_input_never_throws(string text)
    {
        var understood = MessageUnderstanding.Understand(text, At(Wednesday, BuenosAires));

        Assert.NotNull(understood);
    }

    /// <summary>
    /// A paste of any length costs what its first <see cref="TextNormalizer.MaxAnalysedLength"/> characters cost: the cut
    /// comes before any rule reads the text, so a request written after it is not seen.
    /// </summary>
    [Fact]
    public void Only_the_first_analysed_characters_of_a_long_message_are_read()
    {
        const string request = " quiero reservar mañana a las 3 pm";
        var filler = string.Concat(Enumerable.Repeat("bla ", TextNormalizer.MaxAnalysedLength / 4));
        Assert.Equal(TextNormalizer.MaxAnalysedLength, filler.Length);

        var within = MessageUnderstanding.Understand(filler[..^request.Length] + request, At(Wednesday, BuenosAires));
        var after = MessageUnderstanding.Understand(filler + request + filler, At(Wednesday, BuenosAires));

        Assert.Equal((new LocalDate(2025, 1, 16), new LocalTime(15, 0)), (within.Date, within.Time));
        Assert.Equal((null, null), (after.Date, after.Time));
        Assert.Equal(TextNormalizer.MaxAnalysedLength, TextNormalizer.Normalize(new string('a', 10 * TextNormalizer.MaxAnalysedLength)).Length);
    }

    /// <summary>
    /// Every rule reads a long message of what it matches to the end: none backtracks into its match timeout
    /// (<c>MatchText.TimeoutMs</c>, which a linear rule never nears on a capped message), which TryParse would
    /// report as a failure and the assistant would answer as a message it did not understand.
    /// </summary>
    [Theory]
    [InlineData("mañana a las 3 y media de la tarde 15/01 ")]
    [InlineData("cambiar mi turno del jueves a las 3 al viernes 17 a las 10 y 20 de la tarde 15.30 ")]
    [InlineData("move my appointment from thursday the 16th at 3 to next available tommorow three thirty ")]
    [InlineData("mañna vienes 3/2 el jueves 24 por la tarde lo antes posible dentro de 3 días ")]
    public void Every_rule_reads_a_long_message_without_giving_up(string phrase)
    {
        var text = string.Concat(Enumerable.Repeat(phrase, 10_000 / phrase.Length + 1));

        var read = MessageParser.TryParse(text, null, out var parsed, out var failure);

        Assert.True(read, $"a rule gave up: {failure?.GetType().Name}");
        Assert.True(parsed.MentionsDateOrTime);
    }

    [Fact]
    public void A_null_text_is_an_empty_message() =>
        Assert.Equal(Intent.Other, MessageUnderstanding.Understand(null, At(Wednesday, BuenosAires)).Intent);

    [Fact]
    public void Control_characters_and_markup_do_not_hide_the_request()
    {
        var understood = MessageUnderstanding.Understand("<b>mañana</b>\u0000a las\u200b 3\r\npm", At(Wednesday, BuenosAires));

        Assert.Equal((new LocalDate(2025, 1, 16), new LocalTime(15, 0)), (understood.Date, understood.Time));
    }
}
