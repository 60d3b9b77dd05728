namespace CalendarConnect.Testing;

/// <summary>
/// One host per database engine, started on first use and disposed with its owner: what a class fixture shares among
/// the tests of one class (a class's tests run one after another, so they never meet on it). A start that failed is
/// not disposed, and fails every test that asks for it.
/// </summary>
public sealed class PerEngine<THost>(Func<string, Task<THost>> start) : IAsyncDisposable where THost : IAsyncDisposable
{
    private readonly Dictionary<string, Task<THost>> _started = new(StringComparer.Ordinal);

    public Task<THost> ForAsync(string engine)
    {
        lock (_started)
        {
            if (!_started.TryGetValue(engine, out var started)) _started[engine] = started = start(engine);
            return started;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var started in _started.Values)
        {
            if (started.IsCompletedSuccessfully) await started.Result.DisposeAsync();
        }
    }
}
