using System.Text.Json;
using System.Text.Json.Nodes;

namespace CalendarConnect.McpServer.Mcp;

/// <summary>
/// The MCP protocol versions this server speaks, and the answer to a request whose <c>MCP-Protocol-Version</c> header
/// names another. The SDK's own answer (a JSON-RPC error -32022) lists only the newest version in stateless mode, though it
/// negotiates every one of <see cref="Supported"/> (a test holds the list to what the SDK accepts); a client that needs an
/// older one would wrongly conclude it cannot talk to us. So the header is checked here first, with the same error code
/// and shape, listing them all.
/// </summary>
public sealed class ProtocolVersions(RequestDelegate next)
{
    public const string HeaderName = "MCP-Protocol-Version";

    /// <summary>JSON-RPC error code of the MCP specification for an unsupported protocol version.</summary>
    public const int UnsupportedProtocolVersionCode = -32022;

    public static readonly IReadOnlyList<string> Supported = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"];

    /// <summary>Longest header value repeated in the answer: a version is 10 characters.</summary>
    private const int MaxEchoed = 32;

    public async Task InvokeAsync(HttpContext context)
    {
        var requested = context.Request.Headers[HeaderName].ToString();
        if (requested.Length == 0 || Supported.Contains(requested, StringComparer.Ordinal))
        {
            await next(context);
            return;
        }

        var echoed = requested.Length > MaxEchoed ? requested[..MaxEchoed] + "…" : requested;
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = await RequestIdAsync(context),
            ["error"] = new JsonObject
            {
                ["code"] = UnsupportedProtocolVersionCode,
                ["message"] = $"The {HeaderName} header value '{echoed}' is not supported. This server supports: {string.Join(", ", Supported)}.",
                ["data"] = new JsonObject
                {
                    ["supported"] = new JsonArray(Supported.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
                    ["requested"] = echoed,
                },
            },
        }, context.RequestAborted);
    }

    /// <summary>The JSON-RPC id of the request, so the client can match the error to it; null when there is none to read.</summary>
    private static async Task<JsonNode?> RequestIdAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method)) return null;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("id", out var id) &&
                   id.ValueKind is JsonValueKind.String or JsonValueKind.Number
                ? JsonNode.Parse(id.GetRawText())
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
