using System.Net;

namespace CalendarConnect.GoogleEmulator.OAuth;

/// <summary>
/// Google's "Access blocked / Error 400: invalid_request" page. Shown to the user, never redirected, because
/// a request that fails these checks cannot be trusted to name a safe redirect target.
/// </summary>
public sealed record AuthorizationErrorPage(int StatusCode, string Error, string Detail) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var html = $$"""
            <!DOCTYPE html>
            <html lang="es">
            <head><meta charset="utf-8"><title>Error {{StatusCode}}: {{Encode(Error)}}</title>
            <style>body{font-family:Roboto,Arial,sans-serif;max-width:36rem;margin:3rem auto;color:#202124}</style></head>
            <body>
            <h1>Acceso bloqueado: la solicitud de esta aplicación no es válida</h1>
            <p id="error-code">Error {{StatusCode}}: {{Encode(Error)}}</p>
            <p id="error-detail">{{Encode(Detail)}}</p>
            </body>
            </html>
            """;
        httpContext.Response.StatusCode = StatusCode;
        httpContext.Response.ContentType = "text/html; charset=utf-8";
        return httpContext.Response.WriteAsync(html);
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
