using CalendarConnect.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;

namespace CalendarConnect.McpServer.Http;

/// <summary>
/// The words of the problems the framework makes for the service endpoints (a body it could not bind to its request
/// record, a validation failure, a body too large or not JSON): every problem says what is wrong in its detail. A
/// problem an endpoint made has its own words and is kept.
/// </summary>
public static class JsonRequestProblems
{
    public static void InServiceWords(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Detail is not null) return;
        if (JsonRequestFailure.Of(context.Exception, context.HttpContext, context.AdditionalMetadata) is { } failure)
        {
            Describe(problem, failure);
            return;
        }
        (problem.Title, problem.Detail) = (context.Exception, problem.Status) switch
        {
            (_, StatusCodes.Status413PayloadTooLarge) => (Problems.Title(413), "The request body is too large."),
            (_, StatusCodes.Status415UnsupportedMediaType) => (Problems.Title(415), "Send the body as JSON with 'Content-Type: application/json'."),
            (null, StatusCodes.Status400BadRequest) when problem is HttpValidationProblemDetails => (Problems.Title(400), Problems.InvalidFields),
            (BadHttpRequestException, _) => (Problems.Title(problem.Status ?? 400), "The request could not be read."),
            _ => (problem.Title, problem.Detail),
        };
    }

    private static void Describe(ProblemDetails problem, JsonRequestFailure failure)
    {
        problem.Title = Problems.Title(StatusCodes.Status400BadRequest);
        problem.Detail = failure.Kind switch
        {
            JsonRequestFailureKind.Empty => "Send a JSON object in the body.",
            JsonRequestFailureKind.NotJson => "The request body is not valid JSON" + (failure.Line is { } line ? $" (line {line + 1}, position {failure.Position + 1})." : "."),
            _ => Problems.InvalidFields,
        };
        if (failure is not { Kind: > JsonRequestFailureKind.NotJson, Body: { } body }) return;
        problem.Extensions["errors"] = new Dictionary<string, string[]>
        {
            [failure.Field is { } field ? JsonRequestFailure.FieldKey(field) : "body"] = [failure.Kind switch
            {
                JsonRequestFailureKind.UnknownField => body.UnknownField(failure.Field!),
                JsonRequestFailureKind.WrongValue => body.WrongValue?.Invoke(failure.Field!)
                    ?? (failure.FieldType == typeof(string) ? $"{failure.Field} must be text." : body.BodyShape()),
                JsonRequestFailureKind.Duplicate => $"{(failure.Field is { } twice ? JsonRequestFailure.FieldKey(twice) : "A field")} appears more than once.",
                _ => body.BodyShape(),
            }],
        };
    }
}
