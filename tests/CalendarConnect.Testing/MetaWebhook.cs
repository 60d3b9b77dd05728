using System.Text.Json;

namespace CalendarConnect.Testing;

/// <summary>WhatsApp Cloud API webhook notifications exactly as Meta sends them, for every test that plays Meta.</summary>
public static class MetaWebhook
{
    /// <summary>A notification with one change carrying <paramref name="messages"/> (see <see cref="Text"/>).</summary>
    public static string Notification(string displayPhoneNumber, string phoneNumberId, string person, params object[] messages) =>
        JsonSerializer.Serialize(new
        {
            @object = "whatsapp_business_account",
            entry = new[]
            {
                new
                {
                    id = "102290129340398",
                    changes = new[]
                    {
                        new
                        {
                            value = new
                            {
                                messaging_product = "whatsapp",
                                metadata = new { display_phone_number = displayPhoneNumber, phone_number_id = phoneNumberId },
                                contacts = new[] { new { profile = new { name = "Ana" }, wa_id = person } },
                                messages,
                            },
                            field = "messages",
                        },
                    },
                },
            },
        });

    /// <summary>A text message from <paramref name="from"/>, sent at <paramref name="sentAt"/> (now by default).</summary>
    public static object Text(string from, string id, string body, DateTimeOffset? sentAt = null) =>
        new { from, id, timestamp = Unix(sentAt ?? DateTimeOffset.UtcNow), type = "text", text = new { body } };

    /// <summary>Meta's timestamp: Unix seconds as a string.</summary>
    public static string Unix(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
