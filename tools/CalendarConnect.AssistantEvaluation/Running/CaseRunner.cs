using System.Diagnostics;
using CalendarConnect.Assistant;
using CalendarConnect.AssistantEvaluation.Corpus;

namespace CalendarConnect.AssistantEvaluation.Running;

/// <summary>One message as sent and judged.</summary>
public sealed record TurnResult(CorpusTurn Turn, int Index, TurnVerdict Judged, TimeSpan Latency);

/// <summary>
/// A case's outcome. A script stops at its first message that is not correct: after it the conversation is somewhere
/// else than the script assumes, so that message decides the case.
/// </summary>
public sealed record CaseResult(CorpusCase Case, IReadOnlyList<TurnResult> Turns)
{
    public TurnResult? FirstMiss => Turns.FirstOrDefault(t => t.Judged.Verdict != Verdict.Correct);

    public Verdict Verdict => FirstMiss?.Judged.Verdict ?? Verdict.Correct;

    public bool WrongSlot => FirstMiss?.Judged.WrongSlot ?? false;

    /// <summary>Correct or an acceptable clarification: what the bar counts as right.</summary>
    public bool Right => Verdict != Verdict.Wrong;

    /// <summary>
    /// Whether the case's <c># gap</c> marker tells the truth: a marked case goes wrong exactly at the marked message,
    /// an unmarked one does not go wrong.
    /// </summary>
    public bool MarkerHolds => Case.GapTurn is { } gap ? Verdict == Verdict.Wrong && FirstMiss!.Index == gap : Right;
}

/// <summary>Replays one case in a new conversation and puts the calendar back as the scenario has it afterwards.</summary>
public sealed class CaseRunner(EvaluatedSystem system)
{
    public async Task<CaseResult> RunAsync(CorpusCase corpusCase, CancellationToken cancellationToken = default)
    {
        // A new conversation each run, even when a case is run twice on one system.
        var conversation = $"corpus-{corpusCase.Id}-{Guid.NewGuid():N}";
        var results = new List<TurnResult>();
        try
        {
            var before = await system.Calendar.EventsAsync();
            for (var i = 0; i < corpusCase.Turns.Count; i++)
            {
                var turn = corpusCase.Turns[i];
                var clock = Stopwatch.StartNew();
                AssistantReply reply;
                try
                {
                    reply = await system.Assistant.ReplyAsync(Scenario.CustomerId, conversation, turn.Utterance, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Every message must be answered: a throw is this message's wrong answer, and the run goes on.
                    results.Add(new TurnResult(turn, i, new TurnVerdict(Verdict.Wrong, false, $"no answer: {e.GetType().Name}"), clock.Elapsed));
                    break;
                }
                var latency = clock.Elapsed;
                var after = await system.Calendar.EventsAsync();
                var judged = TurnJudge.Judge(turn.Expected, corpusCase.Language, reply, CalendarChange.Between(before, after));
                results.Add(new TurnResult(turn, i, judged, latency));
                if (judged.Verdict != Verdict.Correct) break;
                before = after;
            }
        }
        finally
        {
            await system.Calendar.RestoreAsync();
        }
        return new CaseResult(corpusCase, results);
    }
}
