using CalendarConnect.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;

namespace CalendarConnect.McpServer.Tests.Conformance;

/// <summary>
/// A loopback reverse proxy that adds headers a client cannot send (the conformance suite has no header option).
/// It forwards Host and Origin untouched, so the server judges exactly what the client sent (DNS-rebinding checks
/// reach the server, not the proxy), and streams responses chunk by chunk (SSE arrives as it is written).
/// </summary>
public sealed class HeaderProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host",
    };

    private readonly LoopbackServer _server;
    private readonly HttpClient _upstream;

    private HeaderProxy(LoopbackServer server, HttpClient upstream) => (_server, _upstream) = (server, upstream);

    public Uri BaseAddress => _server.BaseAddress;

    public static async Task<HeaderProxy> StartAsync(Uri target, IReadOnlyDictionary<string, string> addHeaders)
    {
        var upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var server = await LoopbackServer.StartAsync((args, settings) =>
        {
            var builder = WebApplication.CreateSlimBuilder(args);
            builder.Configuration.AddInMemoryCollection(settings);
            var app = builder.Build();
            app.Run(context => ForwardAsync(context, upstream, target, addHeaders));
            return app;
        });
        return new HeaderProxy(server, upstream);
    }

    private static async Task ForwardAsync(HttpContext context, HttpClient upstream, Uri target, IReadOnlyDictionary<string, string> addHeaders)
    {
        var incoming = context.Request;
        using var request = new HttpRequestMessage(new HttpMethod(incoming.Method), new Uri(target, incoming.Path + incoming.QueryString));
        if (incoming.ContentLength > 0 || incoming.Headers.TransferEncoding.Count > 0)
            request.Content = new StreamContent(incoming.Body);
        foreach (var (name, values) in incoming.Headers)
        {
            if (HopByHop.Contains(name) || addHeaders.ContainsKey(name)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }

        request.Headers.Host = incoming.Host.Value;
        foreach (var (name, value) in addHeaders) request.Headers.TryAddWithoutValidation(name, value);

        using var response = await upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            if (!HopByHop.Contains(name)) context.Response.Headers[name] = values.ToArray();
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _upstream.Dispose();
    }
}
