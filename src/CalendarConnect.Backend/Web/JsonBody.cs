using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalendarConnect.Backend.Web;

/// <summary>Reads a small JSON request body by hand, so every way it can be wrong gets a clear problem.</summary>
public static class JsonBody
{
    public const int MaxBytes = 16 * 1024;

    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
            return (null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, "Tipo de contenido no admitido",
                "El cuerpo debe ser JSON con Content-Type: application/json."));
        if (request.ContentLength > MaxBytes) return (null, TooLarge());

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes) return (null, TooLarge());
        }
        if (buffer.Length == 0)
            return (null, Problems.Create(StatusCodes.Status400BadRequest, "Cuerpo vacío", "Envíe un objeto JSON en el cuerpo."));

        try
        {
            var document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            return (document, null);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (línea {line + 1}, posición {ex.BytePositionInLine + 1})" : "";
            return (null, Problems.Create(StatusCodes.Status400BadRequest, "JSON inválido",
                $"El cuerpo no es JSON válido{where}."));
        }
    }

    private static ProblemHttpResult TooLarge() => Problems.Create(StatusCodes.Status413PayloadTooLarge,
        "Cuerpo demasiado grande", $"El cuerpo puede tener como máximo {MaxBytes} bytes.");
}
