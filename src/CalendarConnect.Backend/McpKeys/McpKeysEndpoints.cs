using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using CalendarConnect.Backend.CustomerCalendars;
using CalendarConnect.Backend.McpServer;
using CalendarConnect.Backend.SignIn;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Backend.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using CalendarConnect.Infrastructure.Http;

namespace CalendarConnect.Backend.McpKeys;

/// <summary>201 answer of POST …/mcp-keys: the only time <see cref="ApiKey"/> is shown.</summary>
public sealed record McpKeyCreated(string KeyId, string CustomerId, string ApiKey, string? Label, DateTimeOffset CreatedAt);

/// <summary>The optional body of POST …/mcp-keys, bound by the framework and checked by <see cref="Validate"/>.</summary>
/// <param name="Label">What the key is for, up to 100 characters; null, blank or left out: no label.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record McpKeyCreateRequest(string? Label) : IValidatableObject
{
    /// <summary>The label as saved: trimmed, null when blank.</summary>
    public string? TrimmedLabel() => string.IsNullOrWhiteSpace(Label) ? null : Label.Trim();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TrimmedLabel() is not { } label) yield break;
        if (label.Length > McpKeysEndpoints.MaxLabelLength) yield return ConnectRequest.Error("label", ApiTexts.MaxLength(McpKeysEndpoints.MaxLabelLength));
        else if (ConnectRequest.CustomerNameError(label) is { } error) yield return ConnectRequest.Error("label", error);
    }
}

/// <summary>One key of a company (never the key itself).</summary>
public sealed record McpKeyView(string KeyId, string? Label, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>
/// Per-company MCP keys: a company plugs its own MCP client into its own calendar only. The MCP server issues,
/// stores (hashed) and checks them; the backend is the admin's door to it.
/// </summary>
public static class McpKeysEndpoints
{
    public const int MaxLabelLength = 100;

    /// <param name="company">/v1/customer-calendars/{customer_id}: admin only, the id checked (<see cref="CustomerIdFilter"/>).</param>
    public static RouteGroupBuilder MapMcpKeys(this RouteGroupBuilder company)
    {
        var group = company.MapGroup("/mcp-keys")
            .WithTags("MCP keys")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status502BadGateway);
        group.MapPost("", CreateAsync).AddEndpointFilter<CookieAntiforgeryFilter>()
            .WithJsonBody<McpKeyCreateRequest>(() => ApiTexts.McpKeyBodyShape, _ => ApiTexts.McpKeyUnknownField, optional: true)
            .WithSummary("Issue an MCP key for the company")
            .WithDescription("The body is optional. api_key is shown only in this answer; the MCP server keeps a hash.");
        group.MapGet("", ListAsync).WithSummary("The company's MCP keys (never the keys themselves)");
        group.MapDelete("/{key_id}", RevokeAsync).AddEndpointFilter<CookieAntiforgeryFilter>()
            .WithSummary("Revoke an MCP key");
        return company;
    }

    public static async Task<Results<Created<McpKeyCreated>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        [FromRoute(Name = "customer_id")] string customerId,
        // Optional: the framework passes null for no body. Declared non-nullable so the API document shows the record, not "null or it".
        [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] McpKeyCreateRequest request, CustomerMemory memory, McpServerClient mcp,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // The body is optional (bound and validated by the framework): none means no label.
        var label = request?.TrimmedLabel();

        if (await memory.FindAsync(customerId, cancellationToken) is null) return Problems.UnknownCustomer(customerId);
        try
        {
            var key = await mcp.CreateMcpKeyAsync(customerId, label, cancellationToken);
            loggers.CreateLogger(typeof(McpKeysEndpoints)).LogInformation("Issued MCP key {KeyId} for {CustomerId}", key.KeyId, customerId);
            return TypedResults.Created((string?)null, new McpKeyCreated(key.KeyId, key.CustomerId, key.ApiKey, key.Label, key.CreatedAt));
        }
        catch (McpServerException ex)
        {
            loggers.CreateLogger(typeof(McpKeysEndpoints)).LogWarning("Issue MCP key for {CustomerId}: {Message}", customerId, ex.Message);
            return Problems.McpServerUnavailable();
        }
    }

    public static async Task<Results<Ok<McpKeyView[]>, ValidationProblem, ProblemHttpResult>> ListAsync(
        [FromRoute(Name = "customer_id")] string customerId, CustomerMemory memory, McpServerClient mcp,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (await memory.FindAsync(customerId, cancellationToken) is null) return Problems.UnknownCustomer(customerId);
        try
        {
            var keys = await mcp.ListMcpKeysAsync(customerId, cancellationToken) ?? []; // unknown to the MCP server: no keys yet
            return TypedResults.Ok(keys.Select(k => new McpKeyView(k.KeyId, k.Label, k.CreatedAt, k.LastUsedAt, k.RevokedAt)).ToArray());
        }
        catch (McpServerException ex)
        {
            loggers.CreateLogger(typeof(McpKeysEndpoints)).LogWarning("List MCP keys of {CustomerId}: {Message}", customerId, ex.Message);
            return Problems.McpServerUnavailable();
        }
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RevokeAsync(
        [FromRoute(Name = "customer_id")] string customerId, [FromRoute(Name = "key_id")] string keyId,
        CustomerMemory memory, McpServerClient mcp, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (McpKeyIds.Error(keyId) is { } keyError) return Problems.Validation(new Dictionary<string, string[]> { ["key_id"] = [keyError] });
        if (await memory.FindAsync(customerId, cancellationToken) is null) return Problems.UnknownCustomer(customerId);
        try
        {
            if (!await mcp.RevokeMcpKeyAsync(customerId, keyId, cancellationToken))
                return Problems.Create(StatusCodes.Status404NotFound, ApiTexts.McpKeyNotFoundTitle,
                    ApiTexts.McpKeyNotFoundDetail(customerId, keyId));
            loggers.CreateLogger(typeof(McpKeysEndpoints)).LogInformation("Revoked MCP key {KeyId} of {CustomerId}", keyId, customerId);
            return TypedResults.NoContent();
        }
        catch (McpServerException ex)
        {
            loggers.CreateLogger(typeof(McpKeysEndpoints)).LogWarning("Revoke MCP key {KeyId} of {CustomerId}: {Message}", keyId, customerId, ex.Message);
            return Problems.McpServerUnavailable();
        }
    }
}
