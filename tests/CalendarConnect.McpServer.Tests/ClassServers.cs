using CalendarConnect.Testing;

namespace CalendarConnect.McpServer.Tests;

/// <summary>
/// One <see cref="McpServerHarness"/> per engine for the tests of one class (a class fixture), started on first use
/// with what <see cref="SeedAsync"/> puts in it (a connected company, say): for tests that only read, or send what the
/// server must refuse, and so leave the server, its database and the emulator as they found them. A class's tests run
/// one after another, so they never meet on it. Starting an emulator, a server and a database per case was most of
/// those tests' cost. A test that changes something another could see, or needs its own clock or settings, starts its own.
/// </summary>
public class ClassServers : IAsyncDisposable
{
    private readonly PerEngine<McpServerHarness> _servers;

    public ClassServers() => _servers = new(StartAsync);

    /// <summary>Runs once per engine on the new server, before its first test.</summary>
    protected virtual Task SeedAsync(McpServerHarness harness) => Task.CompletedTask;

    public Task<McpServerHarness> ForAsync(string engine = Engines.Sqlite) => _servers.ForAsync(engine);

    private async Task<McpServerHarness> StartAsync(string engine)
    {
        var harness = await McpServerHarness.StartAsync(engine: engine);
        await SeedAsync(harness);
        return harness;
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return _servers.DisposeAsync();
    }
}
