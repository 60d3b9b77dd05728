using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant.Tests;

/// <summary>The readers' rules one by one: how spans resolve on any day of the week, what a pick or a move reads, the contract's invariants.</summary>
public class UnderstandingPartsTests
{
    private static LocalDate Day(string iso) => new(int.Parse(iso[..4], null), int.Parse(iso[5..7], null), int.Parse(iso[8..], null));

    private static string Show((LocalDate First, LocalDate Last)? span) =>
        span is { } s ? $"{s.First.ToString("yyyy-MM-dd", null)}..{s.Last.ToString("yyyy-MM-dd", null)}" : "-";

    [Theory]
    [InlineData("2025-01-15", "2025-02-15")]
    [InlineData("2025-01-31", "2025-02-28")] // a month after the 31st stays inside February (NodaTime), never March
    [InlineData("2024-01-30", "2024-02-29")]
    [InlineData("2025-12-20", "2026-01-20")]
    public void A_month_from_today_is_the_same_day_next_month_or_that_months_last(string today, string expected) =>
        Assert.Equal(Day(expected), new RelativeMonths(1).Resolve(Day(today)));

    [Theory]
    [InlineData("2025-01-15", 3, "2025-02-03")]
    [InlineData("2025-01-15", 31, null)] // "el mes que viene el 31" said in January: February has none, asked back
    [InlineData("2025-12-15", 3, "2026-01-03")]
    public void A_day_of_next_month_is_that_day_or_none(string today, int day, string? expected) =>
        Assert.Equal(expected is null ? null : Day(expected), new DayInMonth(new MonthSpan(null, 1, PeriodPart.Whole), day).Resolve(Day(today)));

    [Theory]
    [InlineData("2025-01-15", false, "2025-01-18..2025-01-19")] // Wednesday: the coming weekend
    [InlineData("2025-01-18", false, "2025-01-18..2025-01-19")] // Saturday: this weekend is today and tomorrow
    [InlineData("2025-01-19", false, "2025-01-19..2025-01-19")] // Sunday: only today is left
    [InlineData("2025-01-15", true, "2025-01-18..2025-01-19")] // Wednesday: "next weekend" is the coming one
    [InlineData("2025-01-18", true, "2025-01-25..2025-01-26")] // Saturday: the following one
    [InlineData("2025-01-19", true, "2025-01-25..2025-01-26")]
    public void A_weekend_is_the_coming_one(string today, bool next, string expected) =>
        Assert.Equal(expected, Show(new WeekendSpan(next).Resolve(Day(today))));

    [Theory]
    [InlineData("2025-01-19", 0, "2025-01-19..2025-01-19")] // "esta semana" said on a Sunday: today
    [InlineData("2025-01-19", 1, "2025-01-20..2025-01-26")]
    [InlineData("2025-01-20", 1, "2025-01-27..2025-02-02")] // said on a Monday: the week after this one
    [InlineData("2025-01-15", 2, "2025-01-27..2025-02-02")]
    [InlineData("2025-01-17", 0, "-", PeriodPart.Beginning)] // "early this week" on a Friday: no day left
    [InlineData("2025-01-15", 0, "2025-01-15..2025-01-16", PeriodPart.Middle)]
    public void A_week_runs_monday_to_sunday_from_today_on(string today, int weeks, string expected, PeriodPart part = PeriodPart.Whole) =>
        Assert.Equal(expected, Show(new WeekSpan(weeks, part).Resolve(Day(today))));

    [Theory]
    [InlineData("2025-01-15", null, 0, PeriodPart.Beginning, "2025-02-01..2025-02-10")] // passed this month: next month's
    [InlineData("2025-01-15", null, 0, PeriodPart.Middle, "2025-01-15..2025-01-20")] // under way: from today
    [InlineData("2025-01-15", 1, 0, PeriodPart.Whole, "2025-01-15..2025-01-31")] // "en enero" in January: the rest of it
    [InlineData("2025-01-25", 1, 0, PeriodPart.Middle, "2026-01-11..2026-01-20")] // a named part that passed: next year's
    [InlineData("2025-03-15", 2, 0, PeriodPart.End, "2026-02-22..2026-02-28")]
    [InlineData("2024-01-31", null, 1, PeriodPart.End, "2024-02-23..2024-02-29")] // leap year: its last 7 days
    public void A_month_part_is_the_next_one_to_come(string today, int? month, int ahead, PeriodPart part, string expected) =>
        Assert.Equal(expected, Show(new MonthSpan(month, ahead, part).Resolve(Day(today))));

    [Theory]
    [InlineData("2025-01-19", 1, IsoDayOfWeek.Tuesday, "2025-01-21")] // Sunday: next week's Tuesday is in two days
    [InlineData("2025-01-15", 2, IsoDayOfWeek.Tuesday, "2025-01-28")]
    [InlineData("2025-01-15", 0, IsoDayOfWeek.Monday, "2025-01-13")] // this week's Monday has passed: the dialogue says so
    public void A_weekday_in_a_week_is_that_week_s(string today, int weeks, IsoDayOfWeek day, string expected) =>
        Assert.Equal(expected, new WeekdayInWeeks(weeks, day).Resolve(Day(today))?.ToString("yyyy-MM-dd", null));

