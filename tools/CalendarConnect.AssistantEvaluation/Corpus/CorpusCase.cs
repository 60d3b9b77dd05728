namespace CalendarConnect.AssistantEvaluation.Corpus;

/// <summary>One message of a case and what it must lead to.</summary>
/// <param name="Gap">
/// Marked <c># gap</c> in the corpus: the assistant does not get this message right yet (issue 12 is fixing it), so the
/// script is expected to go wrong exactly here. The corpus test fails once it no longer does, so markers stay true.
/// </param>
/// <param name="Line">The line of the corpus file, for messages that point a reader at it.</param>
public sealed record CorpusTurn(string Utterance, Expectation Expected, bool Gap, int Line);

/// <summary>One case: a message, or a multi-turn script, sent in a new conversation.</summary>
/// <param name="Variant">es-AR, es-MX, es-ES or en (see <see cref="CorpusVariants"/>).</param>
public sealed record CorpusCase(string Id, string Variant, string Category, IReadOnlyList<CorpusTurn> Turns)
{
    /// <summary>The language the assistant must answer in: "es" or "en".</summary>
    public string Language => CorpusVariants.LanguageOf(Variant);

    public bool MultiTurn => Turns.Count > 1;

    /// <summary>The marked turn's index, or null when the assistant is expected to get the whole case right.</summary>
    public int? GapTurn => Turns.Select((t, i) => (t, i)).Where(x => x.t.Gap).Select(x => (int?)x.i).FirstOrDefault();
}

/// <summary>The language variants the corpus is written in.</summary>
public static class CorpusVariants
{
    public static readonly IReadOnlyList<string> All = ["es-AR", "es-MX", "es-ES", "en"];

    public static string LanguageOf(string variant) => variant == "en" ? "en" : "es";
}
