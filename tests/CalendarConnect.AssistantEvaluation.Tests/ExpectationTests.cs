using CalendarConnect.AssistantEvaluation.Corpus;
using NodaTime;

namespace CalendarConnect.AssistantEvaluation.Tests;

public sealed class ExpectationTests
{
    [Theory]
    [InlineData("propose 2025-01-16 15:00")]
    [InlineData("busy 2025-01-16 15:00 or ask")]
    [InlineData("list 2025-01-16")]
    [InlineData("list 2025-01-20..2025-01-26 within 09:00-12:00 or ask")]
    [InlineData("my-appointment none")]
    [InlineData("confirm-cancel 2025-01-16 10:00")]
    [InlineData("not-understood")]
    public void Reads_and_writes_the_vocabulary(string text) => Assert.Equal(text, Expectation.Parse(text).ToString());

    [Fact]
    public void A_list_keeps_its_days_and_hours()
    {
        var list = Expectation.Parse("list 2025-01-20..2025-01-26 within 09:00-12:00");

        Assert.Equal(new Expectation(Outcome.List, new LocalDate(2025, 1, 20), null, new LocalDate(2025, 1, 26), new LocalTime(9, 0), new LocalTime(12, 0)), list);
    }

    [Theory]
    [InlineData("propose 2025-01-16")]
    [InlineData("proposes 2025-01-16 15:00")]
    [InlineData("list 2025-01-26..2025-01-20")]
    [InlineData("list 2025-01-20 within 12:00-09:00")]
    [InlineData("greeting 2025-01-16")]
    [InlineData("ask or ask")]
    [InlineData("booked 2025-02-30 10:00")]
    public void Refuses_what_is_not_in_it(string text) => Assert.Throws<FormatException>(() => Expectation.Parse(text));

    [Fact]
    public void The_reader_names_the_line_of_a_mistake()
    {
        var error = Assert.Throws<FormatException>(() => CorpusReader.Parse(["# a comment", "", "a-1 | en | x | hi | greeting", "a-2 | en | x | hi | greet"]));

        Assert.StartsWith("Line 4:", error.Message);
    }

    [Fact]
    public void Continuation_lines_make_a_script_and_the_marker_its_failing_message()
    {
        var cases = CorpusReader.Parse(["s-1 | es-AR | follow-up | mañana a las 10 | propose 2025-01-16 10:00", "| | | dale | name # gap", "s-2 | en | small-talk | hi | greeting"]);

        Assert.Equal(2, cases.Count);
        Assert.Equal(2, cases[0].Turns.Count);
        Assert.Equal(1, cases[0].GapTurn);
        Assert.Equal("es", cases[0].Language);
        Assert.Null(cases[1].GapTurn);
    }

    [Fact]
    public void An_id_is_used_once()
    {
        Assert.Throws<FormatException>(() => CorpusReader.Parse(["a | en | x | hi | greeting", "a | en | x | hello | greeting"]));
    }
}
