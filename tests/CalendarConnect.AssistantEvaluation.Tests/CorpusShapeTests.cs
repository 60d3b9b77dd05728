using CalendarConnect.AssistantEvaluation.Corpus;

namespace CalendarConnect.AssistantEvaluation.Tests;

/// <summary>What issue 12 asks of the corpus: its size, its language variants and its categories.</summary>
public sealed class CorpusShapeTests
{
    /// <summary>The "what went wrong" categories and the ones that work today, so nothing regresses.</summary>
    private static readonly string[] RequiredCategories =
    [
        "negation", "offset", "range", "period", "follow-up", "list-choice", "short-typo", "change-of-plan",
        "explicit-date", "weekday-time", "clock-format", "part-of-day", "busy", "cancellation", "my-appointment",
        "ambiguous", "small-talk", "explicit-yes", "voice",
    ];

    private static IReadOnlyList<CorpusCase> Cases => CorpusSystem.Cases;

    [Fact]
    public void It_holds_at_least_400_messages_with_multi_turn_scripts()
    {
        Assert.True(Cases.Sum(c => c.Turns.Count) >= 400, $"{Cases.Sum(c => c.Turns.Count)} messages");
        Assert.True(Cases.Count(c => c.MultiTurn) >= 50, $"{Cases.Count(c => c.MultiTurn)} scripts");
    }

    [Fact]
    public void Every_variant_has_cases_in_most_categories()
    {
        foreach (var variant in CorpusVariants.All)
        {
            var categories = Cases.Where(c => c.Variant == variant).Select(c => c.Category).Distinct().Count();
            Assert.True(categories >= RequiredCategories.Length - 3, $"{variant}: {categories} categories");
        }
    }

    [Fact]
    public void Every_required_category_has_cases()
    {
        var present = Cases.Select(c => c.Category).ToHashSet();
        Assert.All(RequiredCategories, category => Assert.Contains(category, present));
    }

    [Fact]
    public void Every_gap_marker_sits_on_a_message_of_its_case()
    {
        Assert.All(Cases.Where(c => c.GapTurn is not null), c => Assert.InRange(c.GapTurn!.Value, 0, c.Turns.Count - 1));
    }
}
