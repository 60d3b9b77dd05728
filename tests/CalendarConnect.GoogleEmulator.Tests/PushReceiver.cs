using System.Collections.Concurrent;
using System.Threading.Channels;
using CalendarConnect.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace CalendarConnect.GoogleEmulator.Tests;

/// <summary>One POST the receiver got: its X-Goog-* (and other) headers, its body, and what the receiver answered.</summary>
public sealed record ReceivedPush(IReadOnlyDictionary<string, string> Headers, string Body, int AnsweredWith)
{
    public string? this[string header] => Headers.GetValueOrDefault(header);
    public string State => this["X-Goog-Resource-State"]!;
    public long Number => long.Parse(this["X-Goog-Message-Number"]!, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A small loopback HTTP receiver standing in for a client's push notification endpoint.</summary>
public sealed class PushReceiver : IAsyncDisposable
{
    private readonly Channel<ReceivedPush> _received = Channel.CreateUnbounded<ReceivedPush>();
    private readonly ConcurrentQueue<int> _plannedAnswers = new();
    private LoopbackServer? _server;

    /// <summary>Where the emulator should post: http://127.0.0.1:port/notifications.</summary>
    public Uri Address => new(_server!.BaseAddress, "notifications");

    public static async Task<PushReceiver> StartAsync()
    {
        var receiver = new PushReceiver();
        receiver._server = await LoopbackServer.StartAsync((args, settings) =>
        {
            var builder = WebApplication.CreateSlimBuilder(args);
            if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
            var app = builder.Build();
            app.MapPost("/notifications", (Func<HttpContext, Task<IResult>>)receiver.ReceiveAsync);
            return app;
        });
        return receiver;
    }

    /// <summary>The next POSTs are answered with these statuses (then 200 again).</summary>
    public void AnswerNext(params int[] statuses)
    {
        foreach (var status in statuses) _plannedAnswers.Enqueue(status);
    }

    /// <summary>The next POST received, waiting at most <paramref name="within"/> (10 s by default).</summary>
    public async Task<ReceivedPush> NextAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
        try
        {
            return await _received.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No push notification arrived in time.");
        }
    }

    /// <summary>A POST already received and not yet taken, if any.</summary>
    public bool TryTake(out ReceivedPush? push) => _received.Reader.TryRead(out push);

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var status = _plannedAnswers.TryDequeue(out var planned) ? planned : StatusCodes.Status200OK;
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        await _received.Writer.WriteAsync(new ReceivedPush(headers, body, status));
        return Results.StatusCode(status);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
