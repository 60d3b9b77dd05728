using System.Security.Cryptography;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.Push;

/// <summary>What a watch asked for, once validated (see <see cref="WatchEndpoints"/>).</summary>
public sealed record ChannelRequest(
    string Id, string Account, string ClientId, string CalendarId, string ResourceUri, string? Token, Uri Address, Instant Expiration);

/// <summary>
/// events.watch channels and their delivery, as Google does it: a <c>sync</c> message when a channel opens, then
/// <c>exists</c> on every change to the watched calendar, posted with the X-Goog-* headers and no body. Delivery runs
/// on a worker per channel (in order, never inside an API request), with a bounded time per POST and a few retries
/// with back-off on 5xx, 429 and no answer; a message that still fails is logged and given up, as Google eventually does.
/// Channels live in memory only: EMULATOR_STATE_FILE does not keep them, and a reset drops them.
/// </summary>
public sealed class PushChannels : IHostedService, IDisposable
{
    /// <summary>events.watch: "Default is 604800 seconds".</summary>
    public const int DefaultTtlSeconds = 604_800;

    /// <summary>A longer ttl is cut to 30 days, as observed on Google.</summary>
    public const int MaxTtlSeconds = 2_592_000;

    /// <summary>Beyond this a receiver is too slow to keep up; further messages to it are dropped and logged.</summary>
    public const int MaxQueuedPerChannel = 1_000;

    public static readonly TimeSpan PostTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Waits before each retry of a failed POST.</summary>
    public static readonly IReadOnlyList<TimeSpan> RetryDelays = [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    /// <summary>What Google's push requests call themselves.</summary>
    public const string UserAgent = "APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)";

    private readonly TimeProvider _clock;
    private readonly ILogger<PushChannels> _logger;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, WatchChannel> _channels = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _resourceIds = new(StringComparer.OrdinalIgnoreCase);

    public PushChannels(TimeProvider clock, ILogger<PushChannels> logger)
    {
        _clock = clock;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan, // Each POST has its own PostTimeout.
        };
        _http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", UserAgent);
    }

