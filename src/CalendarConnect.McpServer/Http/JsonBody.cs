using System.Text.Json;

namespace CalendarConnect.McpServer.Http;

/// <summary>
/// Reads a small JSON request body ourselves, so that malformed, oversized or wrongly typed input gets a
/// problem+json that says what is wrong instead of the framework's bare 400.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 16 * 1024;

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class
    {
        if (request.ContentLength > MaxBytes) return (null, Problems.BadRequest("The request body is too large.", 413));
        if (!(request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) ?? false))
            return (null, Problems.BadRequest("Send the body as JSON with 'Content-Type: application/json'.", 415));
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[4096];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxBytes) return (null, Problems.BadRequest("The request body is too large.", 413));
                buffer.Write(chunk, 0, read);
            }

            var value = JsonSerializer.Deserialize<T>(buffer.ToArray());
            return value is null ? (null, Problems.BadRequest("The request body must be a JSON object.")) : (value, null);
        }
        catch (JsonException)
        {
            return (null, Problems.BadRequest("The request body is not valid JSON of the expected shape."));
        }
    }
}

/// <summary>
/// RFC 7807 problems with messages a person understands, all written by the framework's <see cref="IProblemDetailsService"/>
/// (registered by <c>AddProblemDetails</c>): one shape, with <c>type</c> and <c>traceId</c>, for endpoints, middleware and
/// the authentication handler alike.
/// </summary>
public static class Problems
{
    public static IResult BadRequest(string detail, int status = StatusCodes.Status400BadRequest, IDictionary<string, string[]>? errors = null) =>
        errors is null
            ? TypedResults.Problem(detail: detail, statusCode: status, title: Title(status))
            : TypedResults.ValidationProblem(errors, detail: detail, title: Title(status));

    /// <summary>Answers a request outside an endpoint (middleware, the authentication handler, a health probe) with a problem.</summary>
    public static Task WriteAsync(HttpContext http, int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: Title(status)).ExecuteAsync(http);

    private static string Title(int status) => status switch
    {
        400 => "Invalid request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        503 => "Service Unavailable",
        413 => "Request too large",
        415 => "Unsupported media type",
        _ => "Error",
    };
}
