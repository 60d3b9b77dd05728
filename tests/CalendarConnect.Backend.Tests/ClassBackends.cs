using CalendarConnect.Testing;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// One <see cref="BackendHarness"/> per engine for the tests of one class (a class fixture), started on first use with
/// what <see cref="SeedAsync"/> puts in it: for tests that read, or send what the backend must refuse, and so leave the
/// database as they found it. A class's tests run one after another, so they never meet on it; each gets a stand-in MCP
/// server that has forgotten the requests it saw and any failure a test before it asked for. Starting a backend, its
/// stand-in and a database per case was most of those tests' cost. A test that writes, or needs its own settings,
/// starts its own harness.
/// </summary>
public class ClassBackends : IAsyncDisposable
{
    private readonly PerEngine<BackendHarness> _backends;

    public ClassBackends() => _backends = new(StartAsync);

    /// <summary>Runs once per engine on the new backend, before its first test.</summary>
    protected virtual Task SeedAsync(BackendHarness harness) => Task.CompletedTask;

    public async Task<BackendHarness> ForAsync(string engine = Engines.Sqlite)
    {
        var harness = await _backends.ForAsync(engine);
        if (harness.Mcp is { } mcp)
        {
            mcp.Requests.Clear();
            mcp.FailWith = null;
        }
        return harness;
    }

    private async Task<BackendHarness> StartAsync(string engine)
    {
        var harness = await BackendHarness.StartAsync(engine);
        await SeedAsync(harness);
        return harness;
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return _backends.DisposeAsync();
    }
}
