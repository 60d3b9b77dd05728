using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

using CalendarConnect.Backend.Web;

namespace CalendarConnect.Backend.ApiDocs;

/// <summary>
/// GET /openapi/v1.json (the /v1 endpoints, snake_case schemas like the API itself) and the reference page /docs/api.
/// </summary>
/// <remarks>
/// Both are public on purpose: they describe the contract (paths, fields, error shapes), not data, and a developer
/// wiring automation should be able to read them before holding credentials. Every /v1 endpoint they describe still
/// requires the admin (cookie or HTTP Basic), except the assistant entry point, which is public by design.
///
/// The reference page is our own small script rather than Scalar: Scalar's page boots through an inline script,
/// needs inline styles, and by default reaches fonts.scalar.com and api.scalar.com. This page loads only
/// /assets/api-docs.js and /assets/admin.css from this origin and fetches only /openapi/v1.json, so the site-wide
/// CSP (script-src 'self'; style-src 'self'; connect-src 'self') covers it unchanged and it works offline.
/// </remarks>
public static class ApiDocumentation
{
    public const string DocumentName = "v1";
    public const string PagePath = "/docs/api";

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, o =>
        {
            // Only the JSON API: the pages (/clientes, /ingresar, /assets/*) and /healthz are not part of the contract.
            o.ShouldInclude = d => d.RelativePath is { } path && path.StartsWith("v1/", StringComparison.Ordinal);
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "CalendarConnect Backend API",
                    Version = "v1",
                    Description =
                        "Companies (customer_memory) and the connection of their Google Calendar, booking settings, per-company MCP keys " +
                        "and the booking assistant. JSON fields are snake_case. Errors are RFC 7807 problem+json (application/problem+json) " +
                        "with a message meant for a person, in Spanish, or in English when the request sends Accept-Language: en; " +
                        "400 answers list the fields in \"errors\". " +
                        "Authentication: the admin's session cookie from /ingresar (browser writes also send the X-CSRF-TOKEN header), " +
                        "HTTP Basic with ADMIN_USER and ADMIN_PASSWORD, or Authorization: Bearer with a key of ADMIN_API_KEY " +
                        "(automation; no antiforgery token needed).",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["admin_basic"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "basic",
                    Description = "ADMIN_USER and ADMIN_PASSWORD.",
                };
                document.Components.SecuritySchemes["admin_bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A key of ADMIN_API_KEY (comma-separated list for rotation; each at least 32 characters).",
                };
                document.Components.SecuritySchemes["admin_cookie"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Cookie,
                    Name = "cc_admin",
                    Description = "Session cookie set by POST /ingresar; writes also need the X-CSRF-TOKEN header.",
                };
                return Task.CompletedTask;
            });
            // A merge patch field (Web/MergePatchField) is, on the wire, text or null.
            o.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type == typeof(MergePatchField))
                {
                    schema.Type = JsonSchemaType.String | JsonSchemaType.Null;
                    schema.Properties = null;
                    schema.Required = null;
                }
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                // Operations behind the admin policy say so; the assistant entry point stays open.
                var requiresAdmin = context.Description.ActionDescriptor.EndpointMetadata
                    .OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any();
                if (requiresAdmin)
                {
                    operation.Security =
                    [
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("admin_basic", context.Document)] = [] },
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("admin_bearer", context.Document)] = [] },
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("admin_cookie", context.Document)] = [] },
                    ];
                }
                return Task.CompletedTask;
            });
        });
        return services;
    }

    public static IEndpointRouteBuilder MapApiDocumentation(this IEndpointRouteBuilder app)
    {
        // Public: see the remarks above.
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapGet(PagePath, () => EmbeddedAssets.Page(EmbeddedAssets.Text("api-docs.html"))).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/assets/api-docs.js", (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            return EmbeddedAssets.File("api-docs.js", "text/javascript");
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
