namespace CalendarConnect.Backend.McpServer;

/// <summary>PUT /customers/{id}/booking-settings answer: the saved settings, or the MCP server's per-field errors (never both).</summary>
public sealed record BookingSettingsSaveResult(BookingSettingsDocument? Saved, IReadOnlyDictionary<string, string[]>? Errors);
