using CalendarConnect.Assistant.Dialogue;
using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// Fifth round of held-out style messages (issue 12), in the row format of <see cref="UnderstandingPartsTableTests"/> and at
/// its fixed clock (Wednesday 15 January 2025, 10:00 in Buenos Aires). The row's language is the conversation's.
/// </summary>
public class UnderstandingRoundFiveTableTests
{
    private static readonly Instant Wednesday = Instant.FromUtc(2025, 1, 15, 13, 0);

    /// <summary>After a correction marker the later time wins, with a reason in between or not; the first is no slot.</summary>
    public static TheoryData<string, string> CorrectionsInOneMessage => new()
    {
        { "friday 24 at 9, actually make that 10", "en check_availability 2025-01-24 10:00 ~" },
        { "tue 21 at 2pm, scratch that, 3pm", "en check_availability 2025-01-21 15:00" },
        { "el miércoles 22 a las 4 de la tarde, ay no, que tengo médico, a las 5", "es check_availability 2025-01-22 17:00 afternoon" },
        { "el lunes 27 a las 10, uy no, mejor a las 11", "es check_availability 2025-01-27 11:00 ~" },
        { "el martes, no, mejor el jueves 23 a las 12", "es check_availability 2025-01-23 12:00" },
        // "¡Qué tarde!" is late, not the afternoon.
        { "uff no, qué tarde, mejor lo dejo", "es decline - -" },
    };

    /// <summary>Two weekdays with no marker saying which replaces the other: both offered back, neither taken (today, Wednesday, is past 10).</summary>
    public static TheoryData<string, string> TwoWeekdays => new()
    {
        { "wednesday thursday at 10", "en check_availability - - either:2025-01-22 10:00|2025-01-16 10:00" },
        { "el lunes el viernes a las 9", "es check_availability - - either:2025-01-20 09:00|2025-01-17 09:00" },
        // The same weekday twice is one day.
        { "friday, friday at 3", "en check_availability 2025-01-17 15:00 ~" },
    };

    /// <summary>Small talk greets, and its "today" asks for no free times; a request after it is read as usual.</summary>
    public static TheoryData<string, string> SmallTalk => new()
    {
        { "hey hows your day going", "en greeting - -" },
        { "how are ya today?", "en greeting - -" },
        { "hola cómo andás hoy?", "es greeting - -" },
        { "buenas, ¿cómo estás?", "es greeting - -" },
        { "qué onda, cómo te va", "es greeting - -" },
        { "hi how are you, anything free on friday 24 at 2?", "en check_availability 2025-01-24 14:00 ~" },
        // "¿Qué tal el martes?" proposes a day; "¿cómo va esto?" asks for help.
        { "¿qué tal el martes a las 10?", "es check_availability 2025-01-21 10:00 ~" },
        { "¿cómo va esto?", "es help - -" },
        { "what does this bot do", "en help - -" },
        { "¿para qué sirve este chat?", "es help - -" },
    };

    /// <summary>No, said in other ways; a yes after thanks or with the verb that books; cannot come; asking again.</summary>
    public static TheoryData<string, string> YesNoAndFollowUps => new()
    {
        { "nonono, dejá", "es decline - -" },
        { "mmm no, luego te confirmo", "es decline - -" },
        { "hmm nah forget it", "en decline - -" },
        { "great thanks, yes book it", "en confirm - -" },
        { "go for it", "en confirm - -" },
        { "órale, apúntala", "es confirm - -" },
        { "va a venir mi hija", "es other - -" },
        { "sorry, i won't be able to make it after all", "en cancel - -" },
        { "che al final ya no puedo ir", "es cancel - -" },
        // A day ruled out stays a no to that day.
        { "I can't make it tomorrow", "en decline - - not:2025-01-16" },
        { "and when is it now", "en my_appointment - -" },
        { "pero yo tengo alguna reserva o no?", "es my_appointment - -" },
        { "ya no tengo citas entonces?", "es my_appointment - -" },
        { "I need hour for the friday 24, is possible 15 hours?", "en check_availability 2025-01-24 15:00" },
        { "in 2 hours", "en other - -" },
    };

