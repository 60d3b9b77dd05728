using System.Text.Json;
using System.Text.Json.Nodes;

namespace CalendarConnect.GoogleEmulator.Calendar;

/// <summary>Reads a JSON object request body the way Google's front end does: malformed → 400 parseError.</summary>
public static class JsonBody
{
    /// <summary>Google caps API request bodies; 1 MB is far above any real event and keeps the emulator safe.</summary>
    public const int MaxBytes = 1024 * 1024;

    public static async Task<(JsonObject? Body, ApiError? Error)> ReadObjectAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBytes) return (null, ApiError.RequestTooLarge);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk)) > 0)
        {
            if (buffer.Length + read > MaxBytes) return (null, ApiError.RequestTooLarge);
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0) return (null, ApiError.ParseError);
        try
        {
            return JsonNode.Parse(buffer.ToArray(), documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) is JsonObject body
                ? (body, null)
                : (null, ApiError.ParseError);
        }
        catch (JsonException)
        {
            return (null, ApiError.ParseError);
        }
    }
}
