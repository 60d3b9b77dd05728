using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Infrastructure.Http;

/// <summary>What is wrong with a request body the framework could not bind to its request record.</summary>
public enum JsonRequestFailureKind
{
    /// <summary>No body where one is required (or JSON null for a required record).</summary>
    Empty,

    /// <summary>The text is not JSON, or nests deeper than <see cref="JsonRequestBody.MaxDepth"/>.</summary>
    NotJson,

    /// <summary>JSON, but not the object the record is (errors["body"]).</summary>
    NotTheShape,

    /// <summary>A field the record does not have.</summary>
    UnknownField,

    /// <summary>A field whose value is not of its kind (type, range, text that is not valid UTF-16, null where refused).</summary>
    WrongValue,

    /// <summary>A field given twice.</summary>
    Duplicate,
}

/// <summary>
/// A request body the framework could not bind (<see cref="JsonRequestBody"/>): the binding failure arrives at the
/// service's problem details as the <see cref="BadHttpRequestException"/> its exception handler turns into a 400, and
/// this says what went wrong, so the service can say it in its own words. The framework's message never reaches the
/// client or the log (it may quote the body's field names).
/// </summary>
/// <param name="Field">The top-level field the failure is about; null for the body as a whole.</param>
/// <param name="FieldType">The record's type for <see cref="Field"/>, for <see cref="JsonRequestFailureKind.WrongValue"/>.</param>
/// <param name="Line">Where the text stopped being JSON (<see cref="JsonRequestFailureKind.NotJson"/>).</param>
public sealed record JsonRequestFailure(JsonRequestFailureKind Kind, JsonRequestBody? Body, string? Field = null, Type? FieldType = null,
    long? Line = null, long Position = 0)
{
    /// <summary>A field name is the client's text: a long one is cut in the answer.</summary>
    private const int MaxFieldNameLength = 64;

    /// <summary>A field name as an "errors" key: it is the client's text, so a long one is cut.</summary>
    public static string FieldKey(string field) => field.Length <= MaxFieldNameLength ? field : field[..MaxFieldNameLength] + "…";

    /// <summary>The failure behind a problem the framework is writing, or null when it is not a body that could not be bound.</summary>
    public static JsonRequestFailure? Of(Exception? exception, HttpContext http, EndpointMetadataCollection? metadata)
    {
        if (exception is not BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } bad) return null;
        var body = (metadata ?? http.GetEndpoint()?.Metadata)?.GetMetadata<JsonRequestBody>();
        if (bad.InnerException is not JsonException json)
            // The framework refuses a required body that is empty (or JSON null) without an inner exception.
            return body is null || bad.InnerException is not null ? null : new(JsonRequestFailureKind.Empty, body);
        if (json.InnerException is JsonException syntax) // the reader's: the text is not JSON (or nested too deep)
            return new(JsonRequestFailureKind.NotJson, body, Line: syntax.LineNumber, Position: syntax.BytePositionInLine ?? 0);
        if (body is null) return null;
        var typeInfo = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions.GetTypeInfo(body.RequestType);
        // A body read as any JSON (JsonElement) that is JSON fails only when a field came twice (at times without a path).
        if (typeInfo.Kind != JsonTypeInfoKind.Object) return new(JsonRequestFailureKind.Duplicate, body, FieldOf(json.Path));
        if (FieldOf(json.Path) is not { } field) return new(JsonRequestFailureKind.NotTheShape, body);
        var property = typeInfo.Properties.FirstOrDefault(p => p.Name == field);
        return property is null ? new(JsonRequestFailureKind.UnknownField, body, field)
            // A known field the reader could not take: its value has the wrong type, is out of the type's range or is not
            // valid text. Request records' fields are values, text, JsonElement or single-value structs whose converters
            // say so with an inner exception (NotNullJsonConverter too)...
            : json.InnerException is not null ? new(JsonRequestFailureKind.WrongValue, body, field, property.PropertyType)
            // ...so a known field without one was readable: it came twice (duplicate properties are refused).
            : new(JsonRequestFailureKind.Duplicate, body, field);
    }

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
