using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace CalendarConnect.GoogleEmulator;

/// <summary>JSON as Google writes it: indented, UTF-8 characters left as they are.</summary>
public static class GoogleJson
{
    /// <summary>Calendar API responses say UTF-8 in capitals; the OAuth endpoints say utf-8 (both as recorded).</summary>
    public const string ApiContentType = "application/json; charset=UTF-8";
    public const string OAuthContentType = "application/json; charset=utf-8";

    public static readonly JsonSerializerOptions Options = CreateOptions();

    public static IResult Api(JsonNode body, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(body, Options, ApiContentType, statusCode);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
