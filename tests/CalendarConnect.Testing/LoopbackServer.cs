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

    /// <summary>
    /// A port free right now, for a server whose own address must be in its settings before it starts (Google's redirect
    /// URI, HAProxy's configuration). It is chosen below the kernel's ephemeral range, where the client end of every
    /// outgoing connection takes its port: a port from that range (what binding port 0 returns) can be handed to one of the
    /// suite's thousands of connections between this check and the server's bind, which then fails with AddressInUse.
    /// Below the range only another listener can take it, and this process never hands out the same port twice.
    /// </summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var port = Random.Shared.Next(ListenerPorts.From, ListenerPorts.To);
            lock (HandedOut)
                if (!HandedOut.Add(port)) continue;
            if (IsFree(port)) return port;
        }

        throw new InvalidOperationException($"No free port between {ListenerPorts.From} and {ListenerPorts.To}.");
    }

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// Ports 10000 up to the start of Linux's ephemeral range (net.ipv4.ip_local_port_range, 32768 by default; Windows
    /// and macOS start theirs at 49152).
    /// </summary>
    private static readonly (int From, int To) ListenerPorts = ReadListenerPorts();

    private static (int From, int To) ReadListenerPorts()
    {
        const int from = 10000, fallback = 32768;
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        var ephemeralFrom = File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0],
            System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var first) ? first : fallback;
        if (ephemeralFrom < from + 1000)
            throw new InvalidOperationException($"The ephemeral port range starts at {ephemeralFrom}: the tests need ports {from}-{from + 1000} outside it.");
        return (from, ephemeralFrom);
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    public HttpClient CreateClient(bool followRedirects = false) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = followRedirects }) { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
