using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace CalendarConnect.McpServer.Mcp;

/// <summary>
/// How the tools' input schemas are written. Limits come from DataAnnotations on the parameters (<c>[Range]</c>,
/// <c>[MaxLength]</c>, <c>[AllowedValues]</c>, <c>[EmailAddress]</c>, <c>[DataType]</c>), which Microsoft.Extensions.AI turns
/// into <c>minimum</c>/<c>maximum</c>, <c>maxLength</c>, <c>enum</c> and <c>format</c>; their values are the constants the
/// tools validate with. An optional parameter is written with its single type and left out of <c>required</c>, instead of
/// the <c>["integer", "null"]</c> and <c>"default": null</c> a nullable C# parameter gets by default: models whose schemas
/// allow one type per field (several function-calling APIs) refuse type arrays, and leaving an argument out means the same.
/// </summary>
public static class ToolSchemas
{
    public static readonly AIJsonSchemaCreateOptions Options = new() { TransformSchemaNode = SingleTypeForParameters };

    /// <summary>
    /// The tools of <typeparamref name="TTools"/>, as the SDK's <c>WithTools&lt;T&gt;()</c> registers them (an instance per call
    /// from the request's services), with <see cref="Options"/> for their schemas.
    /// </summary>
    public static IMcpServerBuilder WithCalendarTools<TTools>(this IMcpServerBuilder builder) where TTools : class
    {
        foreach (var method in typeof(TTools).GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            if (method.GetCustomAttribute<McpServerToolAttribute>() is null) continue;
            builder.Services.AddSingleton(services => McpServerTool.Create(method,
                static (RequestContext<CallToolRequestParams> request) => ActivatorUtilities.CreateInstance<TTools>(request.Services!),
                new McpServerToolCreateOptions { Services = services, SchemaCreateOptions = Options }));
        }

        return builder;
    }

    private static JsonNode SingleTypeForParameters(AIJsonSchemaCreateContext context, JsonNode schema)
    {
        // A parameter's schema is made on its own, so its node is a root; fields inside (an output's properties) have a
        // path, and they keep saying truthfully that they may be null.
        if (!context.Path.IsEmpty || schema is not JsonObject node) return schema;
        if (node["type"] is JsonArray types && types.Count == 2 && types.Any(t => t?.GetValue<string>() == "null"))
            node["type"] = types.Select(t => t!.GetValue<string>()).Single(t => t != "null");
        if (node.TryGetPropertyValue("default", out var value) && value is null) node.Remove("default");
        return node;
    }
}
