using CalendarConnect.AssistantEvaluation.Corpus;

namespace CalendarConnect.AssistantEvaluation.Tests;

/// <summary>The evaluation command's entry point, as ./scripts/evaluate-assistant.sh runs it, once over the whole corpus.</summary>
public sealed class EvaluationCommandTests
{
    private static readonly IReadOnlyDictionary<string, string?> NoLlm = new Dictionary<string, string?>();

    [Fact]
    public async Task It_replays_the_corpus_and_reports_every_language_category_and_wrong_case()
    {
        var output = new StringWriter();
        var errors = new StringWriter();

        var exit = await EvaluationCommand.RunAsync([], NoLlm, output, errors);

        Assert.Equal(0, exit);
        Assert.Equal("", errors.ToString());
        var report = output.ToString();
        var cases = CorpusSystem.Cases;
        Assert.StartsWith($"Assistant evaluation, rules mode: {cases.Count} cases", report);
        foreach (var row in CorpusVariants.All.Append("overall").Append("multi-turn").Concat(cases.Select(c => c.Category).Distinct()))
            Assert.Matches($@"(?m)^{System.Text.RegularExpressions.Regex.Escape(row)} +\d+ +\d+ \(", report);
        Assert.Matches(@"(?m)^Latency per message: p50 \d+\.\d ms, p95 \d+\.\d ms \(\d+ messages\)$", report);
        // The markers tell the truth, so the wrong cases are exactly the marked ones, each listed with what it got.
        var marked = cases.Where(c => c.GapTurn is not null).ToList();
        Assert.Contains($"Wrong cases ({marked.Count}):", report);
        Assert.All(marked, c => Assert.Contains($"  {c.Id} [", report));
        Assert.Contains("'# gap' markers to update: 0", report);
    }

    [Fact]
    public async Task Gap_markers_are_rewritten_to_what_the_run_found_and_nothing_else_changes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"corpus-{Guid.NewGuid():N}.txt");
        string[] corpus =
        [
            "# a header the update keeps",
            "fixed  | en    | small-talk   | hi                 | greeting # gap",
            "broken | es-AR | weekday-time | el jueves a las 10 | propose 2025-01-16 10:00",
            "       |       |              | dale               | booked 2025-01-16 10:00",
            "kept   | en    | small-talk   | hello              | greeting",
            "       |       |              | thanks             | help # gap",
        ];
        await File.WriteAllLinesAsync(path, corpus, TestContext.Current.CancellationToken);
        var output = new StringWriter();
        try
        {
            var exit = await EvaluationCommand.RunAsync(["--corpus", path, "--update-gap-markers"], NoLlm, output, TextWriter.Null);

            Assert.Equal(0, exit);
            Assert.Contains("Updated the '# gap' markers of 2 cases", output.ToString());
            // "dale" asks for the name (nothing is booked without one): the script goes wrong there, and is marked there.
            Assert.Equal(
            [
                corpus[0],
                "fixed  | en    | small-talk   | hi                 | greeting",
                corpus[2],
                "       |       |              | dale               | booked 2025-01-16 10:00 # gap",
                corpus[4],
                corpus[5],
            ], await File.ReadAllLinesAsync(path, TestContext.Current.CancellationToken));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task An_unknown_argument_is_refused_with_the_usage()
    {
        var errors = new StringWriter();

        var exit = await EvaluationCommand.RunAsync(["--fast"], NoLlm, TextWriter.Null, errors);

        Assert.Equal(2, exit);
        Assert.Contains("Unknown argument '--fast'", errors.ToString());
        Assert.Contains("Usage: ./scripts/evaluate-assistant.sh", errors.ToString());
    }

    [Fact]
    public async Task A_malformed_corpus_is_refused_with_its_line()
    {
        var path = Path.Combine(Path.GetTempPath(), $"corpus-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(path, ["x-1 | en | small-talk | hi | hello"], TestContext.Current.CancellationToken);
        var errors = new StringWriter();
        try
        {
            var exit = await EvaluationCommand.RunAsync(["--corpus", path], NoLlm, TextWriter.Null, errors);

            Assert.Equal(2, exit);
            Assert.Contains("Line 1:", errors.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task With_an_llm_endpoint_the_llm_mode_is_evaluated_and_the_rules_answer_when_it_fails()
    {
        var path = Path.Combine(Path.GetTempPath(), $"corpus-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(path,
        [
            "l-1 | en    | weekday-time | thursday at 10am | propose 2025-01-16 10:00",
            "    |       |              | yes              | name",
            "l-2 | es-AR | small-talk   | hola             | greeting",
        ], TestContext.Current.CancellationToken);
        // Nothing listens on port 9: every model request fails at once, so the rules answer each message (README, "Optional LLM mode").
        var llm = new Dictionary<string, string?> { ["ASSISTANT_LLM_ENDPOINT"] = "http://127.0.0.1:9/v1", ["ASSISTANT_LLM_MODEL"] = "stand-in" };
        var output = new StringWriter();
        try
        {
            var exit = await EvaluationCommand.RunAsync(["--corpus", path], llm, output, TextWriter.Null);

            Assert.Equal(0, exit);
            Assert.StartsWith("Assistant evaluation, LLM (stand-in) mode: 2 cases, 3 messages sent", output.ToString());
            Assert.Matches(@"(?m)^overall +2 +2 \(100\.0 %\)", output.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task An_llm_endpoint_without_a_model_is_refused_by_name()
    {
        var errors = new StringWriter();

        var exit = await EvaluationCommand.RunAsync([], new Dictionary<string, string?> { ["ASSISTANT_LLM_ENDPOINT"] = "http://127.0.0.1:9/v1" }, TextWriter.Null, errors);

        Assert.Equal(2, exit);
        Assert.Contains("ASSISTANT_LLM_MODEL", errors.ToString());
    }
}
