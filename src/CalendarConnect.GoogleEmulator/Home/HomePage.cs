using System.Net;
using CalendarConnect.GoogleEmulator.Accounts;

namespace CalendarConnect.GoogleEmulator.Home;

/// <summary>A tiny landing page so a human opening the emulator sees which accounts exist.</summary>
public static class HomePage
{
    public static IEndpointRouteBuilder MapHomePage(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", (AccountStore accounts) =>
        {
            var items = string.Concat(accounts.List().Select(a =>
                $"<li>{WebUtility.HtmlEncode(a.Email)} ({WebUtility.HtmlEncode(a.TimeZone)})</li>"));
            var html = $"""
                <!DOCTYPE html>
                <html lang="es"><head><meta charset="utf-8"><title>Google emulator</title></head>
                <body><h1>Google emulator</h1><p>Cuentas:</p><ul>{items}</ul></body></html>
                """;
            return TypedResults.Content(html, "text/html; charset=utf-8");
        });
        return routes;
    }
}
