using CalendarConnect.Assistant;
using CalendarConnect.Backend.Telemetry;
using CalendarConnect.Infrastructure.Telemetry;

namespace CalendarConnect.Backend.Assistant;

/// <summary>
/// The one way every channel (HTTP, channel messages, WhatsApp, /chat) has a message answered: by the booking
/// assistant, one message at a time per conversation (<see cref="ConversationTurns"/>), as one traced and counted turn
/// (<see cref="AssistantTurns"/>, <see cref="BackendMetrics"/>).
/// </summary>
public sealed class AssistantConversations(BookingAssistant assistant, ConversationTurns turns, BackendMetrics metrics)
{
    /// <param name="channel">How the message came: <see cref="TelemetryNames.Values.ApiChannel"/> or <see cref="TelemetryNames.Values.WhatsAppChannel"/>.</param>
    /// <exception cref="ConversationBusyException">The conversation stayed busy for longer than a message may wait.</exception>
    public async Task<AssistantReply> ReplyAsync(string customerId, string conversationId, string text, string channel, CancellationToken cancellationToken)
    {
        using var turn = AssistantTurns.Start(customerId, channel);
        try
        {
            var reply = await turns.RunAsync(customerId, conversationId, () => assistant.ReplyAsync(customerId, conversationId, text, cancellationToken),
                cancellationToken);
            AssistantTurns.End(turn, reply.Outcome);
            metrics.AssistantMessage(channel, reply.Outcome);
            return reply;
        }
        catch (Exception e)
        {
            var outcome = e is OperationCanceledException ? TelemetryNames.Values.Cancelled : TelemetryNames.Values.Error;
            AssistantTurns.End(turn, outcome, e);
            metrics.AssistantMessage(channel, outcome);
            throw;
        }
    }
}
