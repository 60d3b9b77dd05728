using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Understanding;
using CalendarConnect.Backend.Assistant;
using CalendarConnect.Backend.Storage;

namespace CalendarConnect.Backend.WhatsApp;

/// <summary>
/// Answers the queued WhatsApp messages: routes each by the business number it was sent to
/// (<c>display_phone_number</c> → the company with that <c>whatsapp_number</c>), has the booking assistant answer
/// it in the conversation "whatsapp:+&lt;person's number&gt;" (the same conversation as a channel message from that
/// number) and sends the reply from the same business number.
/// </summary>
public sealed class WhatsAppMessageProcessor(
    WhatsAppInbox inbox,
    CustomerMemory companies,
    AssistantConversations conversations,
    IConversationStore conversationStates,
    AssistantRateLimits limits,
    WhatsAppGraphClient graph,
    WhatsAppReceivedMessages received,
    ILogger<WhatsAppMessageProcessor> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, WhatsAppInbox.Workers).Select(worker => RunWorkerAsync(worker, stoppingToken)));

    private async Task RunWorkerAsync(int worker, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var message in inbox.Reader(worker).ReadAllAsync(stoppingToken))
            {
                try
                {
                    await HandleAsync(message, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The type only: a message could carry the customer's text or a connection string's details.
                    logger.LogError("WhatsApp message {MessageId} could not be answered ({Error}).", message.MessageId, ex.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Stopping: what is still queued was acknowledged to Meta but not answered. Forget those ids, so that if
        // the same message arrives again (a retried notification) it is answered rather than taken for a repeat.
        var forgotten = 0;
        while (inbox.Reader(worker).TryRead(out var left))
        {
            try { await received.ForgetAsync(left.MessageId); forgotten++; }
            catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException) { break; }
        }
        if (forgotten > 0) logger.LogWarning("Stopping with {Count} WhatsApp message(s) not answered; their ids were forgotten.", forgotten);
    }

    public async Task HandleAsync(WhatsAppInbound message, CancellationToken cancellationToken)
    {
        // The message's own language when it shows one; a refusal to a stranger has nothing else to go on.
        var stated = MessageParser.Parse(message.Text).Language;
        var guessed = stated ?? Language.Spanish;
        var business = WhatsAppNumber.Normalize(message.DisplayPhoneNumber);
        var company = business is null ? null : await companies.FindByWhatsAppNumberAsync(business, cancellationToken);
        if (company is null)
        {
            logger.LogWarning("WhatsApp message {MessageId} was sent to business number {BusinessNumber}, which no company has; answered with a refusal.",
                message.MessageId, business ?? "(not a valid number)");
            await SendAsync(message, ChannelReplies.UnknownCompany(guessed), cancellationToken);
            return;
        }

        var person = WhatsAppNumber.Normalize(message.From);
        if (person is null)
        {
            logger.LogWarning("WhatsApp message {MessageId} for customer {CustomerId} comes from a sender id that is not a phone number; ignored.",
                message.MessageId, company.CustomerId);
            return;
        }
        var conversationId = AssistantEndpoints.WhatsAppConversationId(person);
        var language = stated
                       ?? (await conversationStates.GetAsync(company.CustomerId, conversationId, cancellationToken))?.Language
                       ?? Language.Spanish;

        if (message.Type != "text" || string.IsNullOrWhiteSpace(message.Text))
        {
            await SendAsync(message, ChannelReplies.OnlyText(language), cancellationToken);
            return;
        }
        if (message.Text.Length > AssistantEndpoints.MaxTextLength)
        {
            await SendAsync(message, ChannelReplies.TooLong(language, AssistantEndpoints.MaxTextLength), cancellationToken);
            return;
        }
        if (limits.TryConversation(company.CustomerId, conversationId) is not null)
        {
            // No answer: answering a flood would double it.
            logger.LogWarning("WhatsApp message {MessageId} for customer {CustomerId} exceeds the conversation's rate limit; not answered.",
                message.MessageId, company.CustomerId);
            return;
        }

        string reply;
        try
        {
            reply = (await conversations.ReplyAsync(company.CustomerId, conversationId, message.Text, cancellationToken)).Reply;
        }
        catch (ConversationBusyException)
        {
            reply = ChannelReplies.Busy(language);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError("The assistant could not answer WhatsApp message {MessageId} for customer {CustomerId} ({Error}).",
                message.MessageId, company.CustomerId, ex.GetType().Name);
            reply = ChannelReplies.Failed(language);
        }
        await SendAsync(message, reply, cancellationToken);
    }

    private Task<bool> SendAsync(WhatsAppInbound message, string text, CancellationToken cancellationToken) =>
        graph.SendTextAsync(message.PhoneNumberId, message.From, text, message.MessageId, cancellationToken);
}
