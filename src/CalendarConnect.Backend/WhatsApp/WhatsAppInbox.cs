using System.Threading.Channels;
using CalendarConnect.Infrastructure.Leases;

namespace CalendarConnect.Backend.WhatsApp;

/// <summary>
/// Wakes the workers when the webhook stored a message (the messages themselves wait in the database, see
/// <see cref="WhatsAppReceivedMessages"/>). Only a hint: workers also look on their own every
/// <see cref="WhatsAppOptions.PollInterval"/>, which is how they find messages stored by another replica, ones
/// whose retry is due, and ones whose worker stopped or crashed.
/// </summary>
public sealed class WhatsAppInbox
{
    public const int Workers = 4;

    /// <summary>This process's name in lease_owner: unique per start, so a restarted backend does not mistake an old lease for its own.</summary>
    public string Owner { get; } = LeaseHolder.NewIdentity();

    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _signal.Writer.TryWrite(true);

    /// <summary>Until woken or <paramref name="timeout"/> passed.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            await _signal.Reader.WaitToReadAsync(linked.Token);
            _signal.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }
}
