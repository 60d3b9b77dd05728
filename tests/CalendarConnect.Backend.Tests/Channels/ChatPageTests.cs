using System.Net;
using CalendarConnect.Backend.Web;

namespace CalendarConnect.Backend.Tests.Channels;

/// <summary>/chat over HTTP: admins only, linked with /clientes, the strict CSP, no inline script, its assets embedded.</summary>
public class ChatPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Chat_is_for_signed_in_admins_and_loads_only_its_own_embedded_assets()
    {
        await using var h = await BackendHarness.StartAsync();
        using (var anonymous = h.Server.CreateClient())
        {
            var response = await anonymous.GetAsync("chat", Ct);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/ingresar", response.Headers.Location!.OriginalString.Replace(h.Server.BaseAddress.ToString(), "/"));
            // HTTP Basic is for the API, not for pages (as /clientes).
            anonymous.DefaultRequestHeaders.Authorization = BackendHarness.Basic(BackendHarness.AdminUser, BackendHarness.AdminPassword);
            Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync("chat", Ct)).StatusCode);
        }

        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
            { BaseAddress = h.Server.BaseAddress };
        await BackendHarness.SignInAsync(client);
        var page = await client.GetAsync("chat", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single());
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotMatch("<script(?![^>]*\\bsrc=\"/assets/)", html);
        Assert.DoesNotMatch("\\son[a-z]+\\s*=", html); // no inline event handlers either
        Assert.Contains("Nueva conversación", html);
        Assert.Contains(BackendHarness.AdminUser, html);
        // Reachable both ways: /chat links back to /clientes and /clientes' header links to /chat.
        Assert.Contains("href=\"/clientes\"", html);
        Assert.Contains("href=\"/chat\"", await client.GetStringAsync("clientes", Ct));

        foreach (var (path, type) in new[] { ("assets/chat.js", "text/javascript"), ("assets/chat.css", "text/css") })
        {
            var asset = await client.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal(type, asset.Content.Headers.ContentType?.MediaType);
        }
        // Every message is written with textContent, never parsed as HTML.
        var script = await client.GetStringAsync("assets/chat.js", Ct);
        Assert.DoesNotContain("innerHTML", script);
        Assert.DoesNotContain("insertAdjacentHTML", script);
        Assert.DoesNotContain("eval(", script);
    }
}
