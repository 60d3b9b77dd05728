using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using CalendarConnect.Infrastructure.Http;

namespace CalendarConnect.Backend.Web;

/// <summary>The API contract's conventions: snake_case JSON and RFC 7807 problems without internals.</summary>
public static class ApiConventions
{
    public static IServiceCollection AddApiConventions(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        // Request records (JsonRequestBody): strict JSON, and a body the framework cannot bind throws, so the exception
        // handler answers it with our words (JsonRequestProblems) rather than a bare 400; the records check themselves
        // (IValidatableObject).
        services.AddJsonRequestBodies();
        services.AddValidation();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = InApiWords);
        return services;
    }

    /// <summary>
    /// The words of a problem the framework makes (an exception, an empty error answer, a request it could not read),
    /// in the request's language; those carry no detail. A problem this API makes has its own words and is kept.
    /// </summary>
    private static void InApiWords(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Detail is not null || JsonRequestProblems.TryDescribe(context)) return;
        var (title, detail) = (context.Exception, problem.Status) switch
        {
            (_, StatusCodes.Status413PayloadTooLarge) => (ApiTexts.BodyTooLargeTitle, ApiTexts.BodyTooLargeDetail(BodyLimit(context))),
            (_, StatusCodes.Status415UnsupportedMediaType) => (ApiTexts.UnsupportedMediaTypeTitle, ApiTexts.UnsupportedMediaTypeDetail),
            (null, StatusCodes.Status400BadRequest) when problem is HttpValidationProblemDetails => (ApiTexts.InvalidDataTitle, ApiTexts.InvalidDataDetail),
            (BadHttpRequestException, _) => (ApiTexts.BadRequestTitle, ApiTexts.BadRequestDetail),
            (not null, _) => (ApiTexts.InternalErrorTitle, ApiTexts.InternalErrorDetail),
            (null, StatusCodes.Status404NotFound) => (ApiTexts.NotFoundTitle, ApiTexts.NotFoundDetail),
            (null, StatusCodes.Status405MethodNotAllowed) => (ApiTexts.MethodNotAllowedTitle, ApiTexts.MethodNotAllowedDetail),
            _ => (ApiTexts.GenericErrorTitle, ApiTexts.GenericErrorDetail),
        };
        problem.Title = title;
        problem.Detail = detail;
    }

    /// <summary>The body size limit of the endpoint that answered 413 (its metadata's, as Kestrel enforced it).</summary>
    private static int BodyLimit(ProblemDetailsContext context) =>
        (context.AdditionalMetadata ?? context.HttpContext.GetEndpoint()?.Metadata)?.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()
            ?.MaxRequestBodySize is { } limit and <= int.MaxValue ? (int)limit : JsonRequestBody.MaxBytes;

    /// <summary>
    /// Any exception becomes a problem through <see cref="IProblemDetailsService"/> (the details go to the log only):
    /// a request the server could not read keeps its 4xx, anything else is a 500. An empty error response (unknown
    /// route, wrong method) gets a problem body too. Their words are <see cref="InApiWords"/>.
    /// </summary>
    public static WebApplication UseApiErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            // A request the server could not read is the client's fault, answered with a problem: no error in the log
            // (the framework's message may quote the body).
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });
        app.UseStatusCodePages();
        return app;
    }
}

/// <summary>Problem+json results with a message a person understands, in the request's language (texts in <see cref="ApiTexts"/>).</summary>
public static class Problems
{
    public static ProblemHttpResult Create(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: ApiTexts.InvalidDataTitle, detail: ApiTexts.InvalidDataDetail);

    public static ProblemHttpResult McpServerUnavailable() => Create(StatusCodes.Status502BadGateway,
        ApiTexts.McpUnavailableTitle, ApiTexts.McpUnavailableDetail);

    public static ProblemHttpResult UnknownCustomer(string customerId) => Create(StatusCodes.Status404NotFound,
        ApiTexts.UnknownCustomerTitle, ApiTexts.UnknownCustomerDetail(customerId));

    public static ProblemHttpResult NoAccountAttempt(string customerId, string accountEmail) => Create(StatusCodes.Status409Conflict,
        ApiTexts.NoAccountAttemptTitle, ApiTexts.NoAccountAttemptDetail(customerId, accountEmail));

    public static ProblemHttpResult Unauthorized() => Create(StatusCodes.Status401Unauthorized,
        ApiTexts.UnauthorizedTitle, ApiTexts.UnauthorizedDetail);

    public static ProblemHttpResult Forbidden() => Create(StatusCodes.Status403Forbidden, ApiTexts.ForbiddenTitle, ApiTexts.ForbiddenDetail);

    public static ProblemHttpResult TooManyAttempts(TimeSpan retryAfter) => Create(StatusCodes.Status429TooManyRequests,
        ApiTexts.TooManyAttemptsTitle, ApiTexts.TooManyAttemptsDetail(Math.Max(1, (int)Math.Ceiling(retryAfter.TotalMinutes))));

    /// <summary>
    /// 409: the WhatsApp number is another company's. It names that company (only the admin reads this) when it is
    /// known: in a race the holder may not be found any more, and the message then says "another company".
    /// <paramref name="companySaved"/>: connect lost that race after saving the company, and says so.
    /// </summary>
    public static ProblemHttpResult WhatsAppNumberTaken(string number, string? holder, bool companySaved = false) =>
        TypedResults.Problem(new Microsoft.AspNetCore.Http.HttpValidationProblemDetails(
            new Dictionary<string, string[]> { ["whatsapp_number"] = [ApiTexts.WhatsAppTakenField] })
        {
            Status = StatusCodes.Status409Conflict,
            Title = ApiTexts.WhatsAppTakenTitle,
            Detail = ApiTexts.WhatsAppTakenDetail(number, holder) + (companySaved ? " " + ApiTexts.WhatsAppTakenCompanySaved : ""),
            Type = "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        });
}
