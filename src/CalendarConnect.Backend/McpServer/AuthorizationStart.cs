namespace CalendarConnect.Backend.McpServer;

/// <summary>POST /oauth/authorize answer: the direct Google URL and the long-lived shareable link (GET /connect/{token}).</summary>
public sealed record AuthorizationStart(string CustomerId, string AuthorizationUrl, string? State, DateTimeOffset? ExpiresAt,
    string? ShareableLink, DateTimeOffset? ShareableLinkExpiresAt);
