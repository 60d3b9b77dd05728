using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CalendarConnect.Testing;

/// <summary>
/// A stand-in for Meta's Graph API on loopback: POST /v21.0/{phone_number_id}/messages, answered as Graph does
/// ({"messaging_product","contacts","messages":[{"id"}]}), with failures on demand and every request recorded.
/// </summary>
public sealed class FakeGraphApi : IAsyncDisposable
{
    private readonly LoopbackServer _server;
    private readonly ConcurrentQueue<int> _failures = new();
    private int _hangs;

    private FakeGraphApi(LoopbackServer server) => _server = server;

    public ConcurrentQueue<GraphMessage> Messages { get; } = new();

    /// <summary>Every request, failed ones included.</summary>
    public ConcurrentQueue<GraphMessage> Attempts { get; } = new();

    /// <summary>WHATSAPP_API_BASE for the backend.</summary>
    public string ApiBase => _server.Url("v21.0");

    /// <summary>The next requests fail with these statuses, in order.</summary>
    public void FailNext(params int[] statuses)
    {
        foreach (var status in statuses) _failures.Enqueue(status);
    }

    /// <summary>Retry-After (seconds) sent with a failing 429; none when null.</summary>
    public int? RetryAfterSeconds { get; set; }

    /// <summary>The next <paramref name="count"/> requests are recorded and then not answered for a minute (a timeout after sending).</summary>
    public void HangNext(int count = 1) => Interlocked.Add(ref _hangs, count);

    public static async Task<FakeGraphApi> StartAsync()
    {
        FakeGraphApi? self = null;
        var server = await LoopbackServer.StartAsync((args, settings) =>
        {
            var builder = WebApplication.CreateSlimBuilder(args);
            builder.Configuration.AddInMemoryCollection(settings!);
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapPost("/v21.0/{phoneNumberId}/messages", async (string phoneNumberId, HttpRequest request) =>
            {
                using var json = await JsonDocument.ParseAsync(request.Body);
                var message = new GraphMessage(phoneNumberId, request.Headers.Authorization.ToString(), json.RootElement.Clone());
                self!.Attempts.Enqueue(message);
                if (Interlocked.Decrement(ref self._hangs) >= 0)
                {
                    try { await Task.Delay(TimeSpan.FromMinutes(1), request.HttpContext.RequestAborted); } catch (OperationCanceledException) { }
                    return Results.StatusCode(504);
                }
                Interlocked.Increment(ref self._hangs);
                if (self._failures.TryDequeue(out var status))
                {
                    if (status == 429 && self.RetryAfterSeconds is { } seconds) request.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return Results.Json(new { error = new { message = "(#131000) Something went wrong", type = "OAuthException", code = 131000, fbtrace_id = "Azz" } }, statusCode: status);
                }
                self.Messages.Enqueue(message);
                return Results.Json(new
                {
                    messaging_product = "whatsapp",
                    contacts = new[] { new { input = message.To, wa_id = message.To } },
                    messages = new[] { new { id = "wamid.sent" + self.Messages.Count } },
                });
            });
            return app;
        });
        self = new FakeGraphApi(server);
        return self;
    }

    /// <summary>Waits until <paramref name="count"/> messages were accepted.</summary>
    public async Task<GraphMessage[]> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (Messages.Count < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"expected {count} Graph message(s), got {Messages.Count}: {string.Join(" | ", Messages.Select(m => m.Text))}");
            await Task.Delay(25);
        }
        return Messages.ToArray();
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

public sealed record GraphMessage(string PhoneNumberId, string Authorization, JsonElement Body)
{
    public string To => Body.GetProperty("to").GetString()!;
    public string Text => Body.GetProperty("text").GetProperty("body").GetString()!;
}
