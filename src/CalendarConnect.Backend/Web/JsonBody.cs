using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalendarConnect.Backend.Web;

/// <summary>Reads a small JSON request body by hand, so every way it can be wrong gets a clear problem.</summary>
public static class JsonBody
{
    public const int MaxBytes = JsonRequestBody.MaxBytes;

    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
            return (null, Problems.Create(StatusCodes.Status415UnsupportedMediaType, ApiTexts.UnsupportedMediaTypeTitle,
                ApiTexts.UnsupportedMediaTypeDetail));
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
            return (null, Problems.Create(StatusCodes.Status400BadRequest, ApiTexts.EmptyBodyTitle, ApiTexts.EmptyBodyDetail));

        try
        {
            var document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = JsonRequestBody.MaxDepth });
            return (document, null);
        }
        catch (JsonException ex)
        {
            return (null, Problems.Create(StatusCodes.Status400BadRequest, ApiTexts.InvalidJsonTitle,
                ApiTexts.InvalidJsonDetail(ex.LineNumber, ex.BytePositionInLine ?? 0)));
        }
    }

    private static ProblemHttpResult TooLarge() => Problems.Create(StatusCodes.Status413PayloadTooLarge,
        ApiTexts.BodyTooLargeTitle, ApiTexts.BodyTooLargeDetail(MaxBytes));
}
