using CalendarConnect.Testing;
using Microsoft.Playwright;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// One Chromium for the browser tests of one class (a class fixture), launched on first use. Each test opens a context
/// of its own (cookies, storage, permissions) and closes it, so the tests share the browser process and nothing else;
/// launching Chromium per test was a good part of each one's cost.
/// </summary>
public sealed class ClassChromium : IAsyncDisposable
{
    private readonly Lazy<Task<(IPlaywright Playwright, IBrowser Browser)>> _launched = new(LaunchAsync);

    public async Task<IBrowser> BrowserAsync() => (await _launched.Value).Browser;

    private static async Task<(IPlaywright, IBrowser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        return (playwright, await BrowserTesting.LaunchChromiumAsync(playwright));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_launched.IsValueCreated || !_launched.Value.IsCompletedSuccessfully) return;
        var (playwright, browser) = _launched.Value.Result;
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
