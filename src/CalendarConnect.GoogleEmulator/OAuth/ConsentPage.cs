using System.Net;
using System.Text;

namespace CalendarConnect.GoogleEmulator.OAuth;

/// <summary>
/// The sign-in + consent screen. A plain form that posts the whole authorization request back, so the
/// emulator keeps no per-browser state and tests can drive it by parsing the hidden inputs.
/// </summary>
public sealed record ConsentPage(AuthorizationRequest Request, IReadOnlyList<string> KnownAccounts, string? ErrorMessage = null, string? EnteredEmail = null) : IResult
{
    public const string Path = "/o/oauth2/v2/auth";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var hidden = new StringBuilder();
        foreach (var (name, value) in Request.AsFields())
            hidden.Append($"""    <input type="hidden" name="{E(name)}" value="{E(value)}">""").Append('\n');

        var scopes = new StringBuilder();
        foreach (var scope in Request.Scopes)
            scopes.Append($"""    <li data-scope="{E(scope)}">{E(AuthorizationRequest.KnownScopes[scope])}</li>""").Append('\n');

        var accounts = new StringBuilder();
        foreach (var known in KnownAccounts) accounts.Append($"""<option value="{E(known)}"></option>""");

        var error = ErrorMessage is null ? "" : $"""  <p id="error" role="alert" style="color:#d93025">{E(ErrorMessage)}</p>""";
        var email = EnteredEmail ?? Request.LoginHint ?? "";

        var html = $$"""
            <!DOCTYPE html>
            <html lang="es">
            <head><meta charset="utf-8"><title>Iniciar sesión - Cuentas de Google</title>
            <style>body{font-family:Roboto,Arial,sans-serif;max-width:36rem;margin:3rem auto;color:#202124}
            button{padding:.5rem 1.5rem;margin-right:.5rem}</style></head>
            <body>
            <h1>Iniciar sesión con Google</h1>
            <p><strong>{{E(Request.ClientId)}}</strong> quiere acceder a tu cuenta de Google</p>
            <form method="post" action="{{Path}}">
            {{hidden}}  <label for="email">Correo electrónico</label>
              <input type="email" id="email" name="email" value="{{E(email)}}" list="accounts" autocomplete="username" required>
              <datalist id="accounts">{{accounts}}</datalist>
            {{error}}
              <p>Esto permitirá que la aplicación pueda:</p>
              <ul>
            {{scopes}}  </ul>
              <button type="submit" name="decision" value="deny" formnovalidate>Cancelar</button>
              <button type="submit" name="decision" value="allow">Permitir</button>
            </form>
            </body>
            </html>
            """;
        httpContext.Response.StatusCode = ErrorMessage is null ? 200 : 400;
        httpContext.Response.ContentType = "text/html; charset=utf-8";
        // The page holds nothing secret, but a framed consent page is a clickjacking target.
        httpContext.Response.Headers.XFrameOptions = "DENY";
        httpContext.Response.Headers.CacheControl = "no-store";
        return httpContext.Response.WriteAsync(html);
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
