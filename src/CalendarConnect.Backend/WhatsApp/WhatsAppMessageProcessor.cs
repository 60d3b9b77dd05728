using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Understanding;
using CalendarConnect.Backend.Assistant;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Infrastructure.Telemetry;

namespace CalendarConnect.Backend.WhatsApp;

/// <summary>
/// Answers the stored WhatsApp messages (<see cref="WhatsAppReceivedMessages"/>): routes each by the business number
/// it was sent to (<c>display_phone_number</c> → the company with that <c>whatsapp_number</c>), has the booking
/// assistant answer it in the conversation "whatsapp:+&lt;person's number&gt;" (the same conversation as a channel
/// message from that number) and sends the reply from the same business number.
/// </summary>
/// <remarks>
/// A message is marked done once its reply went out (or surely cannot: refused by Graph, or its outcome unknown,
/// which is not sent twice). When answering fails before that (the database is down, say) it is tried again after
/// <see cref="WhatsAppOptions.AnswerRetryDelays"/> and then marked failed. Stopping while answering frees it for the
/// next start, except that a reply already being sent is finished first (it may have reached WhatsApp); a crash leaves
/// its lease to run out. So a message can be answered twice only when the backend dies
/// between sending the reply and marking it done.
/// </remarks>
public sealed class WhatsAppMessageProcessor(
    WhatsAppInbox inbox,
    CustomerMemory companies,
    AssistantConversations conversations,
    IConversationStore conversationStates,
    AssistantRateLimits limits,
    WhatsAppGraphClient graph,
    WhatsAppReceivedMessages received,
    Microsoft.Extensions.Options.IOptions<WhatsAppOptions> options,
    TimeProvider time,
    ILogger<WhatsAppMessageProcessor> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return Task.CompletedTask;
        // At start every worker looks at once: messages stored before a stop or crash are answered without waiting to be woken.
        return Task.WhenAll(Enumerable.Range(0, WhatsAppInbox.Workers).Select(_ => RunWorkerAsync(stoppingToken)));
    }

    private async Task RunWorkerAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                WhatsAppClaimed? claimed;
                try
                {
                    claimed = await received.ClaimAsync(inbox.Owner, settings.LeaseDuration, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning("Looking for WhatsApp messages to answer failed ({Error}); trying again shortly.", ex.GetType().Name);
                    claimed = null;
                }
                if (claimed is null)
                {
                    await inbox.WaitAsync(settings.PollInterval, time, stoppingToken);
                    continue;
                }
                if (stoppingToken.IsCancellationRequested)
                {
                    // Claimed as the host stops: give it back at once, or it would wait out the whole lease.
                    await BookkeepAsync(() => received.ReleaseAsync(claimed.Message.MessageId, inbox.Owner), claimed.Message.MessageId);
                    break;
                }
                inbox.Wake(); // there may be more: another worker can take the next one meanwhile
                await AnswerAsync(claimed, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task AnswerAsync(WhatsAppClaimed claimed, CancellationToken stoppingToken)
    {
        var message = claimed.Message;
        try
        {
            await HandleAsync(message, stoppingToken);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: not answered, so free for the next start (or another replica) rather than waiting out the lease.
            await BookkeepAsync(() => received.ReleaseAsync(message.MessageId, inbox.Owner), message.MessageId);
            logger.LogWarning("Stopping while answering WhatsApp message {MessageId}; it will be answered after the restart.", message.MessageId);
            throw new OperationCanceledException(stoppingToken);
        }
        catch (Exception ex)
        {
            // The type only: a message could carry the customer's text or a connection string's details.
            var delays = options.Value.AnswerRetryDelays;
            if (claimed.Attempts > delays.Count)
            {
                logger.LogError("WhatsApp message {MessageId} could not be answered after {Attempts} attempts ({Error}); given up.",
                    message.MessageId, claimed.Attempts, ex.GetType().Name);
                await BookkeepAsync(() => received.CompleteAsync(message.MessageId, inbox.Owner, WhatsAppReceivedMessages.Failed), message.MessageId);
            }
            else
            {
                var delay = delays[claimed.Attempts - 1];
                logger.LogWarning("WhatsApp message {MessageId} could not be answered ({Error}); trying again in {Delay}.",
                    message.MessageId, ex.GetType().Name, delay);
                await BookkeepAsync(() => received.RetryLaterAsync(message.MessageId, inbox.Owner, time.GetUtcNow() + delay), message.MessageId);
            }
            return;
        }
        await BookkeepAsync(() => received.CompleteAsync(message.MessageId, inbox.Owner), message.MessageId);
    }

    /// <summary>When even that fails, the lease runs out and the message is taken again.</summary>
    private async Task BookkeepAsync(Func<Task> update, string messageId)
    {
        try
        {
            await update();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError("The state of WhatsApp message {MessageId} could not be saved ({Error}); it is taken again when its lease runs out.",
                messageId, ex.GetType().Name);
        }
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
            reply = (await conversations.ReplyAsync(company.CustomerId, conversationId, message.Text, TelemetryNames.Values.WhatsAppChannel, cancellationToken)).Reply;
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
