using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarConnect.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace CalendarConnect.Assistant.Tests;

/// <summary>
/// An OpenAI-compatible chat endpoint on loopback (<c>POST /v1/chat/completions</c>, non-streaming) that answers
/// from a script: text, <c>tool_calls</c>, an HTTP error, garbage or silence. It records every request with its
/// <c>Authorization</c> header, so tests see exactly what the model was sent (messages, tools, tool results).
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly LoopbackServer server;

    private FakeOpenAiServer(LoopbackServer server) => this.server = server;

    /// <summary>The value for ASSISTANT_LLM_ENDPOINT: the base URL with <c>/v1</c>.</summary>
    public string Endpoint => server.BaseAddress + "v1";

    /// <summary>Answers, one per request, in order; an exhausted script answers 500.</summary>
    public ConcurrentQueue<Func<HttpContext, Task>> Script { get; } = new();

    public ConcurrentQueue<ReceivedChatRequest> Requests { get; } = new();

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        FakeOpenAiServer? fake = null;
        var server = await LoopbackServer.StartAsync((args, settings) =>
        {
            var builder = WebApplication.CreateBuilder(args);
            builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
            var app = builder.Build();
            app.MapPost("/v1/chat/completions", async (HttpContext context) =>
            {
                var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject ?? [];
                fake!.Requests.Enqueue(new ReceivedChatRequest(context.Request.Headers.Authorization.ToString(), body));
                if (fake.Script.TryDequeue(out var answer)) await answer(context);
                else await Status(500)(context);
            });
            return app;
        });
        fake = new FakeOpenAiServer(server);
        return fake;
    }

    public void Then(params Func<HttpContext, Task>[] answers)
    {
        foreach (var answer in answers) Script.Enqueue(answer);
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();

    // ---------------------------------------------------------------- scripted answers

    public static Func<HttpContext, Task> Text(string content) =>
        Completion(new JsonObject { ["role"] = "assistant", ["content"] = content }, "stop");

    /// <summary>One tool call; <paramref name="arguments"/> is serialised to the JSON string OpenAI sends.</summary>
    public static Func<HttpContext, Task> ToolCall(string name, object arguments)
    {
        var call = new JsonObject
        {
            ["id"] = "call_" + Guid.NewGuid().ToString("N")[..8],
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = name, ["arguments"] = JsonSerializer.Serialize(arguments) },
        };
        return Completion(new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray(call) }, "tool_calls");
    }

    public static Func<HttpContext, Task> Status(int status) => async context =>
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new { error = new { message = "scripted failure", type = "server_error", code = (string?)null } });
    };

    public static Func<HttpContext, Task> Garbage() => async context =>
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{\"choices\": [ this is not json");
    };

    /// <summary>Waits <paramref name="delay"/> (or until the client gives up), then answers <paramref name="then"/>.</summary>
    public static Func<HttpContext, Task> Slow(TimeSpan delay, Func<HttpContext, Task> then) => async context =>
    {
        try
        {
            await Task.Delay(delay, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await then(context);
    };

    private static Func<HttpContext, Task> Completion(JsonObject message, string finishReason) => async context =>
    {
        var body = new JsonObject
        {
            ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N")[..8],
            ["object"] = "chat.completion",
            ["created"] = 1736946000,
            ["model"] = "test-model",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finishReason }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 5, ["total_tokens"] = 15 },
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    };
}

/// <summary>A request the fake model received.</summary>
public sealed record ReceivedChatRequest(string Authorization, JsonObject Body)
{
    public JsonArray Messages => Body["messages"] as JsonArray ?? [];

    public IReadOnlyList<string> ToolNames =>
        (Body["tools"] as JsonArray ?? []).Select(t => t?["function"]?["name"]?.GetValue<string>() ?? "").ToList();

    public string SystemPrompt => Messages.FirstOrDefault(m => m?["role"]?.GetValue<string>() == "system")?["content"]?.ToString() ?? "";

    /// <summary>The contents of the tool results sent back to the model, in order.</summary>
    public IReadOnlyList<string> ToolResults =>
        Messages.Where(m => m?["role"]?.GetValue<string>() == "tool").Select(m => m?["content"]?.ToString() ?? "").ToList();
}
