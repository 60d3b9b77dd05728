using System.Collections.Concurrent;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace CalendarConnect.Backend.Web;

/// <summary>The page files embedded in this assembly (the Assets folders of AdminPage, SignIn, ApiDocs, Chat), read once.</summary>
public static class EmbeddedAssets
{
    private const string ResourcePrefix = "CalendarConnect.Backend.Assets.";
    private static readonly ConcurrentDictionary<string, string> Cache = new();
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Text(string fileName) => Cache.GetOrAdd(fileName, static name =>
    {
        using var stream = typeof(EmbeddedAssets).Assembly.GetManifestResourceStream(ResourcePrefix + name)
                           ?? throw new InvalidOperationException($"Embedded asset {name} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    /// <summary>The files embedded under <paramref name="folder"/> (the csproj keeps a folder in their names), as "folder/file".</summary>
    public static IReadOnlyList<string> InFolder(string folder) =>
    [
        .. typeof(EmbeddedAssets).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix + folder + "/", StringComparison.Ordinal))
            .Select(name => name[ResourcePrefix.Length..])
            .Order(StringComparer.Ordinal),
    ];

    /// <summary>Fills {{name}} placeholders with HTML-encoded values.</summary>
    public static string Render(string fileName, IReadOnlyDictionary<string, string> values)
    {
        var html = new StringBuilder(Text(fileName));
        foreach (var (name, value) in values) html.Replace("{{" + name + "}}", Encoder.Encode(value));
        return html.ToString();
    }

    public static IResult Page(string html, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, statusCode);

    public static IResult File(string fileName, string contentType) =>
        TypedResults.Text(Text(fileName), contentType, Encoding.UTF8);
}
