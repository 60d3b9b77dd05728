using System.Threading.Channels;
using NodaTime;

namespace CalendarConnect.GoogleEmulator.Push;

/// <summary>One push message waiting to be posted: its number on the channel and X-Goog-Resource-State.</summary>
public sealed record PushMessage(long Number, string State);

/// <summary>
/// An open events.watch channel: what Google knows about it, and its own ordered delivery queue. Messages are numbered
/// as they are queued, under the channel's lock, so the queue's order is the numbers' order.
/// </summary>
public sealed class WatchChannel(
    string id, string account, string clientId, string calendarId, string resourceId, string resourceUri,
    string? token, Uri address, Instant expiration, int maxQueued)
{
    private readonly Lock _gate = new();
    private readonly Channel<PushMessage> _queue = Channel.CreateBounded<PushMessage>(
        new BoundedChannelOptions(maxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _closed = new();
    private long _lastNumber;
    private long _delivered;
    private long _failed;

    public string Id { get; } = id;
    public string Account { get; } = account;
    public string ClientId { get; } = clientId;

    /// <summary>The calendar id as the watch named it ("primary" or the address).</summary>
    public string CalendarId { get; } = calendarId;

    public string ResourceId { get; } = resourceId;
    public string ResourceUri { get; } = resourceUri;
    public string? Token { get; } = token;
    public Uri Address { get; } = address;
    public Instant Expiration { get; } = expiration;

    /// <summary>Completed once the watch response has gone out, so the sync message never overtakes it.</summary>
    public TaskCompletionSource Opened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Cancelled when the channel is stopped, dropped or reset; its worker then ends and nothing more is sent.</summary>
    public CancellationToken Closed => _closed.Token;

    public ChannelReader<PushMessage> Messages => _queue.Reader;

    public long LastMessageNumber => Interlocked.Read(ref _lastNumber);
    public long Delivered => Interlocked.Read(ref _delivered);
    public long Failed => Interlocked.Read(ref _failed);

    public bool IsOpenAt(Instant now) => !_closed.IsCancellationRequested && now < Expiration;

    /// <summary>Numbers and queues a message; false when the channel is closed or its queue is full.</summary>
    public bool TryQueue(string state, out long number)
    {
        lock (_gate)
        {
            number = 0;
            if (_closed.IsCancellationRequested) return false;
            if (!_queue.Writer.TryWrite(new PushMessage(_lastNumber + 1, state))) return false;
            number = Interlocked.Increment(ref _lastNumber);
            return true;
        }
    }

    public void RecordDelivered() => Interlocked.Increment(ref _delivered);
    public void RecordFailed() => Interlocked.Increment(ref _failed);

    public void Close()
    {
        lock (_gate)
        {
            if (_closed.IsCancellationRequested) return;
            _closed.Cancel();
            _queue.Writer.TryComplete();
        }
    }
}
