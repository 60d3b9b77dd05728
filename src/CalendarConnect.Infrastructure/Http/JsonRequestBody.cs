using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarConnect.Infrastructure.Http;

/// <summary>
/// Endpoint metadata of a JSON request body the framework binds to a request record: its size limit (Kestrel answers
/// 413 past it, announced or chunked) and the words for a body that cannot be bound (the record's shape, an unknown
/// field, a value of the wrong kind), which the service's problem details put into the 400 the framework's binding
/// failure becomes (<see cref="JsonRequestFailure"/> says what went wrong).
/// </summary>
/// <param name="BodyShape">What the body must be, for a body that is not a JSON object (errors["body"]).</param>
/// <param name="UnknownField">The message for a field the record does not have, given the field's name.</param>
/// <param name="WrongValue">
/// The message for a field whose value is not of its kind, given the field's name, or null for the service's general one.
/// </param>
public sealed record JsonRequestBody(Type RequestType, Func<string> BodyShape, Func<string, string> UnknownField,
    Func<string, string?>? WrongValue = null) : IRequestSizeLimitMetadata
{
    /// <summary>The largest body an admin, assistant or service request needs, with room to spare.</summary>
    public const int MaxBytes = 16 * 1024;

    /// <summary>How deeply a request body may nest: a small request body never needs more.</summary>
    public const int MaxDepth = 16;

    public long? MaxRequestBodySize => MaxBytes;
}

public static class JsonRequestBodyEndpoints
{
    /// <summary>
    /// Strict JSON for request records: a field given twice is refused and a small body is never deep; a body the
    /// framework cannot bind throws, so the service's exception handler and problem details answer it in its words
    /// rather than with a bare 400. Each service also calls <c>AddValidation</c> itself (its source generator finds the
    /// records of that service's endpoints).
    /// </summary>
    public static IServiceCollection AddJsonRequestBodies(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.AllowDuplicateProperties = false;
            o.SerializerOptions.MaxDepth = JsonRequestBody.MaxDepth;
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>
    /// Declares the endpoint's <typeparamref name="TRequest"/> body: strict JSON bound by the framework
    /// (<see cref="AddJsonRequestBodies"/>), checked by the record's own validation (<c>AddValidation</c>), within
    /// <see cref="JsonRequestBody.MaxBytes"/>; a body that cannot be bound, or none where one is required, is a 400.
    /// </summary>
    /// <param name="optional">
    /// The body may be left out (the parameter allows an empty body and the handler gets null). A body that was sent
    /// but is JSON null is still not the object it must be: a 400 naming "body".
    /// </param>
    /// <param name="wrongValue">The message for a field whose value is not of its kind (<see cref="JsonRequestBody.WrongValue"/>).</param>
    public static RouteHandlerBuilder WithJsonBody<TRequest>(this RouteHandlerBuilder endpoint, Func<string> bodyShape,
        Func<string, string> unknownField, bool optional = false, Func<string, string?>? wrongValue = null)
    {
        endpoint.WithMetadata(new JsonRequestBody(typeof(TRequest), bodyShape, unknownField, wrongValue));
        if (!optional) return endpoint;
        return endpoint.AddEndpointFilterFactory((factory, next) =>
        {
            var index = Array.FindIndex(factory.MethodInfo.GetParameters(), p => p.ParameterType == typeof(TRequest));
            if (index < 0) throw new InvalidOperationException($"{factory.MethodInfo.Name} takes no {typeof(TRequest).Name} body.");
            // A validation problem without words of its own: the service's problem details give it its title and detail.
            return context => context.Arguments[index] is null && context.HttpContext.Request.ContentLength > 0
                ? ValueTask.FromResult<object?>(TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [bodyShape()] }))
                : next(context);
        });
    }
}
