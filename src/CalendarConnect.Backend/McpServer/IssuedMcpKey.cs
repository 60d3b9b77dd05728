namespace CalendarConnect.Backend.McpServer;

/// <summary>POST /customers/{id}/mcp-keys answer; <see cref="ApiKey"/> exists only in this answer.</summary>
public sealed record IssuedMcpKey(string KeyId, string CustomerId, string ApiKey, string? Label, DateTimeOffset CreatedAt);