    /// <summary>"La semana que entra" is next week; "ahorita" is today; an hour after "evening like"; days known by name.</summary>
    public static TheoryData<string, string> DaysAndHoursSaidOtherwise => new()
    {
        { "¿qué tienes la semana que entra?", "es check_availability - - span:2025-01-20..2025-01-26" },
        { "ahorita a las 12 hay lugar?", "es check_availability 2025-01-15 12:00" },
        { "friday evening around 7", "en check_availability 2025-01-17 19:00 evening" },
        { "valentine's day at 11", "en check_availability 2025-02-14 11:00 ~" },
        { "el día de san valentín a las 4", "es check_availability 2025-02-14 16:00 ~" },
    };

    [Theory] [MemberData(nameof(DaysAndHoursSaidOtherwise))] public void Days_and_hours_said_otherwise(string text, string expected) => Check(text, expected);

    [Theory] [MemberData(nameof(CorrectionsInOneMessage))] public void The_corrected_time_wins(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(TwoWeekdays))] public void Two_weekdays_are_asked_back(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(SmallTalk))] public void Small_talk_greets(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(YesNoAndFollowUps))] public void Yes_no_and_follow_ups(string text, string expected) => Check(text, expected);

    [Theory]
    [InlineData("could you push that one a week", 7)]
    [InlineData("¿la puedes recorrer dos días?", 2)]
    [InlineData("can we move it to the same time the following week", 7)]
    [InlineData("¿me lo pasas a la misma hora de la semana siguiente?", 7)]
    public void Whole_days_later(string text, int days) =>
        Assert.Equal(new TimeShift(Later: true, days * ShiftReader.MinutesInADay), MessageParser.Parse(text).Shift);

    [Fact]
    public void Pushing_forward_is_no_later() => Assert.NotEqual(true, MessageParser.Parse("push it forward a week").Shift?.Later);

    /// <summary>"The earliest" and "the latest" pick from any number; "the other one" is the one of two not proposed.</summary>
    [Theory]
    [InlineData("the earliest", null, 0)]
    [InlineData("the latest one", null, 2)]
    [InlineData("hmm no, the earliest", 2, 0)]
    [InlineData("la más tarde", null, 2)]
    public void Picks_by_order_of_any_list(string text, int? current, int expected)
    {
        var selection = MessageParser.Parse(text).Selection;
        Assert.NotNull(selection);
        Assert.Equal(expected, ListPick.Index(selection, [new LocalTime(14, 0), new LocalTime(15, 0), new LocalTime(16, 0)], current));
    }

    [Theory]
    [InlineData("wait no, the other one", 0, 1)]
    [InlineData("perdón, mejor la otra", 1, 0)]
    [InlineData("no, mejor la otra", null, null)]
    public void The_other_one_of_two(string text, int? current, int? expected)
    {
        var parsed = MessageParser.Parse(text);
        Assert.Equal(Intent.Other, parsed.Intent);
        Assert.Equal(expected, ListPick.Index(parsed.Selection!, [new LocalTime(16, 0), new LocalTime(17, 0)], current));
    }

    [Theory]
    [InlineData("Jo March", "Jo March")]
    [InlineData("May", "May")]
    [InlineData("Ed", "Ed")]
    [InlineData("Cy Ng", "Cy Ng")]
    public void Short_names_and_names_that_are_months(string text, string name) => Assert.Equal(name, PersonName.Read(text));

    [Theory]
    [InlineData("ok")]
    [InlineData("pls")]
    [InlineData("yes")]
    [InlineData("march 3")]
    public void Words_are_no_short_names(string text) => Assert.Null(PersonName.Read(text));

    private static void Check(string text, string expected)
    {
        var language = expected.StartsWith("en", StringComparison.Ordinal) ? Language.English : Language.Spanish;
        var now = Wednesday.InZone(DateTimeZoneProviders.Tzdb["America/Argentina/Buenos_Aires"]);
        Assert.Equal(expected, UnderstandingPartsTableTests.Describe(MessageUnderstanding.Understand(text, now, language)));
    }
}
