using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace CalendarConnect.McpServer.Mcp;

/// <summary>Tool results: structured content plus the same JSON as text (for clients that read only text), or an error a person can read.</summary>
public static class ToolResults
{
    public static CallToolResult Success<T>(T value)
    {
        var element = JsonSerializer.SerializeToElement(value);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = element.GetRawText() }],
            StructuredContent = element,
        };
    }

    public static CallToolResult Failure(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };
}
