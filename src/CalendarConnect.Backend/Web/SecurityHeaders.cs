namespace CalendarConnect.Backend.Web;

public static class SecurityHeaders
{
    /// <summary>Pages load scripts and styles only from this origin (no inline script), and are never framed.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin-allow-popups";
            headers.CacheControl = "no-cache, no-store";
            headers.Pragma = "no-cache";
            await next(context);
        });
        return app;
    }
}
