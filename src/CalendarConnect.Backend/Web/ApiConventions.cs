using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

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
        services.AddProblemDetails();
        return services;
    }

    /// <summary>
    /// Any exception becomes a generic problem (the details go to the log only); an empty error response
    /// (unknown route, wrong method) gets a problem body too.
    /// </summary>
    public static WebApplication UseApiErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler(error => error.Run(async context =>
        {
            var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            var result = exception is BadHttpRequestException bad
                ? Problems.Create(bad.StatusCode, ApiTexts.BadRequestTitle, ApiTexts.BadRequestDetail)
                : Problems.Create(StatusCodes.Status500InternalServerError, ApiTexts.InternalErrorTitle, ApiTexts.InternalErrorDetail);
            await result.ExecuteAsync(context);
        }));
        app.UseStatusCodePages(async status =>
        {
            var context = status.HttpContext;
            var code = context.Response.StatusCode;
            var (title, detail) = code switch
            {
                404 => (ApiTexts.NotFoundTitle, ApiTexts.NotFoundDetail),
                405 => (ApiTexts.MethodNotAllowedTitle, ApiTexts.MethodNotAllowedDetail),
                _ => (ApiTexts.GenericErrorTitle, ApiTexts.GenericErrorDetail),
            };
            await Problems.Create(code, title, detail).ExecuteAsync(context);
        });
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
