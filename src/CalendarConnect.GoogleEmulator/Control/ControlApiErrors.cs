using CalendarConnect.Infrastructure.Http;
using Microsoft.AspNetCore.Diagnostics;

namespace CalendarConnect.GoogleEmulator.Control;

/// <summary>
/// The control API's answer to a request it could not read (a body the framework could not bind to its request record,
/// too large, not JSON) or a failure: a <see cref="ControlError"/> like its other errors, never a trace. Only for
/// /emulator/: the Google-facing endpoints read their bodies the way Google does and answer in Google's format.
/// </summary>
public static class ControlApiErrors
{
    public static IApplicationBuilder UseControlApiErrors(this IApplicationBuilder app) =>
        app.UseWhen(c => c.Request.Path.StartsWithSegments(ControlApi.Prefix), control => control
            .UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandler = WriteAsync,
                // A request the emulator could not read is the caller's mistake, answered: not an error to log.
                SuppressDiagnosticsCallback = c => c.Exception is BadHttpRequestException,
            })
            // A body the framework refused without an exception (too large, not JSON by its Content-Type) has an empty
            // answer: it gets one saying so.
            .UseStatusCodePages(async pages =>
            {
                if (pages.HttpContext.Response.StatusCode is StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType)
                    await pages.HttpContext.Response.WriteAsJsonAsync(new ControlError(Refused(pages.HttpContext.Response.StatusCode)));
            }));

    private static Task WriteAsync(HttpContext context)
    {
        var feature = context.Features.Get<IExceptionHandlerFeature>();
        var (status, message) = feature?.Error is BadHttpRequestException bad
            // The handler runs without the endpoint that failed: its metadata (the request record's words) is the feature's.
            ? (bad.StatusCode, Describe(bad, context, feature.Endpoint?.Metadata))
            : (StatusCodes.Status500InternalServerError, "the emulator failed on this request; its log says why");
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ControlError(message));
    }

    private static string Describe(BadHttpRequestException bad, HttpContext context, EndpointMetadataCollection? metadata) =>
        JsonRequestFailure.Of(bad, context, metadata) is { } failure
            ? failure.Kind switch
            {
                JsonRequestFailureKind.Empty => "send a JSON object in the body",
                JsonRequestFailureKind.NotJson => "the body is not valid JSON" + (failure.Line is { } line ? $" (line {line + 1}, position {failure.Position + 1})" : ""),
                JsonRequestFailureKind.UnknownField => failure.Body!.UnknownField(failure.Field!),
                JsonRequestFailureKind.WrongValue => failure.Body!.WrongValue?.Invoke(failure.Field!) ?? $"{JsonRequestFailure.FieldKey(failure.Field!)} has a value of the wrong type",
                JsonRequestFailureKind.Duplicate => $"{(failure.Field is { } twice ? JsonRequestFailure.FieldKey(twice) : "a field")} appears more than once",
                _ => failure.Body!.BodyShape(),
            }
            : Refused(bad.StatusCode);

    private static string Refused(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => $"the body is larger than {JsonRequestBody.MaxBytes} bytes",
        StatusCodes.Status415UnsupportedMediaType => "send the body as JSON (Content-Type: application/json)",
        _ => "the request could not be read",
    };
}
