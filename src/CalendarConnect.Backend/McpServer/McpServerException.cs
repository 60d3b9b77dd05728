namespace CalendarConnect.Backend.McpServer;

/// <summary>The MCP server did not answer, answered an error, or answered something unusable.</summary>
public sealed class McpServerException(string message, Exception? inner = null) : Exception(message, inner);
