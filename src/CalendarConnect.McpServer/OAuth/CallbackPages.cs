using System.Text.Encodings.Web;
using System.Text.Unicode;
using CalendarConnect.McpServer.Http;

namespace CalendarConnect.McpServer.OAuth;

/// <summary>
/// The short Spanish pages a company's person sees when a connection cannot be completed: what happened
/// and what to do. They never contain a code or token; a "try again" link is a fresh authorization at Google (its own new
/// state), exactly where the company's shareable link would send it.
/// </summary>
public static class CallbackPages
{
    // Encodes markup characters but keeps Spanish letters readable in the page source.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static IResult Denied() => Page(StatusCodes.Status200OK, "Autorización cancelada",
        "No se otorgó acceso a Google Calendar, así que el calendario sigue sin conectar.",
        "Si fue un error, pida al administrador un nuevo link de conexión y elija «Permitir».");

    public static IResult InvalidOrUsedState() => Page(StatusCodes.Status400BadRequest, "Este link ya no es válido",
        "El link de autorización expiró, ya fue usado o no es reconocido.",
        "Pida al administrador un nuevo link de conexión y ábralo una sola vez.");

    public static IResult MissingParameters() => Page(StatusCodes.Status400BadRequest, "Solicitud incompleta",
        "Google no devolvió los datos necesarios para conectar el calendario.",
        "Vuelva a abrir el link de conexión que le envió el administrador.");

    public static IResult GoogleError() => Page(StatusCodes.Status400BadRequest, "Google no completó la autorización",
        "Google informó un error y el calendario no se conectó.",
        "Vuelva a intentarlo con un nuevo link; si el problema sigue, avise al administrador.");

    /// <summary>The code exchange failed (after its one retry when transient): a timeout, an error at Google, or a refusal.</summary>
    /// <param name="retryUrl">A fresh authorization for the same company: the code of this one is spent or dead.</param>
    public static IResult ExchangeFailed(TokenFailure failure, string retryUrl) => Page(StatusCodes.Status502BadGateway, "No pudimos conectar el calendario",
        failure.Error == GoogleOAuthClient.NoAnswerInTime
            ? "Google no respondió a tiempo al confirmar la autorización, tampoco al reintentarlo. No se guardó nada."
            : failure.Kind == TokenFailureKind.Transient
                ? "Google tuvo un error al confirmar la autorización, también al reintentarlo. No se guardó nada."
                : "Google rechazó la confirmación de la autorización (el código pudo haber expirado o ya haberse usado). No se guardó nada.",
        failure.Kind == TokenFailureKind.Transient
            ? "Suele ser pasajero: vuelva a intentarlo en unos minutos. Si sigue fallando, avise al administrador."
            : "Vuelva a intentarlo; si el problema sigue, avise al administrador.",
        (retryUrl, TryAgain));

    public static IResult DeadLink() => Page(StatusCodes.Status404NotFound, "Este link de conexión ya no es válido",
        "El link expiró, fue revocado o ya se usó para conectar el calendario.",
        "Si todavía necesita conectar su Google Calendar, pida al administrador un link nuevo.");

    public static IResult AlreadyConnected() => Page(StatusCodes.Status200OK, "El calendario ya está conectado",
        "Este link ya cumplió su función: el Google Calendar de la empresa está conectado.",
        "No hace falta hacer nada más. Si quiere conectar otra cuenta, pida al administrador un link nuevo.");

    public const string TryAgain = "Intentar de nuevo";

    /// <param name="retryUrl">A fresh authorization at Google for the same company (a new state): the page's "try again" link.</param>
    public static IResult WrongAccount(string expectedEmail, string accountEmail, string retryUrl) => Page(StatusCodes.Status409Conflict,
        "Esta no es la cuenta de Google esperada",
        $"Se esperaba la cuenta {expectedEmail}, pero se autorizó con {accountEmail}. El calendario no se conectó y no se guardó nada.",
        $"Vuelva a intentarlo e ingrese con {expectedEmail}. Si la cuenta correcta es otra, avise al administrador: verá este intento y podrá aceptarla.",
        (retryUrl, TryAgain));

    public static IResult AccountNotVerified(string expectedEmail, string retryUrl) => Page(StatusCodes.Status502BadGateway,
        "No pudimos comprobar la cuenta de Google",
        $"Google no nos dejó confirmar que la cuenta autorizada sea {expectedEmail}, así que el calendario no se conectó y no se guardó nada.",
        $"Vuelva a intentarlo en unos minutos e ingrese con {expectedEmail}.",
        (retryUrl, TryAgain));

    /// <summary>The pages' one inline style; the Content-Security-Policy allows exactly it, by its hash.</summary>
    private const string Style = """
          body { font-family: system-ui, sans-serif; background: #f5f6f8; color: #1f2933; margin: 0; }
          main { max-width: 32rem; margin: 12vh auto; background: #fff; border-radius: 12px; padding: 2rem;
                 box-shadow: 0 2px 12px rgba(0,0,0,.08); }
          h1 { font-size: 1.4rem; margin-top: 0; }
          p.next { color: #52606d; }
          a.action { display: inline-block; background: #1a73e8; color: #fff; padding: .6rem 1.2rem; border-radius: 6px; text-decoration: none; }
        """;

    public static readonly string ContentSecurityPolicy = HtmlPage.ContentSecurityPolicyFor(Style);

    private static IResult Page(int status, string title, string what, string next, (string Href, string Label)? action = null)
    {
        var link = action is { } a ? $"""<p><a class="action" href="{Html.Encode(a.Href)}">{Html.Encode(a.Label)}</a></p>""" : "";
        var html = $$"""
            <!DOCTYPE html>
            <html lang="es">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{Html.Encode(title)}} · CalendarConnect</title>
            <style>{{Style}}</style>
            </head>
            <body><main>
            <h1>{{Html.Encode(title)}}</h1>
            <p>{{Html.Encode(what)}}</p>
            <p class="next">{{Html.Encode(next)}}</p>
            {{link}}
            </main></body>
            </html>
            """;
        return new HtmlPage(html, status) { ContentSecurityPolicy = ContentSecurityPolicy };
    }
}
