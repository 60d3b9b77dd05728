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
                ? Problems.Create(bad.StatusCode, "Solicitud inválida", "La solicitud no se pudo leer.")
                : Problems.Create(StatusCodes.Status500InternalServerError, "Error interno",
                    "Ocurrió un error inesperado. Intente de nuevo; si persiste, revise el registro del servidor.");
            await result.ExecuteAsync(context);
        }));
        app.UseStatusCodePages(async status =>
        {
            var context = status.HttpContext;
            var code = context.Response.StatusCode;
            var (title, detail) = code switch
            {
                404 => ("No encontrado", "No existe ningún recurso en esta dirección."),
                405 => ("Método no permitido", "Esta dirección no acepta ese método HTTP."),
                _ => ("Error", "La solicitud no se pudo completar."),
            };
            await Problems.Create(code, title, detail).ExecuteAsync(context);
        });
        return app;
    }
}

/// <summary>Problem+json results with a message a person understands (Spanish, like the admin page).</summary>
public static class Problems
{
    public static ProblemHttpResult Create(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "Datos inválidos",
            detail: "Revise los campos indicados en \"errors\".");

    public static ProblemHttpResult McpServerUnavailable() => Create(StatusCodes.Status502BadGateway,
        "Servidor de calendarios no disponible",
        "No se pudo obtener una respuesta válida del servidor MCP de calendarios. Intente de nuevo en unos minutos.");

    public static ProblemHttpResult UnknownCustomer(string customerId) => Create(StatusCodes.Status404NotFound,
        "Cliente no encontrado", $"No hay ningún cliente con customer_id \"{customerId}\".");

    public static ProblemHttpResult Unauthorized() => Create(StatusCodes.Status401Unauthorized,
        "No autenticado", "Ingrese como administrador en /ingresar o envíe HTTP Basic con ADMIN_USER y ADMIN_PASSWORD.");

    public static ProblemHttpResult TooManyAttempts(TimeSpan retryAfter) => Create(StatusCodes.Status429TooManyRequests,
        "Demasiados intentos", $"Demasiados intentos fallidos de ingreso. Espere {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalMinutes))} minuto(s) e intente de nuevo.");
}
