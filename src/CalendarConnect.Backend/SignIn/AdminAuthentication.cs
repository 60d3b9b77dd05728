using CalendarConnect.Backend.Storage;
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
    public const string BearerScheme = "AdminBearer";
    /// <summary>Basic or Bearer when the request carries that Authorization header, the cookie otherwise.</summary>
    public const string ApiScheme = "AdminApi";
    public const string ApiPolicy = "AdminApi";
    public const string PagePolicy = "AdminPage";
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    public static IServiceCollection AddAdminSignIn(this IServiceCollection services)
    {
        services.AddSingleton<AdminCredentials>();
        services.AddSingleton<AdminApiKeys>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<AdminSessionStore>();
        services.AddSingleton<AdminSessions>();

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
                // No sliding: the cookie lives the absolute lifetime from sign-in; idleness is the server-side session's
                // rule (AdminSessions), so it is enforced, logged and its row deleted on every replica alike.
                o.SlidingExpiration = false;
                // Every request's cookie is checked against its server-side session (sign-out, password, lifetimes).
                o.Events.OnValidatePrincipal = context =>
                    context.HttpContext.RequestServices.GetRequiredService<AdminSessions>().ValidateAsync(context);
                o.Events.OnRedirectToLogin = context => IsApi(context.Request)
                    ? Problems.Unauthorized().ExecuteAsync(context.HttpContext)
                    : Redirect(context);
                o.Events.OnRedirectToAccessDenied = context => IsApi(context.Request)
                    ? Problems.Forbidden().ExecuteAsync(context.HttpContext)
                    : Redirect(context);
            })
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicScheme, null)
            .AddScheme<AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerScheme, null)
            .AddPolicyScheme(ApiScheme, "Admin cookie, HTTP Basic or bearer key", o => o.ForwardDefaultSelector = context =>
            {
                var scheme = context.Request.Headers.Authorization.ToString().Trim().Split(' ', 2)[0];
                return scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) ? BasicScheme
                    : scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) ? BearerScheme
                    : CookieScheme;
            });

        // The cookie's own expiry is the absolute lifetime (the server-side session enforces it too); it must not be the
        // idle timeout, or the cookie would lapse before the server's idle rule is ever reached.
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme)
            .Configure<IOptions<AdminSessionOptions>>((o, sessions) => o.ExpireTimeSpan = sessions.Value.Lifetime);

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
/// HTTP Basic and bearer-key callers (automation) need not: a browser never sends those headers on its own.
/// </summary>
public sealed class CookieAntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var scheme = http.User.Identity?.AuthenticationType;
        if (scheme != AdminAuthentication.BasicScheme && scheme != AdminAuthentication.BearerScheme
            && !await antiforgery.IsRequestValidAsync(http))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ApiTexts.AntiforgeryTitle,
                ApiTexts.AntiforgeryDetail(AdminAuthentication.AntiforgeryHeader));
        }
        return await next(context);
    }
}
