namespace CalendarConnect.Backend.McpServer;

/// <summary>One item of GET /customers/{id}/mcp-keys (never the key itself).</summary>
public sealed record McpKeySummary(string KeyId, string? Label, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
