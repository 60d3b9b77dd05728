using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// Kinds of phrasing the held-out sets showed the readers missing (issue 12), each read by one rule, at the fixed clock
/// of <see cref="UnderstandingPartsTableTests"/> and described the same way (<see cref="UnderstandingPartsTableTests.Describe"/>;
/// <c>pick:later</c>, <c>pick:earlier</c> and <c>pick:day</c> are the picks by order and by weekday).
/// </summary>
public class UnderstandingPhrasingTableTests
{
    private static readonly Instant Wednesday = Instant.FromUtc(2025, 1, 15, 13, 0);

    public static TheoryData<string, string> ApproximateAndShorthandHours => new()
    {
        { "friday 2ish?", "en check_availability 2025-01-17 14:00 ~" },
        { "tmrw 9-ish", "en check_availability 2025-01-16 09:00 ~" },
        { "monday around 11 ish", "en check_availability 2025-01-20 11:00 ~" },
        { "in two weeks, afternoon, 4ish", "en check_availability 2025-01-29 16:00 afternoon" },
        { "appt tue 21 @ 3pm", "en check_availability 2025-01-21 15:00" },
        { "el martes 21 @10", "es check_availability 2025-01-21 10:00 ~" },
        // A clock time that ends a sentence keeps its minutes; a dotted date is no time.
        { "Require 28 Jan 14:00.", "en check_availability 2025-01-28 14:00" },
        { "Para el 23 de enero, 10:00.", "es check_availability 2025-01-23 10:00 ~" },
    };

    public static TheoryData<string, string> NonNativeAndVoiceHours => new()
    {
        { "i want appointment for monday in 2 of afternoon", "en book 2025-01-20 14:00 afternoon" },
        { "tomorrow at 9 of the morning", "en check_availability 2025-01-16 09:00 morning" },
        { "is possible thursday the 23 in hour 9?", "en check_availability 2025-01-23 09:00 ~" },
        { "tuesday at 11 hours please", "en check_availability 2025-01-21 11:00 ~" },
        { "could i come friday at for", "en check_availability 2025-01-17 16:00 ~" },
        // "At for" is four only where a time ends the phrase.
        { "friday at for the kids", "en check_availability 2025-01-17 -" },
        { "what about 12", "en check_availability - 12:00" },
        { "how about 1", "en check_availability - 13:00 ~" },
        // "What about" before a count of days is no time.
        { "what about 3 days from now", "en check_availability 2025-01-18 -" },
    };

    public static TheoryData<string, string> RangesPeriodsAndCorrections => new()
    {
        { "anything 2 to 5 on the 23rd", "en check_availability 2025-01-23 - range:14:00-17:00~" },
        { "mon or tue next week?", "en check_availability - - span:2025-01-20..2025-01-21" },
        // Spanish offers the two days as alternatives (asked which), English as a span to list.
        { "el miércoles o el jueves de la semana que viene", "es check_availability - - either:2025-01-22 -|2025-01-23 -" },
        { "not friday, the day after, at 11", "en check_availability 2025-01-18 11:00 ~ not:2025-01-17" },
        { "mañana no, el día siguiente a las 9", "es check_availability 2025-01-17 09:00 ~ not:2025-01-16" },
        { "that's a bit early for me. 11?", "en check_availability - 11:00 ~" },
        { "earlier that day, like 10?", "en check_availability - 10:00 ~" },
    };

    public static TheoryData<string, string> Picks => new()
    {
        { "the later one pls", "en other - - pick:later" },
        { "ok the earlier one then", "en other - - pick:earlier" },
        // "Temprano" also reads as the morning; the pick is what the dialogue answers first.
        { "la más temprano", "es check_availability - - morning pick:earlier" },
        { "the very first", "en other - - pick:1" },
        { "the very last one", "en other - - pick:-1" },
        { "the tuesday one", "en check_availability 2025-01-21 - pick:day" },
        { "el del martes", "es check_availability 2025-01-21 - pick:day" },
        { "la del viernes porfa", "es check_availability 2025-01-17 - pick:day" },
        { "wednesday works for me", "en check_availability 2025-01-22 - pick:day" },
        { "twelve", "en other - - pick@12:00" },
        { "las once", "es check_availability - 11:00 ~ pick@11:00~" },
        { "11 is fine for me", "en other - - pick@11:00~" },
        { "el dos", "es other - -" },
    };

    public static TheoryData<string, string> IntentsAndYesNo => new()
    {
        { "that would be great, thanks", "en confirm - -" },
        { "Yes that'd be lovely thank you", "en confirm - -" },
        { "guay", "es confirm - -" },
        { "guay gracias", "es thanks - -" },
        { "umm no, actually", "en decline - -" },
        { "hmm no", "en decline - -" },
        { "oh no", "en other - -" },
        { "oops sorry wrong chat", "en other - -" },
        { "what time did i book?", "en my_appointment - -" },
        { "which day did we book", "en my_appointment - -" },
        { "¿me recuerdas a qué hora quedó?", "es my_appointment - -" },
        { "me confirma para cuándo quedó", "es my_appointment - -" },
        { "fíjese que no voy a poder, cancélelo por favor", "es cancel - -" },
    };

    [Theory] [MemberData(nameof(ApproximateAndShorthandHours))] public void Approximate_and_shorthand_hours(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(NonNativeAndVoiceHours))] public void Non_native_and_voice_hours(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(RangesPeriodsAndCorrections))] public void Ranges_periods_and_corrections(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(Picks))] public void Picks_by_order_weekday_and_word(string text, string expected) => Check(text, expected);
    [Theory] [MemberData(nameof(IntentsAndYesNo))] public void Intents_and_yes_or_no(string text, string expected) => Check(text, expected);

    private static void Check(string text, string expected)
    {
        var language = expected.StartsWith("en", StringComparison.Ordinal) ? Language.English : Language.Spanish;
        var now = Wednesday.InZone(DateTimeZoneProviders.Tzdb["America/Argentina/Buenos_Aires"]);
        Assert.Equal(expected, UnderstandingPartsTableTests.Describe(MessageUnderstanding.Understand(text, now, language)));
    }
}
