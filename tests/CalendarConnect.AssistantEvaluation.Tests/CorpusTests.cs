using CalendarConnect.AssistantEvaluation.Corpus;
using CalendarConnect.AssistantEvaluation.Running;

namespace CalendarConnect.AssistantEvaluation.Tests;

/// <summary>
/// Every case of Corpus/assistant-corpus.txt through the real assistant, MCP server and Google emulator. An unmarked
/// case must come out correct or acceptably clarified; a case marked <c># gap</c> must still go wrong exactly at the
/// marked message, so a case fixed by a change to the assistant fails here until its marker is removed.
/// </summary>
public sealed class CorpusTests(CorpusSystem system)
{
    public static TheoryData<string> CaseIds => new(CorpusSystem.Cases.Select(c => c.Id));

    [Theory]
    [MemberData(nameof(CaseIds))]
    public async Task Case(string id)
    {
        var corpusCase = CorpusSystem.Cases.Single(c => c.Id == id);

        var result = await system.Runner.RunAsync(corpusCase, TestContext.Current.CancellationToken);

        Assert.True(result.MarkerHolds, Explain(result));
    }

    private static string Explain(CaseResult result)
    {
        var miss = result.FirstMiss;
        var what = miss is null
            ? "every message came out correct"
            : $"message {miss.Index + 1} (line {miss.Turn.Line}) \"{miss.Turn.Utterance}\" came out {miss.Judged.Verdict}{(miss.Judged.WrongSlot ? " at a wrong date/time" : "")}: expected {miss.Turn.Expected}, got {miss.Judged.Got}";
        return result.Case.GapTurn is { } gap
            ? $"{result.Case.Id} is marked '# gap' at line {result.Case.Turns[gap].Line}, but {what}. " +
              (result.Right ? "It is right now: remove the marker." : "Move the marker to the message that goes wrong.")
            : $"{result.Case.Id}: {what}.";
    }
}
