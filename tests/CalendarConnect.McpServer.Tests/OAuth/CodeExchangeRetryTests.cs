using System.Net;
using System.Net.Http.Json;
using CalendarConnect.GoogleEmulator.Control;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CalendarConnect.McpServer.Tests.OAuth;

/// <summary>
/// Issue 11, item 7: at the callback, one 5xx or timeout of Google's token endpoint is retried once before the page says
/// the connection failed, and the page tells a timeout from an error (the emulator's fault API plays Google failing).
/// </summary>
public class CodeExchangeRetryTests
{
    private const string Email = "a@example.com";

    private static async Task<Uri> ConsentedRedirectAsync(McpServerHarness h)
    {
        await h.CreateAccountAsync(Email);
        var authorization = await h.AuthorizeAsync("company-a", Email);
        return await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, Email, allow: true);
    }

    private static async Task FaultAsync(McpServerHarness h, object fault)
    {
        using var control = h.Emulator.CreateClient();
        (await control.PostAsJsonAsync("/emulator/faults", fault)).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// A server whose waits (the token request's timeout, the pause before the retry) run on a clock the test moves, so
    /// a hung token endpoint costs no real seconds.
    /// </summary>
    private static Task<McpServerHarness> StartWithWaitClockAsync(FakeTimeProvider waits) =>
        McpServerHarness.StartAsync(configureServices: services => services.AddSingleton(new WaitClock(waits)));

    /// <summary>Token, consent and revocation requests that reached the emulator, a hung one included as it arrives.</summary>
    private static long OAuthRequests(McpServerHarness h) => h.Emulator.GetRequiredService<RequestLog>().Counts().OAuth;

    /// <summary>
    /// Waits until the exchange's <paramref name="attempt"/>-th request has reached the emulator. The retry's pause starts
    /// only once the attempt before it has ended, at a moment the test cannot see: the clock moves on in steps of that
    /// pause until the retry is sent (each step far shorter than a request's timeout).
    /// </summary>
    private static Task AttemptSentAsync(McpServerHarness h, FakeTimeProvider waits, long before, int attempt) =>
        Eventually.TrueAsync(() =>
        {
            if (OAuthRequests(h) >= before + attempt) return Task.FromResult(true);
            if (attempt > 1) waits.Advance(GoogleResilience.TokenRetryDelay);
            return Task.FromResult(false);
        }, $"code exchange attempt {attempt} reached the token endpoint");

    private static async Task<int> ExchangesAsync(McpServerHarness h) => (await h.EmulatorRequestsAsync()).EnumerateArray()
        .Count(r => r.TryGetProperty("grant_type", out var g) && g.GetString() == "authorization_code");

    private static async Task<long> TokenRowsAsync(McpServerHarness h)
    {
        await using var db = await h.Database.OpenAsync();
        return await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM oauth_tokens");
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task One_5xx_is_retried_and_the_company_connects(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        var redirect = await ConsentedRedirectAsync(h);
        await FaultAsync(h, new { path_prefix = "/token", status = 503, count = 1 });

        using var callback = await h.DeliverCallbackAsync(redirect);

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal(2, await ExchangesAsync(h));
        Assert.Equal(1, await TokenRowsAsync(h));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Two_5xx_show_an_error_page_with_a_fresh_try_and_store_nothing(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        var redirect = await ConsentedRedirectAsync(h);
        await FaultAsync(h, new { path_prefix = "/token", status = 500, count = 2 });

        using var page = await h.DeliverCallbackAsync(redirect);

        Assert.Equal(HttpStatusCode.BadGateway, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Google tuvo un error al confirmar la autorización", html);
        Assert.DoesNotContain("no respondió a tiempo", html);
        Assert.Contains("Intentar de nuevo", html);
        Assert.Equal(2, await ExchangesAsync(h));
        Assert.Equal(0, await TokenRowsAsync(h));
    }

    [Fact]
    public async Task One_timeout_is_retried_and_the_company_connects()
    {
        var waits = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await StartWithWaitClockAsync(waits);
        var redirect = await ConsentedRedirectAsync(h);
        await FaultAsync(h, new { path_prefix = "/token", hang = true, count = 1 });

        var before = OAuthRequests(h);
        var delivered = h.DeliverCallbackAsync(redirect);
        await AttemptSentAsync(h, waits, before, attempt: 1);
        waits.Advance(GoogleResilience.TokenAttemptTimeout); // the hung request times out
        await AttemptSentAsync(h, waits, before, attempt: 2);
        using var callback = await delivered;

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal(1, await TokenRowsAsync(h));
    }

    [Fact]
    public async Task Two_timeouts_say_google_did_not_answer_in_time()
    {
        var waits = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await StartWithWaitClockAsync(waits);
        var redirect = await ConsentedRedirectAsync(h);
        await FaultAsync(h, new { path_prefix = "/token", hang = true, count = 2 });

        var before = OAuthRequests(h);
        var delivered = h.DeliverCallbackAsync(redirect);
        await AttemptSentAsync(h, waits, before, attempt: 1);
        waits.Advance(GoogleResilience.TokenAttemptTimeout);
        await AttemptSentAsync(h, waits, before, attempt: 2);
        waits.Advance(GoogleResilience.TokenAttemptTimeout);
        using var page = await delivered;

        Assert.Equal(HttpStatusCode.BadGateway, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Google no respondió a tiempo", html);
        Assert.DoesNotContain("tuvo un error", html);
        Assert.Equal(0, await TokenRowsAsync(h));
    }

    [Fact]
    public async Task A_429_is_not_retried()
    {
        // Google asked to slow down: it did not redeem the code, but asking again at once is what it asked not to do.
        await using var h = await McpServerHarness.StartAsync();
        var redirect = await ConsentedRedirectAsync(h);
        await FaultAsync(h, new { path_prefix = "/token", status = 429, count = 1 });
        using var page = await h.DeliverCallbackAsync(redirect);
        Assert.Equal(HttpStatusCode.BadGateway, page.StatusCode);
        Assert.Equal(1, await ExchangesAsync(h));
        Assert.Equal(0, await TokenRowsAsync(h));
    }

    [Fact]
    public async Task A_refusal_is_not_retried()
    {
        await using var h = await McpServerHarness.StartAsync();
        var redirect = await ConsentedRedirectAsync(h);
        await FaultAsync(h, new { path_prefix = "/token", status = 400, count = 1 });

        using var page = await h.DeliverCallbackAsync(redirect);

        Assert.Equal(HttpStatusCode.BadGateway, page.StatusCode);
        Assert.Contains("Google rechazó la confirmación", await page.Content.ReadAsStringAsync());
        Assert.Equal(1, await ExchangesAsync(h));
    }
}