    [Fact]
    public void A_month_on_is_the_same_day_or_the_month_s_last() =>
        Assert.Equal(new LocalDate(2025, 2, 28), new RelativeMonths(1).Resolve(new LocalDate(2025, 1, 31)));

    [Theory]
    [InlineData("el primero", 1)]
    [InlineData("la segunda", 2)]
    [InlineData("the first one", 1)]
    [InlineData("la segunda opción", 2)]
    [InlineData("option 3", 3)]
    [InlineData("el último", MessageParser.LastOrdinal)]
    [InlineData("the last one", MessageParser.LastOrdinal)]
    [InlineData("la penúltima", null)]
    [InlineData("la de las 11", null)]
    [InlineData("el primero de febrero", null)]
    [InlineData("quiero el turno", null)]
    public void Ordinal_keeps_answering_the_dialogue_s_position_question(string text, int? expected) =>
        Assert.Equal(expected, MessageParser.Ordinal(text));

    [Fact]
    public void A_pick_second_to_last_counts_from_the_end() =>
        Assert.Equal(new SelectionByPosition(2, FromEnd: true), MessageParser.Parse("la penúltima").Selection);

    [Theory]
    [InlineData("move my appointment from 3pm to 5pm", "15:00", "17:00")]
    [InlineData("cambiar mi turno de las 10 a las 12", "10:00", "12:00")]
    public void A_move_from_one_time_to_another_reads_both(string text, string movedTime, string newTime)
    {
        var parsed = MessageParser.Parse(text);
        Assert.Equal((Intent.Reschedule, movedTime, newTime, (TimeRange?)null),
            (parsed.Intent, parsed.MovedTime?.ToString("HH:mm", null), parsed.Time?.ToString("HH:mm", null), parsed.Range));
    }

    [Theory]
    [InlineData("🙂🙂 🗓️👍", Intent.Other)]
    [InlineData("👍🏽", Intent.Confirm)]
    [InlineData("👍 👍", Intent.Confirm)]
    [InlineData("si llueve, ¿abren?", Intent.Help)]
    [InlineData("sale caro?", Intent.Other)]
    [InlineData("claro que no", Intent.Other)]
    [InlineData("great thanks", Intent.Thanks)]
    [InlineData("bueno", Intent.Other)]
    [InlineData("¿puede ser más tarde?", Intent.Other)]
    [InlineData("of course, but not tomorrow", Intent.Decline)]
    public void A_yes_is_only_ever_explicit(string text, Intent expected) => Assert.Equal(expected, MessageParser.Parse(text).Intent);

    public static TheoryData<string> EveryTableRow()
    {
        var rows = new TheoryData<string>();
        foreach (var table in new[]
                 {
                     UnderstandingPartsTableTests.Corrections, UnderstandingPartsTableTests.Offsets, UnderstandingPartsTableTests.Ranges,
                     UnderstandingPartsTableTests.Spans, UnderstandingPartsTableTests.Selections, UnderstandingPartsTableTests.MoveFollowUps,
                     UnderstandingPartsTableTests.ShortForms, UnderstandingPartsTableTests.YesAndNo, UnderstandingPartsTableTests.VoiceToText,
                 })
        {
            foreach (var row in table) rows.Add(row.Data.Item1);
        }
        return rows;
    }

    /// <summary>The contract: a range stands instead of a time, a span instead of a day, and what is ruled out is never what is asked.</summary>
    [Theory]
    [MemberData(nameof(EveryTableRow))]
    public void A_range_replaces_the_time_a_span_the_day_and_a_ruled_out_day_is_not_the_asked_one(string text)
    {
        var parsed = MessageParser.Parse(text);
        var now = Instant.FromUtc(2025, 1, 15, 13, 0).InZone(DateTimeZoneProviders.Tzdb["America/Argentina/Buenos_Aires"]);
        var understood = MessageUnderstanding.Resolve(parsed, now, Language.Spanish);
        Assert.False(parsed.Range is not null && parsed.Time is not null);
        Assert.False(parsed.Span is not null && parsed.Date is not null);
        Assert.False(understood.RuledOutDate is not null && understood.RuledOutDate == understood.Date);
        Assert.False(understood.RuledOutTime is not null && understood.RuledOutTime == understood.Time);
    }

    [Theory]
    [InlineData("tmrw", "tomorrow")]
    [InlineData("2moro at 3", "tomorrow at 3")]
    [InlineData("x la tarde q tienen", "por la tarde que tienen")]
    [InlineData("mie o vie", "miercoles o viernes")]
    [InlineData("to morrow", "tomorrow")]
    [InlineData("medio dia", "mediodia")]
    [InlineData("pasado ma ñana", "pasado manana")]
    [InlineData("este finde", "este fin de semana")]
    [InlineData("siii dale", "si dale")]
    [InlineData("pls", "please")]
    [InlineData("mi hermana viene", "mi hermana viene")]
    [InlineData("me llamo dom", "me llamo dom")]
    public void Shorthand_is_written_out(string typed, string expected) =>
        Assert.Equal(expected, Shorthand.Expand(TextNormalizer.Normalize(typed)));
}
