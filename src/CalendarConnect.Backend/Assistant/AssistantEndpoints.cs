using System.Security.Cryptography;
using System.Text.Json.Serialization;
using CalendarConnect.Assistant;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Assistant.Understanding;
using CalendarConnect.Backend.SignIn;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Backend.Web;
using CalendarConnect.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using CalendarConnect.Infrastructure.Http;

namespace CalendarConnect.Backend.Assistant;

/// <summary>
/// The answer of POST /v1/assistant/messages: the assistant's <see cref="AssistantReply"/> and the conversation it
/// belongs to. Property names are pinned to snake_case like <see cref="AssistantReply"/>'s.
/// </summary>
/// <param name="ConversationId">
/// The conversation to send the next message in. The one the caller sent, or, when it sent none, a fresh one the
/// server issued ("web-" and 128 random bits): without it, everyone who omitted conversation_id would share one
/// conversation (and could confirm or cancel each other's bookings). Absent for a channel message, whose
/// conversation is the person's.
/// </param>
public sealed record AssistantMessageReply(
    [property: JsonPropertyName("reply")] string Reply,
    [property: JsonPropertyName("language")] string Language,
    [property: JsonPropertyName("intent")] string Intent,
    [property: JsonPropertyName("date_iso")] string? DateIso,
    [property: JsonPropertyName("time_local")] string? TimeLocal,
    [property: JsonPropertyName("available")] bool? Available,
    [property: JsonPropertyName("alternatives")] IReadOnlyList<string> Alternatives,
    [property: JsonPropertyName("offered")] IReadOnlyList<string> Offered,
    [property: JsonPropertyName("conversation_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ConversationId)
{
    public static AssistantMessageReply From(AssistantReply reply, string? conversationId) => new(
        reply.Reply, reply.Language, reply.Intent, reply.DateIso, reply.TimeLocal, reply.Available, reply.Alternatives, reply.Offered, conversationId);
}

/// <summary>
/// Spec step 7: a message from one of a company's own customers, answered by the booking assistant, which
/// reaches that company's calendar through the MCP server (the customer id travels as X-Customer-Id).
/// </summary>
public static class AssistantEndpoints
{
    /// <summary>What one chat message may hold; longer text is refused rather than cut.</summary>
    public const int MaxTextLength = 2000;

    public const string WhatsAppChannel = "whatsapp";

    /// <summary>
    /// Conversations of people a channel vouches for (Meta's signed webhook, an authenticated bridge) start with
    /// this; an anonymous caller may not use it, or anyone knowing a person's number could read and cancel their bookings.
    /// </summary>
    public const string VerifiedConversationPrefix = "channel:";

    /// <summary>Conversations the server issued to a caller that sent no conversation_id start with this.</summary>
    public const string IssuedConversationPrefix = "web-";

    /// <summary>A fresh conversation id nobody can guess: <see cref="IssuedConversationPrefix"/> and 128 random bits, base64url.</summary>
    public static string NewConversationId() =>
        IssuedConversationPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// The conversation of a person writing on WhatsApp: the same for a channel message and the webhook, so both
    /// continue one conversation.
    /// </summary>
    public static string WhatsAppConversationId(string personE164) => VerifiedConversationPrefix + WhatsAppChannel + ":" + personE164;

    public static IEndpointRouteBuilder MapAssistant(this IEndpointRouteBuilder app)
    {
        // Open to the company's customers' channels (chat widget, messaging bridge): no admin credentials.
        app.MapPost("/v1/assistant/messages", ReplyAsync).AllowAnonymous()
            .RequireRateLimiting(AssistantRateLimits.PerClientPolicy)
            .WithTags("Assistant")
            // Declared optional so that JSON null is the "send a JSON object" error as before; ReplyAsync answers an empty body.
            .WithJsonBody<AssistantMessage>(() => ApiTexts.AssistantBodyShape, _ => ApiTexts.AssistantUnknownField, optional: true,
                wrongValue: AssistantMessage.WrongValue)
            .Produces<AssistantMessageReply>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("A message from one of a company's customers, answered by the booking assistant")
            .WithDescription("""
                Public: called by the company's customer channels (chat widget, messaging bridge), no admin credentials (but see the channel form).
                Two forms: {"customer_id", "conversation_id", "text"} names the company (conversation ids starting with
                "channel:" are reserved). Omit conversation_id to start a new conversation: the server issues an unguessable
                one and returns it as "conversation_id" in the response; send it with the next messages to continue (an empty
                conversation_id is 400; so is a field neither form has). An unknown customer_id is answered exactly like a company whose calendar is not connected
                (200 and the assistant's reply): this public endpoint never tells whether a company exists. A channel message
                {"channel": "whatsapp", "to": "<the company's WhatsApp number>", "from": "<the person's number>", "text"}
                is routed by the company's WhatsApp number (numbers with country code: "+5491155550000" or "5491155550000")
                and continues the conversation "channel:whatsapp:<from in E.164>", the one the WhatsApp webhook uses. A
                channel message vouches for who the person is, so only a bridge with the admin API's credentials
                (Authorization header: HTTP Basic) may send one (401 otherwise). A channel message to a number no company
                has gets 404 with a polite "reply" the channel can relay. 429 (with Retry-After) when a client IP (an IPv6 client
                by its /64), a conversation or a company gets too many messages (counted per replica); 409 when another message of the same conversation kept it busy.
                """);
        return app;
    }

    private static async Task<IResult> ReplyAsync(
        // Optional (null for no body) but non-nullable, so the API document shows the record, not "null or it".
        [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] AssistantMessage message,
        HttpContext context, CustomerMemory memory, AssistantConversations conversations, AssistantRateLimits limits,
        CancellationToken cancellationToken)
    {
        // Bound and validated by the framework (WithJsonBody); without a body there is no message to answer.
        if (message is null) return Problems.Create(StatusCodes.Status400BadRequest, ApiTexts.EmptyBodyTitle, ApiTexts.EmptyBodyDetail);
        // Before anything about a channel message is looked up (even whether the number has a company).
        if (message.IsChannelMessage() && !await IsTrustedBridgeAsync(context))
            return Problems.Create(StatusCodes.Status401Unauthorized, ApiTexts.BridgeUnauthorizedTitle, ApiTexts.BridgeUnauthorizedDetail);

        var (customerId, conversationId, text) = (message.CustomerId, message.ConversationId, message.Text!);
        var (business, person) = (message.BusinessNumber(), message.PersonNumber());
        if (customerId is not null) customerId = CanonicalCustomerIds.Of(customerId); // ids are case-insensitive: COMP-A is comp-a

        if (business is not null)
        {
            var company = await memory.FindByWhatsAppNumberAsync(business, cancellationToken);
            if (company is null) return UnknownBusinessNumber(business, text);
            customerId = company.CustomerId;
            conversationId = WhatsAppConversationId(person!);
        }
        // A customer_id is not looked up: anyone may call this endpoint, and a 404 would tell them which companies
        // exist. An unknown one goes the same way as a company without a calendar (the MCP server has no calendar for
        // either and answers not_connected), so status, body, headers and the work done are the same.

        // No id: a conversation of its own, never one shared with every other caller who sent none.
        if (business is null) conversationId ??= NewConversationId();
        var returnedId = business is null ? conversationId : null;
        if (limits.TryConversation(customerId!, conversationId!) is { } retryAfter)
            return AssistantRateLimits.TooManyMessages(context, retryAfter);
        try
        {
            var channelName = business is null ? TelemetryNames.Values.ApiChannel : TelemetryNames.Values.WhatsAppChannel;
            var reply = await conversations.ReplyAsync(customerId!, conversationId!, text, channelName, cancellationToken);
            return TypedResults.Ok(AssistantMessageReply.From(reply, returnedId));
        }
        catch (ConversationBusyException)
        {
            context.Response.Headers.RetryAfter = "5";
            return Problems.Create(StatusCodes.Status409Conflict, ApiTexts.ConversationBusyTitle, ApiTexts.ConversationBusyDetail);
        }
    }

    /// <summary>
    /// 404, as for an unknown customer_id, with a "reply" the channel can relay to the person: they wrote to a
    /// number, and deserve an answer rather than silence.
    /// </summary>
    private static IResult UnknownBusinessNumber(string business, string text)
    {
        var language = MessageParser.Parse(text).Language ?? Language.Spanish;
        return TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: ApiTexts.UnknownBusinessNumberTitle,
            detail: ApiTexts.UnknownBusinessNumberDetail(business),
            extensions: new Dictionary<string, object?>
            {
                ["reply"] = ChannelReplies.UnknownCompany(language),
                ["language"] = language.Code(),
            });
    }

    /// <summary>
    /// The caller authenticated as for the admin API with an Authorization header (a server, not a browser's cookie:
    /// cookie writes would need the antiforgery token, and a bridge has no browser). Failed attempts count towards the
    /// sign-in throttle like any other.
    /// </summary>
    private static async Task<bool> IsTrustedBridgeAsync(HttpContext context)
    {
        // Only Basic or Bearer: any other Authorization scheme would fall through to the cookie.
        var scheme = context.Request.Headers.Authorization.ToString().Trim().Split(' ', 2)[0];
        if (!scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            return false;
        var result = await context.AuthenticateAsync(AdminAuthentication.ApiScheme);
        return result.Succeeded && result.Ticket.AuthenticationScheme is AdminAuthentication.BasicScheme or AdminAuthentication.BearerScheme;
    }
}
