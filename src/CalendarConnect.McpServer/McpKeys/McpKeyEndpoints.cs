using System.Text.Json.Serialization;
using CalendarConnect.Infrastructure.Http;
using CalendarConnect.McpServer.Http;
using Microsoft.AspNetCore.Mvc;
using CalendarConnect.McpServer.OAuth;
using CalendarConnect.McpServer.Security;

namespace CalendarConnect.McpServer.McpKeys;

public sealed record IssuedMcpKeyResponse(
    [property: JsonPropertyName("key_id")] string KeyId,
    [property: JsonPropertyName("customer_id")] string CustomerId,
    [property: JsonPropertyName("api_key")] string ApiKey,
    [property: JsonPropertyName("label")] string? Label,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt);

public sealed record McpKeyResponse(
    [property: JsonPropertyName("key_id")] string KeyId,
    [property: JsonPropertyName("label")] string? Label,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("last_used_at")] DateTimeOffset? LastUsedAt,
    [property: JsonPropertyName("revoked_at")] DateTimeOffset? RevokedAt);

/// <summary>Issue, list and revoke a company's own MCP keys (service key only; the backend exposes them to the admin).</summary>
public static class McpKeyEndpoints
{
    public static IEndpointRouteBuilder MapMcpKeys(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/customers/{customerId}/mcp-keys").RequireAuthorization(Policies.Service);
        group.MapPost("", IssueAsync)
            .WithJsonBody<IssueMcpKeyRequest>(() => IssueMcpKeyRequest.BodyShape, IssueMcpKeyRequest.UnknownField, optional: true);
        group.MapGet("", ListAsync);
        group.MapDelete("/{keyId}", RevokeAsync);
        return routes;
    }

    private static async Task<IResult> IssueAsync(string customerId,
        // Optional (null for no body): bound and validated by the framework (WithJsonBody); none means no label.
        [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] IssueMcpKeyRequest? request,
        CompanyMcpKeys keys, CancellationToken cancellationToken)
    {
        if (!CustomerIdRule.IsValid(customerId)) return Problems.BadRequest(CustomerIdRule.Description);
        var issued = await keys.IssueAsync(customerId, request?.StoredLabel(), cancellationToken);
        return TypedResults.Created($"/customers/{customerId}/mcp-keys/{issued.KeyId}",
            new IssuedMcpKeyResponse(issued.KeyId, issued.CustomerId, issued.ApiKey, issued.Label, issued.CreatedAt));
    }

    private static async Task<IResult> ListAsync(string customerId, CompanyMcpKeys keys, CancellationToken cancellationToken)
    {
        if (!CustomerIdRule.IsValid(customerId)) return Problems.BadRequest(CustomerIdRule.Description);
        var list = await keys.ListAsync(customerId, cancellationToken);
        return TypedResults.Ok(list.Select(k => new McpKeyResponse(k.KeyId, k.Label, k.CreatedAt, k.LastUsedAt, k.RevokedAt)).ToList());
    }

    private static async Task<IResult> RevokeAsync(string customerId, string keyId, CompanyMcpKeys keys, CancellationToken cancellationToken)
    {
        if (!CustomerIdRule.IsValid(customerId)) return Problems.BadRequest(CustomerIdRule.Description);
        if (!McpKeyIdRule.IsValid(keyId)) return Problems.BadRequest($"key_id must look like {McpKeyIdRule.Prefix} followed by letters, digits, '-' or '_'.");
        return await keys.RevokeAsync(customerId, keyId, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(detail: "This company has no MCP key with that id.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
    }
}
