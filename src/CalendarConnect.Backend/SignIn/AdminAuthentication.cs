using CalendarConnect.Backend.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.SignIn;

/// <summary>
/// The admin signs in at /ingresar (cookie); the API also takes HTTP Basic. Unauthenticated API calls get a
/// 401 problem, unauthenticated pages a redirect to /ingresar.
/// </summary>
public static class AdminAuthentication
{
    public const string CookieScheme = "AdminCookie";
    public const string BasicScheme = "AdminBasic";
    /// <summary>Basic when the request carries a Basic header, the cookie otherwise.</summary>
    public const string ApiScheme = "AdminApi";
    public const string ApiPolicy = "AdminApi";
    public const string PagePolicy = "AdminPage";
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    public static IServiceCollection AddAdminSignIn(this IServiceCollection services)
    {
        services.AddOptions<AdminOptions>()
            .Configure<IConfiguration>((o, config) =>
            {
                if (config[AdminOptions.UserVariable] is { Length: > 0 } user) o.User = user.Trim();
                o.Password = config[AdminOptions.PasswordVariable] ?? "";
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>();
        services.AddSingleton<AdminCredentials>();
        services.AddSingleton<SignInThrottle>();

        services.AddAuthentication(CookieScheme)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "cc_admin";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/ingresar";
                o.LogoutPath = "/salir";
                o.ReturnUrlParameter = "volver";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = context => IsApi(context.Request)
                    ? Problems.Unauthorized().ExecuteAsync(context.HttpContext)
                    : Redirect(context);
                o.Events.OnRedirectToAccessDenied = context => IsApi(context.Request)
                    ? Problems.Create(StatusCodes.Status403Forbidden, "Acceso denegado", "Esta cuenta no puede usar este recurso.").ExecuteAsync(context.HttpContext)
                    : Redirect(context);
            })
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicScheme, null)
            .AddPolicyScheme(ApiScheme, "Admin cookie or HTTP Basic", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)
                    ? BasicScheme
                    : CookieScheme);

        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, p => p.AddAuthenticationSchemes(ApiScheme).RequireAuthenticatedUser())
            .AddPolicy(PagePolicy, p => p.AddAuthenticationSchemes(CookieScheme).RequireAuthenticatedUser());

        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "cc_af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__csrf";
            o.HeaderName = AntiforgeryHeader;
            o.SuppressXFrameOptionsHeader = true; // SecurityHeaders sends DENY
        });
        return services;
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/v1");

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Only a path on this site (not //host or /\host) may be a redirect target after sign-in.</summary>
    public static string SafeReturnPath(string? candidate) =>
        candidate is { Length: > 1 } path && path[0] == '/' && path[1] != '/' && path[1] != '\\'
        && !path.Any(char.IsControl) && Uri.TryCreate(path, UriKind.Relative, out _)
            ? path
            : "/clientes";
}

/// <summary>
/// A browser signed in with the cookie must also send the antiforgery token (header X-CSRF-TOKEN) on API writes;
/// HTTP Basic callers (automation) need not.
/// </summary>
public sealed class CookieAntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.Identity?.AuthenticationType != AdminAuthentication.BasicScheme
            && !await antiforgery.IsRequestValidAsync(http))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, "Token antiforgery inválido",
                $"Falta el encabezado {AdminAuthentication.AntiforgeryHeader} o no es válido: recargue la página /clientes.");
        }
        return await next(context);
    }
}
