namespace CalendarConnect.Backend.McpServer;

/// <summary>DELETE /customers/{id}/calendar answer.</summary>
/// <param name="GrantMayStillBeActive">Google did not confirm the revocation: the company's consent may still work there.</param>
/// <param name="RevocationRetrying">The MCP server keeps trying the revocation in the background.</param>
public sealed record Disconnection(string CustomerId, string Status, bool RevokedAtGoogle, bool GrantMayStillBeActive = false,
    bool RevocationRetrying = false);
