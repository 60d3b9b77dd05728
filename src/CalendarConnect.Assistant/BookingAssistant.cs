using CalendarConnect.Assistant.Conversations;
using CalendarConnect.Assistant.Dialogue;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Assistant.Replies;
using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Assistant;

/// <summary>
/// The spec's "Asistente IA" (step 7): answers one customer message of a company's conversation, checking the
/// company's calendar through the MCP Calendar Server when the message names a day or time. What the conversation is
/// about (its <see cref="Topic"/>) decides how a message is read; each topic has its handler in the Dialogue folder.
/// </summary>
/// <remarks>
/// The assistant has no clock of its own: "today" is the company's date as the MCP server's
/// <c>get_current_time</c> gives it, the same clock the server uses to leave out slots that have passed.
/// </remarks>
/// <param name="languageModel">The optional LLM mode (<c>ASSISTANT_LLM_ENDPOINT</c>); when set it answers first and these rules take over whenever it fails.</param>
public sealed class BookingAssistant(
    ICalendarAdapter calendar,
    IConversationStore conversations,
    CalendarConnect.Assistant.Llm.LlmBookingEngine? languageModel = null,
    Microsoft.Extensions.Logging.ILogger<BookingAssistant>? logger = null)
{
    public const int MaxConversationIdLength = 200;

    /// <summary>Answers <paramref name="text"/>, never throwing for anything the customer typed.</summary>
    /// <param name="customerId">The company (the spec's <c>customer_id</c>); sent to the MCP server as <c>X-Customer-Id</c>.</param>
    /// <param name="conversationId">The conversation within that company (e.g. a WhatsApp number); may be empty.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="customerId"/> is not a valid id (see <see cref="CustomerIds"/>) or <paramref name="conversationId"/>
    /// is longer than <see cref="MaxConversationIdLength"/>: a caller error the HTTP layer should answer with 400.
    /// </exception>
    public Task<AssistantReply> ReplyAsync(string customerId, string? conversationId, string? text,
        CancellationToken cancellationToken = default) =>
        languageModel is null
            ? ReplyWithRulesAsync(customerId, conversationId, text, cancellationToken)
            : languageModel.ReplyAsync(customerId, conversationId, text, ReplyWithRulesAsync, cancellationToken);

    /// <summary>The rule-based engine: the default, and the LLM mode's fallback on the same conversation state.</summary>
    private async Task<AssistantReply> ReplyWithRulesAsync(string customerId, string? conversationId, string? text,
        CancellationToken cancellationToken)
    {
        customerId = CustomerIds.Validate(customerId);
        conversationId ??= "";
        if (conversationId.Length > MaxConversationIdLength)
            throw new ArgumentException($"conversation_id must be at most {MaxConversationIdLength} characters.", nameof(conversationId));

        var previous = await conversations.GetAsync(customerId, conversationId, cancellationToken);
        // The conversation's language decides what "3/2" means when the message itself shows none.
        if (!MessageParser.TryParse(text, previous?.Language, out var parsed, out var failure) && logger is not null)
            Microsoft.Extensions.Logging.LoggerExtensions.LogWarning(logger,
                "A message for customer {CustomerId} could not be read ({Failure}); it is answered as not understood", customerId, failure!.GetType().Name);
        return await AnswerAsync(customerId, conversationId, text, parsed, previous, cancellationToken);
    }

    /// <summary>
    /// Answers a message already read as <paramref name="parsed"/>: the dialogue on its own, so its tests can say what
    /// a message means without depending on how the parser reads particular words.
    /// </summary>
    internal async Task<AssistantReply> ReplyToParsedAsync(string customerId, string conversationId, string? text, ParsedMessage parsed,
        CancellationToken cancellationToken)
    {
        var previous = await conversations.GetAsync(customerId, conversationId, cancellationToken);
        return await AnswerAsync(customerId, conversationId, text, parsed, previous, cancellationToken);
    }

    private async Task<AssistantReply> AnswerAsync(string customerId, string conversationId, string? text, ParsedMessage parsed,
        ConversationState? previous, CancellationToken cancellationToken)
    {
        var language = parsed.Language ?? previous?.Language ?? Language.Spanish;
        var state = (previous ?? new ConversationState(language)) with { Language = language };

        // One MCP connection serves every tool call of this message; it connects only if a tool is called.
        await using var companyCalendar = calendar.OpenSession(customerId);
        var turn = new DialogueTurn(companyCalendar, customerId, conversationId, text, parsed, state, new ReplyContext(language));
        var (reply, next) = await TopicHandlers.AnswerAsync(turn, cancellationToken);
        // Not the caller's token: once a booking is made, forgetting it because the client hung up would be worse.
        await conversations.SetAsync(customerId, conversationId, next, CancellationToken.None);
        return reply with { Outcome = AssistantOutcomes.Of(state, next, reply) };
    }

    /// <summary>
    /// The <c>idempotency_key</c> of a booking: the company, the conversation, the proposed start and how many
    /// bookings the conversation made before. A repeated "sí" (or a retry after a timeout) sends the same key, so the
    /// server returns the booking it already made; the counter gives a new key to a later, new booking of the same
    /// time (after a cancellation), which the server would otherwise refuse as the key of a cancelled booking.
    /// Hashed because a conversation id may be up to 200 characters of anything, and the key allows 200 printable ones.
    /// </summary>
    internal static string IdempotencyKey(string customerId, string conversationId, OffsetDateTime start, int bookingsMade)
    {
        var material = string.Join("\n", customerId, conversationId,
            NodaTime.Text.InstantPattern.ExtendedIso.Format(start.ToInstant()), bookingsMade.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(material));
        return "assistant-" + Convert.ToHexStringLower(hash);
    }
}
