using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Time.Testing;

namespace CalendarConnect.McpServer.Tests.ConnectLinks;

/// <summary>The shareable link ("Copiar link"): long-lived, fresh state per visit, dead once connected or revoked.</summary>
public class ShareableLinkTests
{
    private static async Task<Uri> VisitAsync(McpServerHarness h, string link)
    {
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        // The link points at the public base (GOOGLE_REDIRECT_URI's origin); deliver it to our test server.
        using var response = await browser.GetAsync(h.Mcp.Url(new Uri(link).AbsolutePath));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return response.Headers.Location!;
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Each_visit_mints_a_fresh_state_and_the_link_dies_on_connection(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.CreateAccountAsync("a@example.com");
        var authorization = await h.AuthorizeAsync("company-a", "a@example.com");
        var link = authorization.GetProperty("shareable_link").GetString()!;
        Assert.Matches("^http://127.0.0.1:1/connect/[A-Za-z0-9_-]{43}$", link);
        Assert.True(authorization.GetProperty("shareable_link_expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(6.9));

        var first = await VisitAsync(h, link);
        var second = await VisitAsync(h, link);
        var state1 = QueryHelpers.ParseQuery(first.Query)["state"].ToString();
        var state2 = QueryHelpers.ParseQuery(second.Query)["state"].ToString();
        Assert.NotEqual(state1, state2);
        Assert.NotEqual(QueryHelpers.ParseQuery(first.Query)["code_challenge"], QueryHelpers.ParseQuery(second.Query)["code_challenge"]);
        Assert.StartsWith(h.Emulator.Url("o/oauth2/v2/auth"), first.ToString());

        // The company authorizes from the second visit.
        var redirect = await GoogleConsent.DecideAsync(second.ToString(), "a@example.com", allow: true);
        using (var callback = await h.DeliverCallbackAsync(redirect)) Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);

        // Now the link is dead, and so is any other link of the company.
        using var browser = h.Mcp.CreateClient();
        using var dead = await browser.GetAsync(new Uri(link).AbsolutePath);
        Assert.Equal(HttpStatusCode.NotFound, dead.StatusCode);
        Assert.Contains("ya no es válido", await dead.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Asking_again_gives_a_new_link_for_the_same_company_and_links_expire()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await McpServerHarness.StartAsync(clock);
        var one = (await h.AuthorizeAsync("company-a", "a@example.com")).GetProperty("shareable_link").GetString()!;
        var two = (await h.AuthorizeAsync("company-a", "a@example.com")).GetProperty("shareable_link").GetString()!;
        Assert.NotEqual(one, two);
        await VisitAsync(h, one);
        await VisitAsync(h, two);

        clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        using var browser = h.Mcp.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(new Uri(one).AbsolutePath)).StatusCode);
    }

    [Fact]
    public async Task Revoked_links_are_dead_and_forged_ones_too()
    {
        await using var h = await McpServerHarness.StartAsync();
        var link = (await h.AuthorizeAsync("company-a", "a@example.com")).GetProperty("shareable_link").GetString()!;
        using var service = h.ServiceClient();
        Assert.Equal(HttpStatusCode.NoContent, (await service.DeleteAsync("/customers/company-a/connect-links")).StatusCode);
        using var browser = h.Mcp.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(new Uri(link).AbsolutePath)).StatusCode);
        foreach (var forged in new[] { "/connect/abc", "/connect/" + new string('a', 43), "/connect/%3Cscript%3E", "/connect/" + new string('x', 500) })
        {
            using var response = await browser.GetAsync(forged);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("<script>", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_link_of_a_connected_company_says_so()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync("company-a", "a@example.com");
        // A link minted after connection (the admin asked again) leads to a page, not to Google.
        var link = (await h.AuthorizeAsync("company-a", "a@example.com")).GetProperty("shareable_link").GetString()!;
        using var browser = h.Mcp.CreateClient();
        using var page = await browser.GetAsync(new Uri(link).AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("ya está conectado", await page.Content.ReadAsStringAsync());
    }
}
