using CalendarConnect.Testing;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// One <see cref="BackendHarness"/> per engine, started on first use and shared by the tests of one class (a class
/// fixture): for tests of requests the backend must refuse, which store nothing and ask the MCP server nothing, so each
/// still starts from an empty database and a stand-in that saw no request. A class's tests run one after another, so
/// they never meet on it. Starting a backend, its stand-in MCP server and a database per case was most of their cost.
/// </summary>
public sealed class SharedBackends : IAsyncDisposable
{
    private readonly Dictionary<string, Task<BackendHarness>> _started = new(StringComparer.Ordinal);

    public Task<BackendHarness> ForAsync(string engine)
    {
        lock (_started)
        {
            if (!_started.TryGetValue(engine, out var harness)) _started[engine] = harness = BackendHarness.StartAsync(engine);
            return harness;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var harness in _started.Values) await (await harness).DisposeAsync();
    }
}
