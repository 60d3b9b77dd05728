using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using CalendarConnect.Assistant;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Backend.Web;

namespace CalendarConnect.Backend.Assistant;

/// <summary>
/// The body of POST /v1/assistant/messages, bound by the framework and checked by <see cref="Validate"/>, in one of two
/// forms: <c>{"customer_id","conversation_id","text"}</c>, or a channel message
/// <c>{"channel":"whatsapp","to":"&lt;business number&gt;","from":"&lt;person's number&gt;","text"}</c>. A field sent as
/// null counts as left out.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AssistantMessage(string? CustomerId, string? ConversationId, string? Text, string? Channel, string? To, string? From)
    : IValidatableObject
{
    /// <summary>A channel message names the company by its WhatsApp number (<see cref="To"/>) and the person by theirs.</summary>
    public bool IsChannelMessage() => Channel is not null;

    /// <summary>The company's WhatsApp number in E.164, for a valid channel message.</summary>
    public string? BusinessNumber() => To is null ? null : WhatsAppNumber.Normalize(To);

    /// <summary>The person's WhatsApp number in E.164, for a valid channel message.</summary>
    public string? PersonNumber() => From is null ? null : WhatsAppNumber.Normalize(From);

    /// <summary>Every field is text: a value of another kind is named with the field.</summary>
    public static string WrongValue(string field) => ApiTexts.AssistantFieldNotText(field);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var channel = IsChannelMessage();
        if (Channel is not null && Channel != AssistantEndpoints.WhatsAppChannel)
            yield return Error("channel", ApiTexts.ChannelOnly(AssistantEndpoints.WhatsAppChannel));
        else if (channel && (CustomerId is not null || ConversationId is not null))
            yield return Error("channel", ApiTexts.ChannelWithConversation);
        else if (!channel && (To is not null || From is not null))
            yield return Error("channel", ApiTexts.ToFromWithoutChannel);

        if (CustomerId is null)
        {
            if (!channel) yield return Missing("customer_id");
        }
        else if (!CustomerIdRule.IsValid(CustomerId)) yield return Error("customer_id", ApiTexts.AssistantCustomerIdShape);

        if (ConversationId is { Length: 0 })
            yield return Error("conversation_id", ApiTexts.ConversationIdEmpty);
        else if (ConversationId is not null && ConversationId.StartsWith(AssistantEndpoints.VerifiedConversationPrefix, StringComparison.OrdinalIgnoreCase))
            yield return Error("conversation_id", ApiTexts.ReservedConversationId(AssistantEndpoints.VerifiedConversationPrefix));
        else if (ConversationId is { Length: > BookingAssistant.MaxConversationIdLength })
            yield return Error("conversation_id", ApiTexts.ConversationIdLength(BookingAssistant.MaxConversationIdLength));

        if (To is null)
        {
            if (channel) yield return Missing("to");
        }
        else if (BusinessNumber() is null) yield return Error("to", ApiTexts.BusinessNumberShape);

        if (From is null)
        {
            if (channel) yield return Missing("from");
        }
        else if (PersonNumber() is null) yield return Error("from", ApiTexts.PersonNumberShape);

        if (Text is null) yield return Missing("text");
        else if (string.IsNullOrWhiteSpace(Text)) yield return Error("text", ApiTexts.TextEmpty);
        else if (Text.Length > AssistantEndpoints.MaxTextLength) yield return Error("text", ApiTexts.TextLength(AssistantEndpoints.MaxTextLength));
    }

    private static ValidationResult Missing(string field) => Error(field, ApiTexts.AssistantFieldMissing(field));

    private static ValidationResult Error(string field, string message) => new(message, [field]);
}
