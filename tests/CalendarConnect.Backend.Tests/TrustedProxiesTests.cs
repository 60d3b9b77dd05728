using System.Net;
using CalendarConnect.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// TRUSTED_PROXIES: X-Forwarded-For and X-Forwarded-Proto count only from the listed proxies, so a spoofed header
/// cannot dodge the sign-in throttle, and cookies are Secure when a trusted TLS proxy says the request was https.
/// </summary>
public class TrustedProxiesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpResponseMessage> GuessAsync(HttpClient client, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/customer-calendars");
        request.Headers.Authorization = BackendHarness.Basic("admin", "a guess");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await client.SendAsync(request, Ct);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("10.0.0.0/8, 192.0.2.1")] // proxies elsewhere: this client (127.0.0.1) is not one
    public async Task A_spoofed_forwarded_for_from_an_untrusted_address_does_not_change_the_throttle_key(string? trusted)
    {
        var logs = new CapturedLogs();
        await using var h = await BackendHarness.StartAsync(
            extraSettings: new Dictionary<string, string?> { ["TRUSTED_PROXIES"] = trusted, ["FORWARDEDHEADERS_ENABLED"] = "true" },
            configure: s => s.AddLogging(l => l.AddProvider(logs)));
        using var client = h.Server.CreateClient();

        for (var i = 1; i <= 5; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await GuessAsync(client, $"203.0.113.{i}")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GuessAsync(client, "203.0.113.6")).StatusCode);
        Assert.Contains(logs.Lines, l => l.Contains("Failed admin sign-in (HTTP Basic) from 127.0.0.1 as admin"));
        Assert.DoesNotContain("203.0.113.", logs.All);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.0/8,127.0.0.0/8")]
    public async Task From_a_trusted_proxy_the_forwarded_client_is_the_throttle_key(string trusted)
    {
        var logs = new CapturedLogs();
        await using var h = await BackendHarness.StartAsync(
            extraSettings: new Dictionary<string, string?> { ["TRUSTED_PROXIES"] = trusted },
            configure: s => s.AddLogging(l => l.AddProvider(logs)));
        using var client = h.Server.CreateClient();

        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await GuessAsync(client, "203.0.113.7")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GuessAsync(client, "203.0.113.7")).StatusCode);
        // Another client behind the same proxy is not locked out by the first one's failures.
        Assert.Equal(HttpStatusCode.Unauthorized, (await GuessAsync(client, "198.51.100.8")).StatusCode);
        // The client claims an address to the proxy, which appends the one it saw: the proxy's word counts.
        Assert.Equal(HttpStatusCode.Unauthorized, (await GuessAsync(client, "203.0.113.7, 198.51.100.9")).StatusCode);
        Assert.Contains(logs.Lines, l => l.Contains("from 198.51.100.9 as admin"));
        Assert.Contains(logs.Lines, l => l.Contains("from 203.0.113.7 as admin"));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("Failed admin sign-in (HTTP Basic) from 127.0.0.1"));
    }

    /// <summary>The attack of issue 11 through a trusted proxy: 100 guesses from 20 client addresses, 5 from each.</summary>
    [Fact]
    public async Task A_hundred_guesses_from_twenty_addresses_behind_the_proxy_are_throttled()
    {
        await using var h = await BackendHarness.StartAsync(extraSettings: new Dictionary<string, string?> { ["TRUSTED_PROXIES"] = "127.0.0.1" });
        using var client = h.Server.CreateClient();
        var answers = new List<HttpStatusCode>();
        for (var address = 1; address <= 20; address++)
            for (var guess = 0; guess < 5; guess++)
                answers.Add((await GuessAsync(client, $"203.0.113.{address}")).StatusCode);

        Assert.Equal(20, answers.Count(a => a == HttpStatusCode.Unauthorized)); // checked: the account's limit
        Assert.Equal(80, answers.Count(a => a == HttpStatusCode.TooManyRequests));
        using var admin = h.AdminClient();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await admin.GetAsync("v1/customer-calendars", Ct)).StatusCode); // until the window ends
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData(null, false)]
    [InlineData("192.0.2.1", false)]
    public async Task Forwarded_https_from_a_trusted_proxy_makes_the_cookies_secure(string? trusted, bool secure)
    {
        await using var h = await BackendHarness.StartAsync(extraSettings: new Dictionary<string, string?> { ["TRUSTED_PROXIES"] = trusted });
        // Cookies by hand: a cookie jar would not send a Secure cookie back over this plain-http connection.
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = h.Server.BaseAddress };

        using var form = new HttpRequestMessage(HttpMethod.Get, "ingresar");
        form.Headers.Add("X-Forwarded-Proto", "https");
        var formResponse = await client.SendAsync(form, Ct);
        var antiforgery = Assert.Single(formResponse.Headers.GetValues("Set-Cookie"), c => c.StartsWith("cc_af="));
        Assert.Equal(secure, antiforgery.Contains("; secure", StringComparison.OrdinalIgnoreCase));

        using var signIn = new HttpRequestMessage(HttpMethod.Post, "ingresar")
        {
            Content = SignInTests.SignInForm(SignInTests.FormToken(await formResponse.Content.ReadAsStringAsync(Ct)), BackendHarness.AdminUser, BackendHarness.AdminPassword),
        };
        signIn.Headers.Add("X-Forwarded-Proto", "https");
        signIn.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        var signedIn = await client.SendAsync(signIn, Ct);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var session = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("cc_admin="));
        Assert.Equal(secure, session.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }
}
