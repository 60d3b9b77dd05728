using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarConnect.Testing;

/// <summary>
/// Runs one of our real web applications on Kestrel on 127.0.0.1 with a free port, so tests talk
/// real HTTP exactly as a browser or another service would.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private LoopbackServer(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    /// <summary>Base address with a trailing slash, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    public string Url(string relative) => new Uri(BaseAddress, relative.TrimStart('/')).ToString();

    public T GetRequiredService<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <param name="build">The project's <c>Program.BuildApp</c>.</param>
    /// <param name="settings">Configuration for this instance; "urls" defaults to a free loopback port.</param>
    public static async Task<LoopbackServer> StartAsync(
        Func<string[], IReadOnlyDictionary<string, string?>?, WebApplication> build,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var merged = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        merged.TryAdd("urls", "http://127.0.0.1:0");
        merged.TryAdd("Logging:LogLevel:Default", "Warning");
        var app = build([], merged);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.First();
        return new LoopbackServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>A port free right now, for a server whose own address must be in its settings before it starts.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public HttpClient CreateClient(bool followRedirects = false) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = followRedirects }) { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
