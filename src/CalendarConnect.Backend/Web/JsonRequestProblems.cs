using CalendarConnect.Infrastructure.Http;

namespace CalendarConnect.Backend.Web;

/// <summary>
/// The words of a request body the framework could not bind to its request record (<see cref="JsonRequestBody"/>, what
/// went wrong in <see cref="JsonRequestFailure"/>), in the request's language, naming the field in "errors" as the API's
/// own validation does.
/// </summary>
public static class JsonRequestProblems
{
    /// <summary>Fills the problem of a body that could not be bound; false for any other problem.</summary>
    public static bool TryDescribe(ProblemDetailsContext context)
    {
        if (JsonRequestFailure.Of(context.Exception, context.HttpContext, context.AdditionalMetadata) is not { } failure) return false;
        var problem = context.ProblemDetails;
        (problem.Title, problem.Detail) = failure.Kind switch
        {
            JsonRequestFailureKind.Empty => (ApiTexts.EmptyBodyTitle, ApiTexts.EmptyBodyDetail),
            JsonRequestFailureKind.NotJson => (ApiTexts.InvalidJsonTitle, ApiTexts.InvalidJsonDetail(failure.Line, failure.Position)),
            _ => (ApiTexts.InvalidDataTitle, ApiTexts.InvalidDataDetail),
        };
        if (failure is { Kind: > JsonRequestFailureKind.NotJson, Body: { } body })
            problem.Extensions["errors"] = new Dictionary<string, string[]>
            {
                [failure.Field is { } field ? JsonRequestFailure.FieldKey(field) : "body"] = [failure.Kind switch
                {
                    JsonRequestFailureKind.UnknownField => body.UnknownField(failure.Field!),
                    JsonRequestFailureKind.WrongValue => WrongValue(failure.Field!, failure.FieldType!, body),
                    JsonRequestFailureKind.Duplicate => ApiTexts.Duplicate,
                    _ => body.BodyShape(),
                }],
            };
        return true;
    }

    private static string WrongValue(string field, Type fieldType, JsonRequestBody body) =>
        body.WrongValue?.Invoke(field) is { } own ? own
        : fieldType == typeof(string) ? ApiTexts.MustBeString
        : fieldType == typeof(MergePatchField) ? ApiTexts.MustBeStringOrNull
        : body.BodyShape();
}
