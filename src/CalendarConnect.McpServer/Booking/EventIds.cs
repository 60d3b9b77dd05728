using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CalendarConnect.McpServer.Booking;

/// <summary>
/// Google event ids we choose ourselves, so that inserting the same booking twice is impossible: Google answers a
/// second insert with the same id with 409 <c>duplicate</c>. The id is SHA-256 of the company and what makes the
/// booking the same booking, in base32hex (Google's alphabet a–v, 0–9): 52 characters, within Google's 5–1024.
/// </summary>
public static partial class EventIds
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuv";

    /// <summary>With an idempotency key, the key alone names the booking: a retry with it is the same booking whatever else it says.</summary>
    public static string ForKey(string customerId, string idempotencyKey) => Derive($"key\n{customerId}\n{idempotencyKey}");

    /// <summary>
    /// Without a key, the slot names the booking, together with the person's name: a retry of "Ana at 15:00" is the same
    /// booking, while "Luis at 15:00" is a different one and must meet "slot taken", never Ana's appointment.
    /// <paramref name="generation"/> counts earlier bookings of the same slot that were cancelled (their ids stay taken at Google).
    /// </summary>
    public static string ForSlot(string customerId, string startUtc, int lengthMinutes, string customerName, int generation) =>
        Derive($"slot\n{customerId}\n{startUtc}\n{lengthMinutes}\n{customerName.Trim().ToLowerInvariant()}\n{generation}");

    /// <summary>
    /// The row id of a reschedule's hold on its new time. The ':' is outside Google's alphabet, so no tool argument
    /// (checked by <see cref="IsValid"/>) can ever name a hold, and no Google event can have this id.
    /// </summary>
    public static string HoldFor(string eventId) => eventId + ":move";

    /// <summary>
    /// What a booking asked for, hashed and kept with its row: an idempotency key names one booking, and the same key
    /// with another start, length or name is a mistake to refuse, not a retry. Names compare as <see cref="ForSlot"/> does.
    /// </summary>
    public static string RequestHash(string startUtc, int lengthMinutes, string customerName) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"request/v1\n{startUtc}\n{lengthMinutes}\n{customerName.Trim().ToLowerInvariant()}")));

    public static bool IsValid(string? id) => id is not null && Syntax().IsMatch(id);

    private static string Derive(string material)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("calendarconnect/booking/v1\n" + material));
        var text = new StringBuilder(52);
        int buffer = 0, bits = 0;
        foreach (var b in hash)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0) text.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        return text.ToString();
    }

    [GeneratedRegex(@"^[a-v0-9]{5,1024}\z")]
    private static partial Regex Syntax();
}
