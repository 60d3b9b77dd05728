using CalendarConnect.Assistant;
using CalendarConnect.AssistantEvaluation.Corpus;
using CalendarConnect.AssistantEvaluation.Reporting;
using CalendarConnect.AssistantEvaluation.Running;

namespace CalendarConnect.AssistantEvaluation.Tests;

/// <summary>The judge's verdict on single replies, and the report on a corpus without cases (no assistant is hosted).</summary>
public sealed class JudgeAndReportTests
{
    private static readonly CalendarChange Nothing = new([], [], []);

    private static AssistantReply Reply(string text, string? date, string? time, bool? available, params string[] offered) =>
        new(text, "es", available is null ? "reschedule" : "check_availability", date, time, available, [], offered);

    [Fact]
    public void A_busy_answer_about_another_day_is_a_wrong_date_even_where_asking_is_allowed()
    {
        var judged = TurnJudge.Judge(Expectation.Parse("propose-move 2025-01-24 11:00 or ask"), "es",
            Reply("Lo siento, las 11:00 del viernes 17 de enero no están disponibles. ¿Te sirve alguno?", "2025-01-17", "11:00", false,
                "2025-01-17T09:00", "2025-01-17T12:00"), Nothing);

        Assert.Equal(Verdict.Wrong, judged.Verdict);
        Assert.True(judged.WrongSlot);
    }

    [Fact]
    public void A_busy_answer_about_the_time_asked_is_wrong_but_no_wrong_date()
    {
        var judged = TurnJudge.Judge(Expectation.Parse("propose 2025-01-24 11:00"), "es",
            Reply("Lo siento, las 11:00 del viernes 24 de enero no están disponibles. ¿Te sirve alguno?", "2025-01-24", "11:00", false), Nothing);

        Assert.Equal(Verdict.Wrong, judged.Verdict);
        Assert.False(judged.WrongSlot);
    }

    [Fact]
    public void A_question_back_that_claims_no_time_is_an_acceptable_clarification()
    {
        var judged = TurnJudge.Judge(Expectation.Parse("propose-move 2025-01-24 11:00 or ask"), "es",
            Reply("¿Te refieres al viernes 17 de enero o al viernes 24 de enero?", null, "11:00", null), Nothing);

        Assert.Equal(Verdict.AcceptableClarification, judged.Verdict);
        Assert.False(judged.WrongSlot);
    }

    [Fact]
    public void A_question_listing_times_outside_the_period_asked_is_wrong_even_where_asking_is_allowed()
    {
        // "End of the month": times from Tuesday 21 are not the end of the month, whatever question follows them.
        var judged = TurnJudge.Judge(Expectation.Parse("list 2025-01-27..2025-01-31 or ask"), "es",
            Reply("Tengo libre el martes 21 a las 09:00 y el miércoles 22 a las 10:00. ¿Cuál preferís?", null, null, false,
                "2025-01-21T09:00", "2025-01-22T10:00"), Nothing);

        Assert.Equal(Verdict.Wrong, judged.Verdict);
    }

    [Fact]
    public void A_question_listing_times_inside_the_period_asked_is_right()
    {
        var judged = TurnJudge.Judge(Expectation.Parse("list 2025-01-27..2025-01-31 or ask"), "es",
            Reply("Tengo libre el lunes 27 a las 09:00 y el martes 28 a las 10:00. ¿Cuál preferís?", null, null, false,
                "2025-01-27T09:00", "2025-01-28T10:00"), Nothing);

        Assert.Equal(Verdict.Correct, judged.Verdict);
    }

    [Fact]
    public void A_question_offering_times_on_the_day_asked_is_an_acceptable_clarification()
    {
        var judged = TurnJudge.Judge(Expectation.Parse("propose 2025-01-24 11:00 or ask"), "es",
            Reply("El viernes 24 tengo libre a las 10:00 y a las 11:00. ¿Cuál te queda mejor?", "2025-01-24", null, null,
                "2025-01-24T10:00", "2025-01-24T11:00"), Nothing);

        Assert.Equal(Verdict.AcceptableClarification, judged.Verdict);
    }

    [Fact]
    public void An_empty_corpus_is_reported_as_such()
    {
        using var output = new StringWriter();

        new EvaluationReport("rules", []).Print(output);

        Assert.Contains("The corpus holds no cases", output.ToString(), StringComparison.Ordinal);
    }
}
