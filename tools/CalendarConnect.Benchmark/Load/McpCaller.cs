using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CalendarConnect.Benchmark.Load;

/// <summary>The answer to one tools/call: how long it took and what came back.</summary>
public sealed record ToolAnswer(TimeSpan Elapsed, int HttpStatus, bool IsError, string? ErrorCode, JsonElement? Structured, string Text)
{
    public bool Ok => HttpStatus is >= 200 and < 300 && !IsError;

    /// <summary>Setup calls must work: a failure here is one clear message, not a table of errors.</summary>
    /// <exception cref="InvalidOperationException">The call failed.</exception>
    public ToolAnswer EnsureOk(string what) =>
        Ok ? this : throw new InvalidOperationException($"{what} failed before the load started (HTTP {HttpStatus}, {ErrorCode}): {Text}");
}

/// <summary>
/// Calls MCP tools the way the load generator does: one JSON-RPC <c>tools/call</c> POSTed to the stateless Streamable
/// HTTP endpoint, no initialize (stateless servers accept it), the company in <c>X-Customer-Id</c>.
/// </summary>
public sealed class McpCaller(Uri endpoint, string? bearer) : IDisposable
{
    public const string Accept = "application/json, text/event-stream";

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>The request body of a tools/call, as the load generator sends it.</summary>
    public static string Body(string tool, object arguments, int id = 1) =>
        new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["method"] = "tools/call",
            ["params"] = new JsonObject { ["name"] = tool, ["arguments"] = JsonSerializer.SerializeToNode(arguments) },
        }.ToJsonString();

    /// <exception cref="OperationCanceledException">The token fired before the answer came.</exception>
    public async Task<ToolAnswer> CallAsync(string? customerId, string tool, object arguments, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(Body(tool, arguments), Encoding.UTF8, "application/json"),
        };
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (customerId is not null) request.Headers.Add("X-Customer-Id", customerId);
        request.Headers.TryAddWithoutValidation("Accept", Accept);
        var started = Stopwatch.GetTimestamp();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started);
        return Parse(elapsed, (int)response.StatusCode, body);
    }

    /// <summary>Reads a JSON-RPC answer sent as plain JSON or as server-sent events (the last data line).</summary>
    public static ToolAnswer Parse(TimeSpan elapsed, int status, string body)
    {
        var json = body.TrimStart().StartsWith('{')
            ? body
            : body.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].Trim()).LastOrDefault();
        if (string.IsNullOrEmpty(json)) return new ToolAnswer(elapsed, status, true, "no_answer", null, body);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (!root.TryGetProperty("result", out var result))
            {
                var message = root.TryGetProperty("error", out var error) ? error.ToString() : json;
                return new ToolAnswer(elapsed, status, true, "jsonrpc_error", null, message);
            }
            var isError = result.TryGetProperty("isError", out var flag) && flag.ValueKind == JsonValueKind.True;
            string? code = null;
            if (result.TryGetProperty("_meta", out var meta) && meta.ValueKind == JsonValueKind.Object
                && meta.TryGetProperty("calendarconnect/error_code", out var c) && c.ValueKind == JsonValueKind.String)
                code = c.GetString();
            var text = result.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array
                ? string.Concat(content.EnumerateArray().Where(b => b.TryGetProperty("text", out _)).Select(b => b.GetProperty("text").GetString()))
                : "";
            JsonElement? structured = result.TryGetProperty("structuredContent", out var s) ? s.Clone() : null;
            return new ToolAnswer(elapsed, status, isError, isError ? code ?? "error" : null, structured, text);
        }
        catch (JsonException)
        {
            return new ToolAnswer(elapsed, status, true, "unreadable_answer", null, body);
        }
    }

    public void Dispose() => _http.Dispose();
}
