using CalendarConnect.AssistantEvaluation.Corpus;
using CalendarConnect.AssistantEvaluation.Reporting;
using CalendarConnect.AssistantEvaluation.Running;
using Microsoft.Extensions.Options;

namespace CalendarConnect.AssistantEvaluation;

/// <summary>
/// <c>./scripts/evaluate-assistant.sh [--corpus FILE]</c>: replays the corpus through the assistant (the LLM mode when
/// <c>ASSISTANT_LLM_ENDPOINT</c> is set, the rules otherwise) and prints the report. Exit code 0 when every case ran,
/// whatever the figures; 2 for a bad argument, corpus or setting, with one line saying which.
/// </summary>
public static class EvaluationCommand
{
    public const string Usage = """
        Usage: ./scripts/evaluate-assistant.sh [--corpus FILE] [--update-gap-markers]
          Replays the assistant corpus (tools/CalendarConnect.AssistantEvaluation/Corpus/assistant-corpus.txt), one new
          conversation per case, against the MCP server and the Google emulator hosted in this process at the corpus's
          fixed clock, and prints accuracy per language and category, the latency per message and the wrong cases.
          With ASSISTANT_LLM_ENDPOINT (and ASSISTANT_LLM_MODEL, ASSISTANT_LLM_API_KEY, ASSISTANT_LLM_TIMEOUT_SECONDS) set,
          the LLM mode is evaluated instead of the rules.
          --update-gap-markers rewrites the corpus's '# gap' markers to what this run found (rule mode only): the
          corpus's diff then shows the cases fixed (marker gone) and broken (marker added).
        """;

    /// <param name="environment">Where the ASSISTANT_LLM_* settings are read from (the process's environment in <see cref="Program"/>).</param>
    public static async Task<int> RunAsync(string[] args, IReadOnlyDictionary<string, string?> environment, TextWriter output, TextWriter errors)
    {
        var corpusPath = CorpusReader.DefaultPath;
        var updateMarkers = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--corpus" when i + 1 < args.Length:
                    corpusPath = args[++i];
                    break;
                case "--update-gap-markers":
                    updateMarkers = true;
                    break;
                case "--help" or "-h":
                    output.WriteLine(Usage);
                    return 0;
                default:
                    errors.WriteLine($"Unknown argument '{args[i]}'.");
                    errors.WriteLine(Usage);
                    return 2;
            }
        }

        IReadOnlyList<CorpusCase> cases;
        try
        {
            cases = CorpusReader.Read(corpusPath);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"The corpus {corpusPath} cannot be used: {e.Message}");
            return 2;
        }

        EvaluatedSystem system;
        try
        {
            system = await EvaluatedSystem.StartAsync(environment);
        }
        catch (OptionsValidationException e)
        {
            errors.WriteLine(e.Message);
            return 2;
        }

        await using (system)
        {
            // The markers describe the rules; a model's answers vary from run to run and would rewrite them at random.
            if (updateMarkers && system.Mode != EvaluatedSystem.RulesMode)
            {
                errors.WriteLine("--update-gap-markers describes the rule mode; unset ASSISTANT_LLM_ENDPOINT to update the markers.");
                return 2;
            }

            var runner = new CaseRunner(system);
            var results = new List<CaseResult>(cases.Count);
            foreach (var corpusCase in cases) results.Add(await runner.RunAsync(corpusCase));
            new EvaluationReport(system.Mode, results).Print(output);
            if (updateMarkers)
                output.WriteLine($"Updated the '# gap' markers of {GapMarkers.Update(corpusPath, results)} cases in {corpusPath}.");
        }
        return 0;
    }
}
