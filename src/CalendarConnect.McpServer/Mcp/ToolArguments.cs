using System.Globalization;
using System.Text.Json;
using CalendarConnect.McpServer.Connections;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace CalendarConnect.McpServer.Mcp;

/// <summary>
/// Checks a tools/call's arguments against the tool's own input schema before the SDK binds them (an MCP request
/// filter): a required argument missing or null, or an argument of the wrong JSON type (a number for a date, an array,
/// an object, a number that is no whole number or too big for one), is answered as a tool result with <c>isError</c>,
/// code <c>invalid_argument</c> and a message naming the argument and what it must be (read from the schema, so it says
/// the limits the model was shown). Left to the SDK, such a call would throw while binding. Values of the right type are
/// judged by the tool itself (dates, ranges, lengths), with the same limits. An optional argument sent as null counts
/// as left out.
/// </summary>
public static class ToolArguments
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Apply(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            if (context.MatchedPrimitive is McpServerTool tool && Check(tool.ProtocolTool.InputSchema, context.Params?.Arguments) is { } problem)
            {
                // A model's mistake, not a server fault: one line, no argument value (it may be personal data).
                context.Services!.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ToolArguments).FullName!)
                    .LogInformation("Tool {Tool}: argument {Argument} refused ({Reason})", tool.ProtocolTool.Name, problem.Argument, problem.Reason);
                return ToolResults.Failure(new CalendarProblem(CalendarErrorCodes.InvalidArgument, problem.Message));
            }

            return await next(context, cancellationToken);
        };

    /// <summary>The first argument that cannot be bound, or null when all can.</summary>
    public static (string Argument, string Reason, string Message)? Check(JsonElement inputSchema, IDictionary<string, JsonElement>? arguments)
    {
        if (!inputSchema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object) return null;
        var required = inputSchema.TryGetProperty("required", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(r => r.GetString()).ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var property in properties.EnumerateObject())
        {
            var name = property.Name;
            var isRequired = required.Contains(name);
            if (arguments is null || !arguments.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Undefined)
            {
                if (isRequired) return (name, "missing", $"{name} is required: {Expected(property.Value)}.");
                continue;
            }

            if (value.ValueKind == JsonValueKind.Null)
            {
                if (isRequired) return (name, "null", $"{name} is required and may not be null: {Expected(property.Value)}.");
                continue;
            }

            if (!HasType(value, property.Value))
                return (name, "wrong type", $"{name} must be {Expected(property.Value)}; it was {Describe(value)}.");
        }

        return null;
    }

    private static bool HasType(JsonElement value, JsonElement schema)
    {
        return TypeOf(schema) switch
        {
            "string" => value.ValueKind == JsonValueKind.String,
            // Bound to int: 1.5, 1e30 or 3000000000 cannot be.
            "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
            "number" => value.ValueKind == JsonValueKind.Number,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "array" => value.ValueKind == JsonValueKind.Array,
            "object" => value.ValueKind == JsonValueKind.Object,
            _ => true,
        };
    }

    /// <summary>What the schema asks for, in words: the type, its format or choices, its limits.</summary>
    private static string Expected(JsonElement schema)
    {
        var text = TypeOf(schema) switch
        {
            "integer" => "a whole number",
            "number" => "a number",
            "boolean" => "true or false",
            "array" => "a list",
            "object" => "an object",
            _ => "a string",
        };
        if (schema.TryGetProperty("enum", out var choices) && choices.ValueKind == JsonValueKind.Array)
            text += ", one of: " + string.Join(", ", choices.EnumerateArray().Select(c => c.ToString()));
        if (schema.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String)
        {
            text += format.GetString() switch
            {
                "date" => ", a date written YYYY-MM-DD (e.g. 2025-01-16)",
                "date-time" => ", a date and time in ISO 8601 with offset (e.g. 2025-01-16T15:00:00-03:00)",
                "time" => ", a time written HH:mm",
                "email" => ", an email address",
                var other => $", format {other}",
            };
        }

        if (Number(schema, "minimum") is { } min && Number(schema, "maximum") is { } max) text += $" from {min} to {max}";
        if (Number(schema, "maxLength") is { } maxLength) text += $", at most {maxLength} characters";
        // With no format, choices or limits to tell, the description says what the text must look like.
        if (text.IndexOf(',') < 0 && !text.Contains(" from ", StringComparison.Ordinal) &&
            schema.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String)
            text += $" ({description.GetString()!.TrimEnd('.')})";
        return text;
    }

    /// <summary>The schema's type; of a ["integer", "null"] pair, the one that is not null.</summary>
    private static string? TypeOf(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? null
        : type.ValueKind == JsonValueKind.String ? type.GetString()
        : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null")
        : null;

    private static string? Number(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDecimal().ToString(CultureInfo.InvariantCulture) : null;

    /// <summary>The kind of value that came, never the value itself.</summary>
    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number when value.TryGetInt32(out _) => "a number",
        JsonValueKind.Number => value.TryGetDouble(out var d) && Math.Floor(d) == d ? "a number too large" : "a number with a fraction",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        _ => "something else",
    };
}
