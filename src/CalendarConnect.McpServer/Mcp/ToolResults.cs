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

    /// <summary>An error result: the message as text, <see cref="CalendarProblem.Code"/> in _meta (<see cref="ToolResultMeta.ErrorCode"/>) so an assistant can answer in its customer's language.</summary>
    public static CallToolResult Failure(CalendarProblem problem) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = problem.Message }],
        Meta = new JsonObject { [ToolResultMeta.ErrorCode] = problem.Code },
    };

    /// <summary>A failure that offers other times: listed in the message (for a model that reads only text) and in _meta (for programs).</summary>
    public static CallToolResult Failure(CalendarProblem problem, IReadOnlyList<string> alternativeStarts)
    {
        var message = alternativeStarts.Count == 0
            ? problem.Message + $" No other free time was found within a few days; try {ToolNames.FindNextAvailableSlots}."
            : problem.Message + " Nearest free starts: " + string.Join(", ", alternativeStarts) + ".";
        var result = Failure(problem with { Message = message });
        result.Meta![ToolResultMeta.Alternatives] = new JsonArray(alternativeStarts.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
        return result;
    }
}
