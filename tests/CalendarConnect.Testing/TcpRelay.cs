using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace CalendarConnect.Testing;

/// <summary>
/// A loopback TCP relay to PostgreSQL that can be cut (open connections are dropped and new ones refused) or frozen
/// (connections stay open and new ones are accepted, but nothing goes through: a hung database).
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _pumping = new();
    private readonly Task _accepting;

    public TcpRelay(string host, int port)
    {
        _listener.Start();
        _accepting = AcceptAsync(host, port);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>A relay to <paramref name="database"/>'s PostgreSQL server.</summary>
    public static TcpRelay To(TestDatabase database) => new(
        Regex.Match(database.Location, "Host=([^;]+)").Groups[1].Value,
        int.Parse(Regex.Match(database.Location, "Port=([0-9]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary><paramref name="database"/>'s connection string through this relay instead of straight to PostgreSQL.</summary>
    public string ConnectionString(TestDatabase database) =>
        Regex.Replace(Regex.Replace(database.Location, "Host=[^;]+", "Host=127.0.0.1"), "Port=[0-9]+", "Port=" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private async Task AcceptAsync(string host, int port)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                if (_pumping.IsCancellationRequested)
                {
                    lock (_open) _open.Add(client); // frozen: accepted, never answered
                    continue;
                }
                var server = new TcpClient();
                await server.ConnectAsync(host, port, _stop.Token);
                lock (_open) _open.AddRange([client, server]);
                _ = PumpAsync(client.GetStream(), server.GetStream());
                _ = PumpAsync(server.GetStream(), client.GetStream());
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Cut.
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        try
        {
            await from.CopyToAsync(to, _pumping.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // One side closed, or the relay was cut.
        }
    }

    public Task FreezeAsync() => _pumping.CancelAsync();

    public async Task CutAsync()
    {
        await _pumping.CancelAsync();
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_open) foreach (var socket in _open) socket.Dispose();
        await _accepting;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await CutAsync();
        _stop.Dispose();
        _pumping.Dispose();
    }
}

