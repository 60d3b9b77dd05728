using System.Security.Cryptography;
using System.Text;

namespace CalendarConnect.McpServer.Http;

/// <summary>
/// A whole HTML page (the OAuth callback's results, /connect's errors) with the headers the backend's pages send: a
/// Content-Security-Policy that allows nothing but the page's own inline style (by its hash) and no framing, nosniff,
/// X-Frame-Options DENY, no caching (a page may name a company's accounts) and no Referer (its links go to Google).
/// </summary>
public sealed class HtmlPage(string html, int statusCode) : IResult
{
    /// <summary>The CSP of a page whose only inline content is <paramref name="style"/>, the text of its one &lt;style&gt; element.</summary>
    public static string ContentSecurityPolicyFor(string style) =>
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(style)))}'; " +
        "img-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

    public required string ContentSecurityPolicy { get; init; }

    public int StatusCode => statusCode;

    public string Html => html;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        await response.WriteAsync(html, Encoding.UTF8, httpContext.RequestAborted);
    }
}