    /// <summary>The watched resource's opaque id: one per calendar, the same for every channel on it.</summary>
    public string ResourceIdOf(string account)
    {
        lock (_gate)
        {
            if (!_resourceIds.TryGetValue(account, out var id))
                _resourceIds[account] = id = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 27);
            return id;
        }
    }

    /// <summary>
    /// Opens a channel and queues its <c>sync</c> message, which is posted once <see cref="WatchChannel.Opened"/> is set.
    /// Null when the id was used before (Google takes a channel id once, even after the channel stopped).
    /// </summary>
    public WatchChannel? Open(ChannelRequest request)
    {
        WatchChannel channel;
        lock (_gate)
        {
            if (!_usedIds.Add(request.Id)) return null;
            channel = new WatchChannel(request.Id, request.Account, request.ClientId, request.CalendarId, ResourceIdOf(request.Account),
                request.ResourceUri, request.Token, request.Address, request.Expiration, MaxQueuedPerChannel);
            // Queued before the channel is visible to changes, so "sync" is always message 1.
            channel.TryQueue("sync", out _);
            _channels[channel.Id] = channel;
        }
        _ = Task.Run(() => RunAsync(channel));
        return channel;
    }

    /// <summary>channels.stop: only the same user through the same OAuth client stops a channel, named with its resourceId.</summary>
    public bool Stop(string id, string resourceId, string account, string clientId)
    {
        WatchChannel? channel;
        lock (_gate)
        {
            if (!_channels.TryGetValue(id, out channel) || !channel.IsOpenAt(_clock.ToInstant()) || channel.ResourceId != resourceId
                || !string.Equals(channel.Account, account, StringComparison.OrdinalIgnoreCase) || channel.ClientId != clientId)
                return false;
            _channels.Remove(id);
        }
        channel.Close();
        return true;
    }

    /// <summary>Channels still open, oldest first; expired ones are forgotten on the way.</summary>
    public IReadOnlyList<WatchChannel> OpenChannels()
    {
        lock (_gate)
        {
            ForgetExpired();
            return _channels.Values.ToList();
        }
    }

    /// <summary>Closes channels without telling anyone, as Google sometimes loses them: one by id, or all of them.</summary>
    public int Drop(string? id)
    {
        List<WatchChannel> dropped;
        lock (_gate)
        {
            ForgetExpired();
            dropped = _channels.Values.Where(c => id is null || c.Id == id).ToList();
            foreach (var channel in dropped) _channels.Remove(channel.Id);
        }
        foreach (var channel in dropped) channel.Close();
        return dropped.Count;
    }

    /// <summary>Something changed in the account's calendar: every open channel on it gets an <c>exists</c> message.</summary>
    public void CalendarChanged(string account)
    {
        List<WatchChannel> watching;
        lock (_gate)
        {
            ForgetExpired();
            watching = _channels.Values.Where(c => string.Equals(c.Account, account, StringComparison.OrdinalIgnoreCase)).ToList();
        }
        foreach (var channel in watching)
        {
            if (!channel.TryQueue("exists", out _))
                _logger.LogWarning("Push channel {ChannelId}: its receiver is {Count} messages behind; this change is not sent to it",
                    channel.Id, MaxQueuedPerChannel);
        }
    }

    /// <summary>Every channel closes and every id and resource id is forgotten.</summary>
    public void Reset()
    {
        List<WatchChannel> all;
        lock (_gate)
        {
            all = _channels.Values.ToList();
            _channels.Clear();
            _usedIds.Clear();
            _resourceIds.Clear();
        }
        foreach (var channel in all) channel.Close();
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        Reset();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _http.Dispose();
    }

    private void ForgetExpired()
    {
        var now = _clock.ToInstant();
        foreach (var expired in _channels.Values.Where(c => !c.IsOpenAt(now)).ToList())
        {
            _channels.Remove(expired.Id);
            expired.Close();
        }
    }

    private async Task RunAsync(WatchChannel channel)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(channel.Closed, _stopping.Token);
        try
        {
            await channel.Opened.Task.WaitAsync(stop.Token);
            await foreach (var message in channel.Messages.ReadAllAsync(stop.Token))
            {
                // A channel stops delivering at its expiration, whatever is still queued.
                if (!channel.IsOpenAt(_clock.ToInstant())) return;
                await DeliverAsync(channel, message, stop.Token);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped, dropped, reset or shutting down: nothing more goes out.
        }
        catch (Exception e)
        {
            // Never expected; the channel is closed so its calendar's changes stop queueing for a worker that is gone.
            _logger.LogError("Push channel {ChannelId}: delivery stopped unexpectedly ({Error}); the channel is closed", channel.Id, e.GetType().Name);
            channel.Close();
        }
    }

    private async Task DeliverAsync(WatchChannel channel, PushMessage message, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var status = await PostAsync(channel, message, cancellationToken);
            if (status is >= 200 and < 300)
            {
                channel.RecordDelivered();
                return;
            }
            var worthRetrying = status is null or >= 500 or StatusCodes.Status429TooManyRequests;
            if (!worthRetrying || attempt == RetryDelays.Count)
            {
                channel.RecordFailed();
                _logger.LogWarning(
                    "Push channel {ChannelId}: message {MessageNumber} ({State}) to {Receiver} was not accepted ({Outcome}) after {Attempts} attempt(s); it is not sent again",
                    channel.Id, message.Number, message.State, channel.Address.Authority,
                    status is { } s ? $"HTTP {s}" : "no answer", attempt + 1);
                return;
            }
            await Task.Delay(RetryDelays[attempt], _clock, cancellationToken);
        }
    }

    /// <summary>One POST; the receiver's status code, or null when it did not answer in time or could not be reached.</summary>
    private async Task<int?> PostAsync(WatchChannel channel, PushMessage message, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(PostTimeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, channel.Address) { Content = new ByteArrayContent([]) };
        var headers = request.Headers;
        headers.TryAddWithoutValidation("X-Goog-Channel-ID", channel.Id);
        if (channel.Token is not null) headers.TryAddWithoutValidation("X-Goog-Channel-Token", channel.Token);
        headers.TryAddWithoutValidation("X-Goog-Channel-Expiration", channel.Expiration.ToDateTimeOffset().ToString("R"));
        headers.TryAddWithoutValidation("X-Goog-Resource-ID", channel.ResourceId);
        headers.TryAddWithoutValidation("X-Goog-Resource-URI", channel.ResourceUri);
        headers.TryAddWithoutValidation("X-Goog-Resource-State", message.State);
        headers.TryAddWithoutValidation("X-Goog-Message-Number", message.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // PostTimeout passed.
        }
    }
}
