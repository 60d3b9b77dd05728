using System.Security.Claims;
using CalendarConnect.Backend.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;

namespace CalendarConnect.Backend.SignIn;

/// <summary>GET/POST /ingresar (the Spanish sign-in form) and POST /salir.</summary>
public static class SignInEndpoints
{
    private static readonly FormOptions SmallForm = new()
    {
        ValueCountLimit = 16, ValueLengthLimit = 4096, KeyLengthLimit = 64, MultipartBodyLengthLimit = 16 * 1024,
    };

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/ingresar", (HttpContext context, IAntiforgery antiforgery, string? volver) =>
            context.User.Identity?.IsAuthenticated == true
                ? Results.Redirect(AdminAuthentication.SafeReturnPath(volver))
                : Form(context, antiforgery, volver, error: null, StatusCodes.Status200OK, usuario: null)).AllowAnonymous();

        app.MapPost("/ingresar", SignInAsync).AllowAnonymous().DisableAntiforgery();

        app.MapPost("/salir", async (HttpContext context, IAntiforgery antiforgery, AdminSessions sessions) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context)) return Results.Redirect("/clientes");
            await sessions.EndAsync(context.User, context.RequestAborted);
            await context.SignOutAsync(AdminAuthentication.CookieScheme);
            return Results.Redirect("/ingresar");
        }).AllowAnonymous().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery,
        AdminCredentials credentials, SignInThrottle throttle, AdminSessions sessions, CancellationToken cancellationToken)
    {
        if (!context.Request.HasFormContentType)
            return Form(context, antiforgery, null, "Envíe el formulario de ingreso.", StatusCodes.Status400BadRequest);
        IFormCollection form;
        try { form = await context.Request.ReadFormAsync(SmallForm, cancellationToken); }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            return Form(context, antiforgery, null, "El formulario no se pudo leer.", StatusCodes.Status400BadRequest);
        }
        var volver = form["volver"].ToString();

        if (!await antiforgery.IsRequestValidAsync(context))
            return Form(context, antiforgery, volver, "El formulario expiró. Vuelva a intentarlo.", StatusCodes.Status400BadRequest);

        var attempt = SignInAttempt.From(context, form["usuario"].ToString(), SignInAttempt.Form);
        if (throttle.LockedOutFor(attempt) is { } wait)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString();
            return Form(context, antiforgery, volver,
                $"Demasiados intentos fallidos. Espere {Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))} minuto(s) e intente de nuevo.",
                StatusCodes.Status429TooManyRequests);
        }

        if (!credentials.Matches(form["usuario"].ToString(), form["contrasena"].ToString()))
        {
            throttle.RecordFailure(attempt);
            return Form(context, antiforgery, volver, "Usuario o contraseña incorrectos.", StatusCodes.Status401Unauthorized,
                usuario: form["usuario"].ToString());
        }

        throttle.RecordSuccess(attempt);
        var session = await sessions.BeginAsync(credentials.User, cancellationToken);
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, credentials.User), new Claim(ClaimTypes.Role, "admin"), session],
            AdminAuthentication.CookieScheme);
        await context.SignInAsync(AdminAuthentication.CookieScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(AdminAuthentication.SafeReturnPath(volver));
    }

    private static IResult Form(HttpContext context, IAntiforgery antiforgery, string? volver, string? error, int status, string? usuario = null)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = EmbeddedAssets.Render("ingresar.html", new Dictionary<string, string>
        {
            ["csrf_field"] = tokens.FormFieldName,
            ["csrf_token"] = tokens.RequestToken ?? "",
            ["volver"] = AdminAuthentication.SafeReturnPath(volver),
            ["error"] = error ?? "",
            ["error_hidden"] = error is null ? "hidden" : "",
            ["usuario"] = usuario is { Length: <= 200 } ? usuario : "",
        });
        return EmbeddedAssets.Page(html, status);
    }
}
