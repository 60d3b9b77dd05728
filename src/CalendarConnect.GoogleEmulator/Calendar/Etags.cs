namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>If-Match and If-None-Match against a resource's etag, as HTTP compares them.</summary>
public static class Etags
{
    /// <summary>Whether <paramref name="header"/> is "*" or lists <paramref name="etag"/> (weak or strong, quoted or not).</summary>
    public static bool Listed(string header, string? etag)
    {
        var current = Unquoted(etag ?? "");
        return header.Split(',').Select(Unquoted).Any(tag => tag == "*" || (tag.Length > 0 && tag == current));
    }

    /// <summary>If-None-Match naming the current etag: Google answers 304 Not Modified with no body.</summary>
    public static bool NotModified(HttpContext context, string? etag) =>
        context.Request.Headers.IfNoneMatch.ToString() is { Length: > 0 } header && Listed(header, etag);

    /// <summary>The request's If-Match header, or null when it has none.</summary>
    public static string? IfMatch(HttpContext context) =>
        context.Request.Headers.IfMatch.ToString() is { Length: > 0 } header ? header : null;

    private static string Unquoted(string tag)
    {
        tag = tag.Trim();
        if (tag.StartsWith("W/", StringComparison.Ordinal)) tag = tag[2..];
        return tag.Trim('"');
    }
}
