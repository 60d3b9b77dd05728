using System.Net.Mail;
using System.Text.RegularExpressions;
using CalendarConnect.McpServer.Http;

namespace CalendarConnect.McpServer.Booking;

/// <summary>Who the appointment is for, validated: the text ends up in the company's calendar, written by a model.</summary>
public sealed record AppointmentDetails(string CustomerName, string? Phone, string? Email, string? Notes);

/// <summary>
/// Checks of booking arguments. Nothing is escaped (Google stores plain text and shows it as such); instead lengths
/// are bounded and control characters refused, so a hostile or confused caller cannot flood or garble a calendar.
/// </summary>
public static partial class AppointmentInput
{
    public const int MaxName = 100;
    public const int MaxPhone = 32;
    public const int MaxEmail = EmailAddressRule.MaxLength;
    public const int MaxNotes = 1000;
    public const int MaxIdempotencyKey = 200;
    public const int MaxIsoText = 64;

    /// <summary>The details, or a message naming the first bad argument.</summary>
    public static (AppointmentDetails? Details, string? Error) Validate(string? name, string? phone, string? email, string? notes)
    {
        name = name?.Trim();
        if (name is not null && FreeText.Problem("customer_name", name) is { } nameProblem) return (null, nameProblem);
        if (string.IsNullOrEmpty(name) || name.Length > MaxName || HasControl(name, allowNewline: false))
            return (null, $"customer_name must be the person's name, 1 to {MaxName} characters, on one line.");
        phone = Blank(phone);
        if (phone is not null && (phone.Length > MaxPhone || !PhoneSyntax().IsMatch(phone)))
            return (null, $"customer_phone may hold only digits, '+', '-' and spaces, at most {MaxPhone} characters, or be left out.");
        email = Blank(email);
        if (email is not null && (email.Length > MaxEmail || !IsEmail(email)))
            return (null, "customer_email must be an email address such as ana@example.com, or be left out.");
        notes = Blank(notes);
        if (notes is not null && FreeText.Problem("notes", notes, allowLineBreaks: true) is { } notesProblem) return (null, notesProblem);
        if (notes is not null && (notes.Length > MaxNotes || HasControl(notes, allowNewline: true)))
            return (null, $"notes may be at most {MaxNotes} characters of plain text, or be left out.");
        return (new AppointmentDetails(name, phone, email, notes), null);
    }

    public static string? ValidateIdempotencyKey(string? key) =>
        key is null || (key.Length is > 0 and <= MaxIdempotencyKey && !HasControl(key, allowNewline: false) && key.Trim().Length > 0)
            ? null
            : $"idempotency_key must be 1 to {MaxIdempotencyKey} printable characters, or be left out.";

    /// <summary>Line breaks are fine in notes; no other control character belongs in a calendar event.</summary>
    public static bool HasControl(string text, bool allowNewline) =>
        text.Any(c => (char.IsControl(c) && !(allowNewline && c == '\n')) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static bool IsEmail(string text) =>
        EmailSyntax().IsMatch(text) && MailAddress.TryCreate(text, out var address) && address.Address == text;

    [GeneratedRegex(@"^\+?[0-9][0-9 \-]*\z")]
    private static partial Regex PhoneSyntax();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+\z")]
    private static partial Regex EmailSyntax();
}
