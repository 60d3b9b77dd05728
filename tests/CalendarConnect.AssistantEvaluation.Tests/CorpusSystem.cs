using CalendarConnect.AssistantEvaluation.Corpus;
using CalendarConnect.AssistantEvaluation.Running;

[assembly: AssemblyFixture(typeof(CalendarConnect.AssistantEvaluation.Tests.CorpusSystem))]

namespace CalendarConnect.AssistantEvaluation.Tests;

/// <summary>
/// One hosted system for every corpus case (each case is a new conversation on it): the rule mode, whatever
/// ASSISTANT_LLM_* the machine running the tests has set, so the figures do not depend on a model.
/// </summary>
public sealed class CorpusSystem : IAsyncLifetime
{
    private EvaluatedSystem? system;

    public static IReadOnlyList<CorpusCase> Cases { get; } = CorpusReader.Read(CorpusReader.DefaultPath);

    public CaseRunner Runner => new(system ?? throw new InvalidOperationException("The system has not started."));

    public async ValueTask InitializeAsync() => system = await EvaluatedSystem.StartAsync(new Dictionary<string, string?>());

    public async ValueTask DisposeAsync()
    {
        if (system is not null) await system.DisposeAsync();
    }
}
