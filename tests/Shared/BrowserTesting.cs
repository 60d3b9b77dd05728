using Microsoft.Playwright;
using Xunit;

namespace CalendarConnect.Testing;

/// <summary>
/// Chromium for the browser tests: one launch, one set of timeouts and one way to open a page, for every test project
/// that drives the admin pages (this file is linked into each, so the other test projects do not carry Playwright).
/// </summary>
/// <remarks>
/// CI runs the test projects side by side on two cores. There a page can be shown for many seconds before its load
/// event fires, and a popup's renderer can take tens of seconds to start. So navigation waits only for DOMContentLoaded
/// (the page's module scripts have run and wired its buttons; images and fonts may still be on their way), actions and
/// events get <see cref="ActionTimeoutMs"/> instead of Playwright's 30 s, and what a test needs is asserted web-first
/// (<c>Expect</c> retries until it holds).
/// </remarks>
public static class BrowserTesting
{
    public const float ActionTimeoutMs = 90_000;

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright)
    {
        Assert.True(File.Exists(ChromiumPath), $"Chromium not found at {ChromiumPath}: apt-get install -y chromium, or set CHROMIUM_PATH.");
        return await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Timeout = ActionTimeoutMs,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A browser context whose pages (popups included) wait <see cref="ActionTimeoutMs"/> for actions and events.</summary>
    public static async Task<IBrowserContext> NewTestContextAsync(this IBrowser browser, BrowserNewContextOptions? options = null)
    {
        var context = await browser.NewContextAsync(options);
        context.SetDefaultTimeout(ActionTimeoutMs);
        context.SetDefaultNavigationTimeout(ActionTimeoutMs);
        return context;
    }

    /// <summary>A page in a context of its own, with the timeouts of <see cref="NewTestContextAsync"/>.</summary>
    public static async Task<IPage> NewTestPageAsync(this IBrowser browser, BrowserNewContextOptions? options = null) =>
        await (await browser.NewTestContextAsync(options)).NewPageAsync();

    /// <summary>Goes to <paramref name="url"/> and returns once its scripts have run (DOMContentLoaded), not at the load event.</summary>
    public static Task<IResponse?> OpenAsync(this IPage page, string url) =>
        page.GotoAsync(url, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
}
