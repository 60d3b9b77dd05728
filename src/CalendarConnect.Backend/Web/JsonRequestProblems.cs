using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.Web;

/// <summary>
/// The words of a request body the framework could not bind to its request record (<see cref="JsonRequestBody"/>): the
/// binding failure arrives here as the <see cref="BadHttpRequestException"/> the exception handler turns into a 400
/// problem, and this says what is wrong in the request's language, naming the field in "errors" as the API's own
/// validation does. The framework's message never reaches the client or the log (it may quote the body's field names).
/// </summary>
public static class JsonRequestProblems
{
    /// <summary>A field name is the client's text: a long one is cut in the answer.</summary>
    private const int MaxFieldNameLength = 64;

    /// <summary>Fills the problem of a body that could not be bound; false for any other problem.</summary>
    public static bool TryDescribe(ProblemDetailsContext context)
    {
        if (context.Exception is not BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } bad) return false;
        var metadata = context.AdditionalMetadata ?? context.HttpContext.GetEndpoint()?.Metadata;
        var body = metadata?.GetMetadata<JsonRequestBody>();
        var problem = context.ProblemDetails;
        if (bad.InnerException is not JsonException json)
        {
            // The framework refuses a required body that is empty (or JSON null) without an inner exception.
            if (body is null || bad.InnerException is not null) return false;
            problem.Title = ApiTexts.EmptyBodyTitle;
            problem.Detail = ApiTexts.EmptyBodyDetail;
            return true;
        }
        if (json.InnerException is JsonException syntax) // the reader's: the text is not JSON (or nested too deep)
        {
            problem.Title = ApiTexts.InvalidJsonTitle;
            problem.Detail = ApiTexts.InvalidJsonDetail(syntax.LineNumber, syntax.BytePositionInLine ?? 0);
            return true;
        }

        if (body is null) return false;
        problem.Title = ApiTexts.InvalidDataTitle;
        problem.Detail = ApiTexts.InvalidDataDetail;
        problem.Extensions["errors"] = FieldError(context.HttpContext, body, json);
        return true;
    }

    private static Dictionary<string, string[]> FieldError(HttpContext http, JsonRequestBody body, JsonException json)
    {
        if (FieldOf(json.Path) is not { } field) return new() { ["body"] = [body.BodyShape()] };
        var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var property = options.GetTypeInfo(body.RequestType).Properties.FirstOrDefault(p => p.Name == field);
        var message = property is null ? body.UnknownField(field)
            // A known field the reader could not take: its value has the wrong type, is out of the type's range or is
            // not valid text. Request records' fields are values, text, MergePatchField or JsonElement, whose converters
            // say so with an inner exception (NotNullJsonConverter too)...
            : json.InnerException is not null ? WrongValue(field, property.PropertyType, body)
            // ...so a known field without one was readable: it came twice (duplicate properties are refused).
            : ApiTexts.Duplicate;
        return new() { [FieldKey(field)] = [message] };
    }

    /// <summary>A field name as an "errors" key: it is the client's text, so a long one is cut.</summary>
    public static string FieldKey(string field) => field.Length <= MaxFieldNameLength ? field : field[..MaxFieldNameLength] + "…";

    private static string WrongValue(string field, Type fieldType, JsonRequestBody body) =>
        body.WrongValue?.Invoke(field) is { } own ? own
        : fieldType == typeof(string) ? ApiTexts.MustBeString
        : fieldType == typeof(MergePatchField) ? ApiTexts.MustBeStringOrNull
        : body.BodyShape();

    /// <summary>The top-level field of a JSON path ("$.customer_id", "$['odd name']"), or null for the body itself.</summary>
    private static string? FieldOf(string? path)
    {
        if (path is null || path.Length < 2 || path[0] != '$') return null;
        if (path[1] == '.')
        {
            var end = path.IndexOfAny(['.', '['], 2);
            return end < 0 ? path[2..] : path[2..end];
        }
        if (path.StartsWith("$['", StringComparison.Ordinal))
        {
            var end = path.IndexOf("']", 3, StringComparison.Ordinal);
            return end < 0 ? path[3..] : path[3..end];
        }
        return null;
    }
}
