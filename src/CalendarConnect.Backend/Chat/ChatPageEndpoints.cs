using CalendarConnect.Backend.SignIn;
using CalendarConnect.Backend.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace CalendarConnect.Backend.Chat;

/// <summary>
/// /chat: the signed-in admin tries the assistant as a customer of a chosen company. The page talks to the same
/// public POST /v1/assistant/messages a company's chat widget would, in a fresh conversation per visit.
/// </summary>
public static class ChatPageEndpoints
{
    public static IEndpointRouteBuilder MapChatPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/chat", (HttpContext context, IAntiforgery antiforgery) =>
        {
            // The sign-out form posts this token.
            var tokens = antiforgery.GetAndStoreTokens(context);
            return EmbeddedAssets.Page(EmbeddedAssets.Render("chat.html", new Dictionary<string, string>
            {
                ["csrf_field"] = tokens.FormFieldName,
                ["csrf_token"] = tokens.RequestToken ?? "",
                ["user"] = context.User.Identity?.Name ?? "",
            }));
        }).RequireAuthorization(AdminAuthentication.PagePolicy).ExcludeFromDescription();

        app.MapGet("/assets/chat.js", (HttpContext context) => Asset(context, "chat.js", "text/javascript")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/assets/chat.css", (HttpContext context) => Asset(context, "chat.css", "text/css")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IResult Asset(HttpContext context, string fileName, string contentType)
    {
        context.Response.Headers.CacheControl = "no-cache";
        return EmbeddedAssets.File(fileName, contentType);
    }
}
