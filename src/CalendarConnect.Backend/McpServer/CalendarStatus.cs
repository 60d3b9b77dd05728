namespace CalendarConnect.Backend.McpServer;

/// <summary>GET /customers/{id}/calendar-status answer (also one item of the batch answer).</summary>
public sealed record CalendarStatus(string CustomerId, string Status, bool CalendarConnected, string? CalendarEmail, string? LastError,
    string? CustomerEmail = null, bool AccountMismatch = false, DateTimeOffset? UpdatedAt = null, AccountAttempt? AccountAttempt = null)
{
    /// <summary>Only ours (the others are <see cref="ConnectionStatus"/>): the MCP server could not be asked.</summary>
    public const string Unknown = "unknown";

    public static CalendarStatus UnknownFor(string customerId) => new(customerId, Unknown, false, null, null);
    public static CalendarStatus NotConnectedFor(string customerId) => new(customerId, ConnectionStatus.NotConnected, false, null, null);
}
