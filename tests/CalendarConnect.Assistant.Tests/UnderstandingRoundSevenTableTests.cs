using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// Seventh round of held-out style messages (issue 12), in the row format of <see cref="UnderstandingPartsTableTests"/> and
/// at its fixed clock (Wednesday 15 January 2025, 10:00 in Buenos Aires). The row's language is the conversation's.
/// </summary>
public class UnderstandingRoundSevenTableTests
{
    private static readonly Instant Wednesday = Instant.FromUtc(2025, 1, 15, 13, 0);

    /// <summary>Questions about opening days and hours ask for help, not for a day's free times; free times are still free times.</summary>
    public static TheoryData<string, string> OpeningHours => new()
    {
        { "do you work saturdays?", "en help - -" },
        { "what time do you close on friday", "en help - -" },
        { "are u guys open on sundays", "en help - -" },
        { "whats your opening hours", "en help - -" },
        { "¿abren los domingos?", "es help - -" },
        { "hasta que hora atienden", "es help - -" },
        { "¿cuál es el horario?", "es help - -" },
        { "que horario manejan", "es help - -" },
        { "a que hora abris mañana", "es help - -" },
        { "what's open tomorrow", "en check_availability 2025-01-16 -" },
        { "¿qué horarios tenés el jueves 23?", "es check_availability 2025-01-23 -" },
        { "¿me atienden mañana a las 10?", "es check_availability 2025-01-16 10:00 ~" },
        { "tienen servicio los domingos?", "es help - -" },
        { "hours?", "en help - -" },
    };

    /// <summary>A weekday with a day of the month that agree on a day just past: that day (it is said to have passed).</summary>
    public static TheoryData<string, string> PastWeekdayWithDay => new()
    {
        { "monday the 6th at 10", "en check_availability 2025-01-06 10:00 ~" },
        { "el martes 14 a las 4", "es check_availability 2025-01-14 16:00 ~" },
        { "el martes día 7 a las 10", "es check_availability 2025-01-07 10:00 ~" },
        // A bare day of the month that passed this week is that day too, not next month's.
        { "can I come on the 14th at 3", "en check_availability 2025-01-14 15:00 ~" },
        { "el 5 a las 10", "es check_availability 2025-02-05 10:00 ~" },
        // Disagreeing on every reading: which one is asked.
        { "el jueves 14 a las 10", "es check_availability - 10:00 ~" },
    };

    /// <summary>After an ellipsis or a dash, "no" takes back what was said before it; without a pause it rules it out.</summary>
    public static TheoryData<string, string> CorrectionsAfterAPause => new()
    {
        { "el jueves a las 9... no mejor a las 11", "es check_availability 2025-01-16 11:00 ~" },
        { "friday at 3 - actually make it 5", "en check_availability 2025-01-17 17:00 ~" },
        { "mañana a las 9 - ah no a las 10", "es check_availability 2025-01-16 10:00 ~" },
        { "el jueves... no, el viernes a las 9", "es check_availability 2025-01-17 09:00 ~" },
        { "friday at 3 - no, 5", "en check_availability 2025-01-17 17:00 ~" },
        { "mañana a las 3 no, a las 5", "es check_availability 2025-01-16 17:00 ~ not:15:00" },
    };

    /// <summary>A bound before the day ("after 4 tomorrow"), "pasadas las 3", after lunch, the first or last week of a month.</summary>
    public static TheoryData<string, string> BoundsAndPeriods => new()
    {
        { "anything after 4 tomorrow", "en check_availability 2025-01-16 - range:16:00-23:59~" },
        { "anything later than 3 tomorrow?", "en check_availability 2025-01-16 - range:15:00-23:59~" },
        { "¿tenés algo pasadas las 3 el lunes?", "es check_availability 2025-01-20 - range:15:00-23:59~" },
        { "half past 3 tomorrow", "en check_availability 2025-01-16 15:30 ~" },
        { "tomorrow after lunch", "en check_availability 2025-01-16 - afternoon range:14:00-23:59" },
        { "el lunes después de comer", "es check_availability 2025-01-20 - afternoon range:14:00-23:59" },
        { "anything the first week of february?", "en check_availability - - span:2025-02-01..2025-02-07" },
        { "¿tenés algo la última semana de enero?", "es check_availability - - span:2025-01-25..2025-01-31" },
    };

    [Theory] [MemberData(nameof(OpeningHours))] public void Opening_hours_are_asked_about(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(PastWeekdayWithDay))] public void A_weekday_with_a_day_just_past_is_that_day(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(CorrectionsAfterAPause))] public void A_pause_then_no_takes_back(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(BoundsAndPeriods))] public void Bounds_and_periods(string text, string expected) => Check(text, expected);

    /// <summary>A no to a proposal said in other ways.</summary>
    [Theory]
    [InlineData("uy no, no puedo")]
    [InlineData("no, esa hora no me va bien")]
    [InlineData("no thats too late for me")]
    [InlineData("nah that doesn't work")]
    public void A_no_said_otherwise(string text) => Assert.Equal(Intent.Decline, MessageParser.Parse(text).Intent);

    [Theory]
    [InlineData("mañana a primera hora")]
    [InlineData("first thing monday")]
    public void First_thing_asks_for_the_earliest(string text) => Assert.True(MessageParser.Parse(text).FirstThing);

    [Fact]
    public void A_name_after_a_yes_says_nothing_of_the_language() => Assert.Equal(Language.English, MessageParser.Parse("yes, it's Laura Gómez").Language);

    private static void Check(string text, string expected)
    {
        var language = expected.StartsWith("en", StringComparison.Ordinal) ? Language.English : Language.Spanish;
        var now = Wednesday.InZone(DateTimeZoneProviders.Tzdb["America/Argentina/Buenos_Aires"]);
        Assert.Equal(expected, UnderstandingPartsTableTests.Describe(MessageUnderstanding.Understand(text, now, language)));
    }
}
