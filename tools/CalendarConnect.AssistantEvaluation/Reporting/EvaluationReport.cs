using System.Globalization;
using CalendarConnect.AssistantEvaluation.Corpus;
using CalendarConnect.AssistantEvaluation.Running;

namespace CalendarConnect.AssistantEvaluation.Reporting;

/// <summary>Counts of one group of cases (a language, a category, all).</summary>
public sealed record Tally(string Group, int Cases, int Correct, int Clarified, int Wrong, int WrongSlot)
{
    public static Tally Of(string group, IReadOnlyCollection<CaseResult> results) => new(group, results.Count,
        results.Count(r => r.Verdict == Verdict.Correct), results.Count(r => r.Verdict == Verdict.AcceptableClarification),
        results.Count(r => r.Verdict == Verdict.Wrong), results.Count(r => r.WrongSlot));
}

/// <summary>The evaluation's figures over a whole corpus run, and their printout.</summary>
public sealed class EvaluationReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public EvaluationReport(string mode, IReadOnlyList<CaseResult> results)
    {
        Mode = mode;
        Results = results;
        Overall = Tally.Of("overall", results);
        ByLanguage = CorpusVariants.All.Select(v => Tally.Of(v, results.Where(r => r.Case.Variant == v).ToList()))
            .Append(Tally.Of("es (all)", results.Where(r => r.Case.Language == "es").ToList()))
            .Append(Tally.Of("single message", results.Where(r => !r.Case.MultiTurn).ToList()))
            .Append(Tally.Of("multi-turn", results.Where(r => r.Case.MultiTurn).ToList()))
            .ToList();
        ByCategory = results.GroupBy(r => r.Case.Category).Select(g => Tally.Of(g.Key, g.ToList()))
            .OrderByDescending(t => (double)t.Wrong / t.Cases).ThenBy(t => t.Group, StringComparer.Ordinal).ToList();
        var latencies = results.SelectMany(r => r.Turns).Select(t => t.Latency).Order().ToList();
        Messages = latencies.Count;
        P50 = Percentile(latencies, 0.50);
        P95 = Percentile(latencies, 0.95);
    }

    public string Mode { get; }
    public IReadOnlyList<CaseResult> Results { get; }
    public Tally Overall { get; }
    public IReadOnlyList<Tally> ByLanguage { get; }
    /// <summary>The categories, the most often wrong first.</summary>
    public IReadOnlyList<Tally> ByCategory { get; }
    /// <summary>Messages sent (a script stops at its first miss, so fewer than the corpus holds when some go wrong).</summary>
    public int Messages { get; }
    public TimeSpan P50 { get; }
    public TimeSpan P95 { get; }
    public IReadOnlyList<CaseResult> Wrong => Results.Where(r => r.Verdict == Verdict.Wrong).ToList();
    /// <summary>Cases whose <c># gap</c> marker no longer tells the truth (see <see cref="CaseResult.MarkerHolds"/>).</summary>
    public IReadOnlyList<CaseResult> MarkersToUpdate => Results.Where(r => !r.MarkerHolds).ToList();

    public void Print(TextWriter output)
    {
        output.WriteLine($"Assistant evaluation, {Mode} mode: {Results.Count} cases, {Messages} messages sent, at {Expectation.Iso(Scenario.LocalNow.Date)} {Expectation.Hhmm(Scenario.LocalNow.TimeOfDay)} in {Scenario.TimeZone}");
        output.WriteLine();
        if (Results.Count == 0)
        {
            output.WriteLine("The corpus holds no cases: there is nothing to report. A case is a line 'id | variant | category | message | expected'.");
            return;
        }
        PrintTable(output, "by language", [Overall, .. ByLanguage]);
        output.WriteLine();
        PrintTable(output, "by category (most wrong first)", ByCategory);
        output.WriteLine();
        output.WriteLine(string.Create(Invariant, $"Latency per message: p50 {P50.TotalMilliseconds:0.0} ms, p95 {P95.TotalMilliseconds:0.0} ms ({Messages} messages)"));
        output.WriteLine();
        var wrong = Wrong;
        output.WriteLine($"Wrong cases ({wrong.Count}):");
        foreach (var result in wrong)
        {
            var miss = result.FirstMiss!;
            output.WriteLine($"  {result.Case.Id} [{result.Case.Variant}, {result.Case.Category}{(result.Case.MultiTurn ? $", message {miss.Index + 1} of {result.Case.Turns.Count}" : "")}]{(result.WrongSlot ? " WRONG DATE/TIME" : "")}");
            output.WriteLine($"    said:     {miss.Turn.Utterance}");
            output.WriteLine($"    expected: {miss.Turn.Expected}");
            output.WriteLine($"    got:      {miss.Judged.Got}");
        }
        var clarified = Results.Where(r => r.Verdict == Verdict.AcceptableClarification).ToList();
        output.WriteLine();
        output.WriteLine($"Acceptable clarifications ({clarified.Count}):");
        foreach (var result in clarified)
            output.WriteLine($"  {result.Case.Id} [{result.Case.Variant}, {result.Case.Category}] {result.FirstMiss!.Turn.Utterance} -> {result.FirstMiss.Judged.Got}");
        var stale = MarkersToUpdate;
        output.WriteLine();
        output.WriteLine($"'# gap' markers to update: {stale.Count}{(stale.Count == 0 ? "" : " (" + string.Join(", ", stale.Select(s => s.Case.Id)) + ")")}");
    }

    private static void PrintTable(TextWriter output, string title, IEnumerable<Tally> rows)
    {
        var width = Math.Max(title.Length, rows.Select(r => r.Group.Length).DefaultIfEmpty(0).Max()) + 2;
        output.WriteLine($"{title.PadRight(width)}{"cases",6}{"correct",16}{"clarified",16}{"wrong",16}{"wrong date/time",17}");
        foreach (var row in rows)
            output.WriteLine($"{row.Group.PadRight(width)}{row.Cases,6}{Share(row.Correct, row.Cases),16}{Share(row.Clarified, row.Cases),16}{Share(row.Wrong, row.Cases),16}{row.WrongSlot,17}");
    }

    private static string Share(int count, int of) =>
        of == 0 ? "-" : string.Create(Invariant, $"{count} ({100.0 * count / of,5:0.0} %)");

    private static TimeSpan Percentile(IReadOnlyList<TimeSpan> sorted, double fraction) =>
        sorted.Count == 0 ? TimeSpan.Zero : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
}
