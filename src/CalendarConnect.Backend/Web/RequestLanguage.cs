using Microsoft.Net.Http.Headers;

namespace CalendarConnect.Backend.Web;

/// <summary>The languages the API writes its messages (problem titles, details, field errors) in.</summary>
public enum ApiLanguage { Spanish, English }

/// <summary>
/// The language of the current request's messages, from its Accept-Language header: English when the caller prefers
/// English to Spanish (the admin page sends "en" when it is switched to English), Spanish otherwise.
/// </summary>
/// <remarks>
/// Kept in an AsyncLocal set by a middleware at the front of the pipeline, so <see cref="ApiTexts"/> can be read from
/// anywhere a message is made (validators, authentication handlers, endpoint filters) without passing the request.
/// </remarks>
public static class RequestLanguage
{
    private static readonly AsyncLocal<ApiLanguage> CurrentLanguage = new();

    public static ApiLanguage Current => CurrentLanguage.Value;

    /// <summary>The language asked for by an Accept-Language value; Spanish when it names neither or cannot be read.</summary>
    public static ApiLanguage FromAcceptLanguage(string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || header.Length > 1024) return ApiLanguage.Spanish;
        if (!StringWithQualityHeaderValue.TryParseList([header], out var ranges)) return ApiLanguage.Spanish;
        double spanish = -1, english = -1;
        foreach (var range in ranges)
        {
            var tag = range.Value.Value ?? "";
            var quality = range.Quality ?? 1;
            var primary = tag.Split('-', 2)[0];
            if (primary.Equals("es", StringComparison.OrdinalIgnoreCase)) spanish = Math.Max(spanish, quality);
            else if (primary.Equals("en", StringComparison.OrdinalIgnoreCase)) english = Math.Max(english, quality);
        }
        return english > 0 && english > spanish ? ApiLanguage.English : ApiLanguage.Spanish;
    }

    /// <summary>Runs first, so every message of the request (also 401s and error pages) uses its language.</summary>
    public static WebApplication UseRequestLanguage(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var language = FromAcceptLanguage(context.Request.Headers.AcceptLanguage.ToString());
            CurrentLanguage.Value = language;
            // Set when the answer starts, not now: the exception handler clears the headers before it writes its
            // 500 problem (which is in this language too), and other code may have said Vary for its own reasons.
            if (context.Request.Path.StartsWithSegments("/v1"))
                context.Response.OnStarting(() =>
                {
                    AddLanguageHeaders(context.Response, language);
                    return Task.CompletedTask;
                });
            await next(context);
        });
        return app;
    }

    /// <summary>Content-Language of the answer, and Accept-Language added to (not replacing) any Vary already there.</summary>
    private static void AddLanguageHeaders(HttpResponse response, ApiLanguage language)
    {
        response.Headers.ContentLanguage = language == ApiLanguage.English ? "en" : "es";
        var varies = response.Headers.Vary.SelectMany(v => (v ?? "").Split(',')).Select(v => v.Trim()).ToList();
        if (!varies.Any(v => v == "*" || v.Equals(HeaderNames.AcceptLanguage, StringComparison.OrdinalIgnoreCase)))
            response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptLanguage);
    }

    /// <summary>Sets the language for code that runs outside a request (tests).</summary>
    public static void Set(ApiLanguage language) => CurrentLanguage.Value = language;
}
