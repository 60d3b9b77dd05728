using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CalendarConnect.McpServer.Http;
using CalendarConnect.McpServer.OAuth;
using CalendarConnect.Testing;
using Microsoft.AspNetCore.Http;

namespace CalendarConnect.McpServer.Tests.OAuth;

/// <summary>
/// Issue 11, item 18: every HTML page of the MCP server (the callback's results, /connect's errors) sends the headers the
/// backend's pages send: a CSP with frame-ancestors 'none' that allows only the page's own style, nosniff,
/// X-Frame-Options DENY, no caching and no Referer.
/// </summary>
public partial class PageHeadersTests
{
    private const string Retry = "https://accounts.example/o/oauth2/v2/auth?state=fresh&client_id=x";

    public static TheoryData<string> Pages() => new(PageFactories.Keys);

    private static readonly Dictionary<string, Func<IResult>> PageFactories = new()
    {
        ["denied"] = CallbackPages.Denied,
        ["invalid_state"] = CallbackPages.InvalidOrUsedState,
        ["missing_parameters"] = CallbackPages.MissingParameters,
        ["google_error"] = CallbackPages.GoogleError,
        ["exchange_timeout"] = () => CallbackPages.ExchangeFailed(new TokenFailure(TokenFailureKind.Transient, GoogleOAuthClient.NoAnswerInTime, null), Retry),
        ["exchange_error"] = () => CallbackPages.ExchangeFailed(new TokenFailure(TokenFailureKind.Transient, "server_error", null, 503), Retry),
        ["exchange_refused"] = () => CallbackPages.ExchangeFailed(new TokenFailure(TokenFailureKind.InvalidGrant, "invalid_grant", null, 400), Retry),
        ["dead_link"] = CallbackPages.DeadLink,
        ["already_connected"] = CallbackPages.AlreadyConnected,
        ["wrong_account"] = () => CallbackPages.WrongAccount("a@example.com", "b@example.com", Retry),
        ["account_not_verified"] = () => CallbackPages.AccountNotVerified("a@example.com", Retry),
    };

    private static void AssertSecurityHeaders(IHeaderDictionary headers)
    {
        var csp = headers.ContentSecurityPolicy.ToString();
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", headers.XContentTypeOptions.ToString());
        Assert.Equal("DENY", headers.XFrameOptions.ToString());
        Assert.Equal("no-store", headers.CacheControl.ToString());
        Assert.Equal("no-referrer", headers["Referrer-Policy"].ToString());
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Every_page_sends_the_security_headers_and_its_csp_allows_exactly_its_style(string page)
    {
        var context = new DefaultHttpContext();
        context.Response.Body = new MemoryStream();

        await PageFactories[page]().ExecuteAsync(context);

        AssertSecurityHeaders(context.Response.Headers);
        Assert.StartsWith("text/html", context.Response.ContentType);
        var html = Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
        var style = Assert.Single(StyleElement().Matches(html)).Groups[1].Value;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)));
        Assert.Contains($"style-src 'sha256-{hash}'", context.Response.Headers.ContentSecurityPolicy.ToString());
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/oauth/callback", HttpStatusCode.BadRequest)]
    [InlineData("/oauth/callback?state=unknown&code=x", HttpStatusCode.BadRequest)]
    [InlineData("/connect/unknown-link-token", HttpStatusCode.NotFound)]
    public async Task The_pages_of_real_requests_send_them(string path, HttpStatusCode status)
    {
        await using var h = await McpServerHarness.StartAsync();
        using var http = h.Mcp.CreateClient();
        using var response = await http.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        var headers = new HeaderDictionary();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers)) headers[name] = values.ToArray();
        AssertSecurityHeaders(headers);
    }

    [Fact]
    public async Task The_wrong_account_page_of_a_real_consent_sends_them()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.CreateAccountAsync("b@example.com");
        var authorization = await h.AuthorizeAsync("company-a", "a@example.com");
        var redirect = await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, "b@example.com", allow: true);
        using var response = await h.DeliverCallbackAsync(redirect);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var headers = new HeaderDictionary();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers)) headers[name] = values.ToArray();
        AssertSecurityHeaders(headers);
    }

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElement();

    // HtmlPage is what every page above is: the headers live in one place.
    [Fact]
    public void Every_page_is_an_html_page() => Assert.All(PageFactories.Values, f => Assert.IsType<HtmlPage>(f()));
}
