using CalendarConnect.AssistantEvaluation.Running;

namespace CalendarConnect.AssistantEvaluation.Corpus;

/// <summary>
/// Rewrites the corpus's <c># gap</c> markers to what a run found (<c>--update-gap-markers</c>): removed from cases that
/// now come out right, put on the message where a case now goes wrong. Only the markers change; every other
/// character of the file stays. The corpus's diff then shows which cases were fixed and which broke.
/// </summary>
public static class GapMarkers
{
    private const string Marker = " # gap";

    /// <returns>How many cases' markers changed.</returns>
    public static int Update(string path, IReadOnlyList<CaseResult> results)
    {
        var lines = File.ReadAllLines(path);
        var stale = results.Where(r => !r.MarkerHolds).ToList();
        foreach (var result in stale)
        {
            foreach (var turn in result.Case.Turns)
                lines[turn.Line - 1] = Without(lines[turn.Line - 1]);
            if (result.Verdict == Verdict.Wrong)
                lines[result.FirstMiss!.Turn.Line - 1] += Marker;
        }
        if (stale.Count > 0) File.WriteAllLines(path, lines);
        return stale.Count;
    }

    private static string Without(string line) => line.EndsWith(Marker, StringComparison.Ordinal) ? line[..^Marker.Length] : line;
}
