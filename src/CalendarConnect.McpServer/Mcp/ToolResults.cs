using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarConnect.McpServer.Connections;
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

    /// <summary>Metadata key carrying <see cref="CalendarProblem.Code"/>, so an assistant can answer in its customer's language.</summary>
    public const string ErrorCodeMetaKey = "calendarconnect/error_code";

    public static CallToolResult Failure(CalendarProblem problem) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = problem.Message }],
        Meta = new JsonObject { [ErrorCodeMetaKey] = problem.Code },
    };
}
