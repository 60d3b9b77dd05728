using System.Text.Json;
using System.Text.RegularExpressions;

namespace CalendarConnect.Backend.WhatsApp;

/// <summary>One customer message from a webhook notification, as Meta sent it.</summary>
/// <param name="MessageId">Meta's id ("wamid.…"): the same message delivered twice has the same id.</param>
/// <param name="DisplayPhoneNumber">The business number it was sent to, as Meta writes it ("15550783881").</param>
/// <param name="PhoneNumberId">The Graph API id of that business number: replies are sent from it.</param>
/// <param name="From">The person's WhatsApp id (their number, digits only).</param>
/// <param name="Type">"text", "image", "audio", … ; only "text" has <paramref name="Text"/>.</param>
/// <param name="SentAt">When the person sent it (Meta's <c>timestamp</c>, Unix seconds); null when Meta did not say.</param>
public sealed record WhatsAppInbound(string MessageId, string DisplayPhoneNumber, string PhoneNumberId, string From, string Type, string? Text,
    DateTimeOffset? SentAt = null);

/// <summary>
/// Reads Meta's webhook notification: <c>object: whatsapp_business_account</c>, <c>entry[].changes[].value</c>
/// with <c>metadata.display_phone_number / phone_number_id</c> and <c>messages[]</c>. Delivery statuses
/// (<c>value.statuses[]</c>) and other fields are not messages and are skipped, as is any message missing what a
/// reply needs.
/// </summary>
public static partial class WhatsAppWebhookPayload
{
    public const string BusinessAccountObject = "whatsapp_business_account";
    private const int MaxIdLength = 256;

    /// <returns>The messages, or null when the JSON is not Meta's notification shape at all.</returns>
    public static IReadOnlyList<WhatsAppInbound>? ReadMessages(JsonElement root, out int skipped)
    {
        skipped = 0;
        if (root.ValueKind != JsonValueKind.Object || Text(root, "object") is not { } kind) return null;
        var messages = new List<WhatsAppInbound>();
        if (kind != BusinessAccountObject || !root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
            return messages;
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Array) continue;
            foreach (var change in changes.EnumerateArray())
            {
                if (change.ValueKind != JsonValueKind.Object || !change.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object) continue;
                if (!value.TryGetProperty("messages", out var items) || items.ValueKind != JsonValueKind.Array) continue;
                var metadata = value.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
                var display = metadata.ValueKind == JsonValueKind.Object ? Text(metadata, "display_phone_number") : null;
                var phoneNumberId = metadata.ValueKind == JsonValueKind.Object ? Text(metadata, "phone_number_id") : null;
                foreach (var item in items.EnumerateArray())
                {
                    var id = item.ValueKind == JsonValueKind.Object ? Text(item, "id") : null;
                    var from = item.ValueKind == JsonValueKind.Object ? Text(item, "from") : null;
                    var type = item.ValueKind == JsonValueKind.Object ? Text(item, "type") : null;
                    // phone_number_id becomes a path segment of the Graph URL: digits only, nothing else gets there.
                    if (id is not { Length: > 0 and <= MaxIdLength } || from is not { Length: > 0 and <= 32 } || type is not { Length: > 0 and <= 64 }
                        || display is not { Length: > 0 and <= 40 } || phoneNumberId is null || !Digits().IsMatch(phoneNumberId))
                    {
                        skipped++;
                        continue;
                    }
                    string? body = null;
                    if (type == "text" && item.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.Object)
                        body = Text(text, "body");
                    messages.Add(new WhatsAppInbound(id, display, phoneNumberId, from, type, body, UnixTime(Text(item, "timestamp"))));
                }
            }
        }
        return messages;
    }

    /// <summary>Meta's <c>timestamp</c>: Unix seconds as a string ("1736946000").</summary>
    private static DateTimeOffset? UnixTime(string? seconds) =>
        long.TryParse(seconds, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
        && value is >= 0 and <= 253402300799 // DateTimeOffset's range
            ? DateTimeOffset.FromUnixTimeSeconds(value)
            : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex(@"^[0-9]{1,32}\z")]
    private static partial Regex Digits();
}
