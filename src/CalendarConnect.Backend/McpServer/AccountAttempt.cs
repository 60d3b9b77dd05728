namespace CalendarConnect.Backend.McpServer;

/// <summary>
/// A consent given with another Google account than the company's expected email: it connected nothing, and the admin
/// may accept that account (POST /customers/{id}/account-attempt/accept on the MCP server).
/// </summary>
public sealed record AccountAttempt(string AccountEmail, string? ExpectedEmail, DateTimeOffset AttemptedAt);
