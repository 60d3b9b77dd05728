using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.WhatsApp;

/// <summary>
/// Messages received by the webhook and waiting to be answered. Meta wants its webhook answered within seconds
/// and the assistant may take longer (calendar calls), so the webhook only queues. Bounded: when full the webhook
/// answers 503 and Meta delivers again later, rather than memory growing without limit.
/// </summary>
/// <remarks>
/// One queue per worker, chosen by conversation, so messages of one conversation are answered in the order they
/// came while different conversations are answered side by side.
/// </remarks>
public sealed class WhatsAppInbox
{
    public const int Workers = 4;

    private readonly Channel<WhatsAppInbound>[] _queues;

    public WhatsAppInbox(IOptions<WhatsAppOptions> options)
    {
        _queues = Enumerable.Range(0, Workers).Select(_ => Channel.CreateBounded<WhatsAppInbound>(
            new BoundedChannelOptions(options.Value.QueueCapacityPerWorker)
            {
                FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of dropping a queued message
                SingleReader = true,
            })).ToArray();
    }

    public bool TryEnqueue(WhatsAppInbound message) =>
        _queues[(int)((uint)StringComparer.Ordinal.GetHashCode(message.DisplayPhoneNumber + "\n" + message.From) % Workers)].Writer.TryWrite(message);

    public ChannelReader<WhatsAppInbound> Reader(int worker) => _queues[worker].Reader;
}
