namespace CalendarConnect.AssistantEvaluation.Corpus;

/// <summary>
/// Reads the corpus: one message a line, "id | variant | category | utterance | expected", an optional trailing
/// <c># gap</c>; a line whose id, variant and category are empty continues the case above (a multi-turn script).
/// Lines starting with # and blank lines are comments. Every mistake is reported with its line number.
/// </summary>
public static class CorpusReader
{
    public const string FileName = "assistant-corpus.txt";

    /// <summary>The corpus shipped next to the evaluation's assembly (copied to every output that references it).</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Corpus", FileName);

    private const string GapMarker = "gap";

    public static IReadOnlyList<CorpusCase> Read(string path) => Parse(File.ReadAllLines(path));

    /// <exception cref="FormatException">A line is malformed, an id repeats, or a continuation has no case above it.</exception>
    public static IReadOnlyList<CorpusCase> Parse(IEnumerable<string> lines)
    {
        var cases = new List<CorpusCase>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        (string Id, string Variant, string Category, List<CorpusTurn> Turns)? open = null;
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var gap = false;
            var comment = line.IndexOf(" # ", StringComparison.Ordinal);
            if (comment >= 0)
            {
                gap = line[(comment + 3)..].Trim() == GapMarker;
                if (!gap) throw new FormatException($"Line {number}: the only trailing comment is '# {GapMarker}'.");
                line = line[..comment].TrimEnd();
            }
            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length != 5) throw new FormatException($"Line {number}: expected 5 cells (id | variant | category | utterance | expected), found {cells.Length}.");
            var (id, variant, category, utterance, expectedText) = (cells[0], cells[1], cells[2], cells[3], cells[4]);
            if (utterance.Length == 0) throw new FormatException($"Line {number}: the utterance is empty.");
            Expectation expected;
            try { expected = Expectation.Parse(expectedText); }
            catch (FormatException e) { throw new FormatException($"Line {number}: {e.Message}", e); }
            var turn = new CorpusTurn(utterance, expected, gap, number);

            if (id.Length == 0 && variant.Length == 0 && category.Length == 0)
            {
                if (open is null) throw new FormatException($"Line {number}: a continuation line with no case above it.");
                open.Value.Turns.Add(turn);
                continue;
            }
            if (id.Length == 0 || variant.Length == 0 || category.Length == 0)
                throw new FormatException($"Line {number}: a case's first line names its id, variant and category.");
            if (!CorpusVariants.All.Contains(variant)) throw new FormatException($"Line {number}: variant '{variant}' is not one of {string.Join(", ", CorpusVariants.All)}.");
            if (!ids.Add(id)) throw new FormatException($"Line {number}: the id '{id}' is used twice.");
            if (open is { } done) cases.Add(new CorpusCase(done.Id, done.Variant, done.Category, done.Turns));
            open = (id, variant, category, [turn]);
        }
        if (open is { } last) cases.Add(new CorpusCase(last.Id, last.Variant, last.Category, last.Turns));
        foreach (var c in cases.Where(c => c.Turns.Count(t => t.Gap) > 1))
            throw new FormatException($"Case {c.Id}: '# {GapMarker}' marks the one message where the script goes wrong, not several.");
        return cases;
    }
}
