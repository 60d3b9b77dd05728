using CalendarConnect.Backend.SignIn;
using CalendarConnect.Backend.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace CalendarConnect.Backend.AdminPage;

/// <summary>
/// The admin pages /clientes (spec steps 1 and 3) and /estado ("Estado del sistema"), and their embedded script modules and
/// styles.
/// </summary>
public static class AdminPageEndpoints
{
    private const string ScriptModulesFolder = "clientes";

    public static IEndpointRouteBuilder MapAdminPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/clientes", (HttpContext context, IAntiforgery antiforgery) => SignedInPage(context, antiforgery, "clientes.html"))
            .RequireAuthorization(AdminAuthentication.PagePolicy);
        app.MapGet("/estado", (HttpContext context, IAntiforgery antiforgery) => SignedInPage(context, antiforgery, "estado.html"))
            .RequireAuthorization(AdminAuthentication.PagePolicy);

        // The page's script is an ES module; it imports the others from /assets/clientes/ (each embedded one is mapped).
        app.MapGet("/assets/clientes.js", (HttpContext context) => Asset(context, "clientes.js", "text/javascript")).AllowAnonymous();
        app.MapGet("/assets/estado.js", (HttpContext context) => Asset(context, "estado.js", "text/javascript")).AllowAnonymous();
        foreach (var module in EmbeddedAssets.InFolder(ScriptModulesFolder))
            app.MapGet("/assets/" + module, (HttpContext context) => Asset(context, module, "text/javascript")).AllowAnonymous();
        app.MapGet("/assets/admin.css", (HttpContext context) => Asset(context, "admin.css", "text/css")).AllowAnonymous();
        return app;
    }

    private static IResult SignedInPage(HttpContext context, IAntiforgery antiforgery, string fileName)
    {
        // The page's script sends this token as X-CSRF-TOKEN; the sign-out form posts it.
        var tokens = antiforgery.GetAndStoreTokens(context);
        return EmbeddedAssets.Page(EmbeddedAssets.Render(fileName, new Dictionary<string, string>
        {
            ["csrf_field"] = tokens.FormFieldName,
            ["csrf_token"] = tokens.RequestToken ?? "",
            ["user"] = context.User.Identity?.Name ?? "",
        }));
    }

    private static IResult Asset(HttpContext context, string fileName, string contentType)
    {
        context.Response.Headers.CacheControl = "no-cache";
        return EmbeddedAssets.File(fileName, contentType);
    }
}
