using PhoneNumbers;

namespace CalendarConnect.Backend.Storage;

/// <summary>
/// WhatsApp numbers in the one form they are stored and compared in: E.164 ("+5491155550000"). The admin may type
/// "+54 9 11 5555-0000"; WhatsApp's webhook writes "5491155550000" (no plus); both must find the same company.
/// </summary>
public static class WhatsAppNumber
{
    private static readonly PhoneNumberUtil Numbers = PhoneNumberUtil.GetInstance();

    /// <summary>Longest input looked at; E.164 numbers have at most 15 digits, people add spaces and dashes.</summary>
    public const int MaxInputLength = 40;

    /// <summary>
    /// The E.164 form of <paramref name="input"/>, or null when it is not a valid international number. The
    /// country code is required (a leading "+" or, as WhatsApp sends them, digits only): a business platform
    /// serves companies in many countries, so no default region is guessed. For numbers a person typed use
    /// <see cref="NormalizeTyped"/>.
    /// </summary>
    /// <summary>
    /// The E.164 form of a number a person typed (the admin API and page), or null. Unlike <see cref="Normalize"/>
    /// the international prefix is required ("+" or "00"): digits alone are how WhatsApp's webhook writes numbers,
    /// but typed by a person they are usually a national number ("9 11 2345-6789"), whose first digits would be
    /// taken as a country code ("+91…", India) instead of refused.
    /// </summary>
    public static string? NormalizeTyped(string? input) => HasInternationalPrefix(input) ? Normalize(input) : null;

    /// <summary>Whether <paramref name="input"/> starts (after spaces) with "+" or "00".</summary>
    public static bool HasInternationalPrefix(string? input)
    {
        var text = input?.TrimStart() ?? "";
        return text.StartsWith('+') || text.StartsWith("00", StringComparison.Ordinal);
    }

    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input) || input.Length > MaxInputLength) return null;
        var text = input.Trim();
        if (text.StartsWith("00", StringComparison.Ordinal)) text = "+" + text[2..];
        if (!text.StartsWith('+')) text = "+" + text;
        if (text.Skip(1).Any(c => !(char.IsAsciiDigit(c) || c is ' ' or '-' or '(' or ')' or '.'))) return null;
        try
        {
            var number = Numbers.Parse(text, null);
            return Numbers.IsValidNumber(number) ? Numbers.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
