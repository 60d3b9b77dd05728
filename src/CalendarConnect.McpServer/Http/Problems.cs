namespace CalendarConnect.McpServer.Http;

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

    /// <summary>The detail of a problem whose fields are named in "errors".</summary>
    public const string InvalidFields = "Some fields are invalid.";

    public static string Title(int status) => status switch
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
