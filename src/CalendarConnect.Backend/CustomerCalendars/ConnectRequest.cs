using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using CalendarConnect.Backend.Web;

namespace CalendarConnect.Backend.CustomerCalendars;

/// <summary>The body of POST /v1/customer-calendars/connect, bound by the framework and checked by <see cref="Validate"/>.</summary>
/// <param name="WhatsAppNumber">
/// Optional: the company's WhatsApp business number ("+" or "00" and the country code), stored in E.164. Left out,
/// null or "" keeps the number the company has (connect never clears it; PATCH with null does); the answer stays
/// the spec's six fields either way.
/// </param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ConnectRequest(
    string? CustomerId, string? CustomerEmail, string? CustomerName,
    [property: JsonPropertyName("whatsapp_number")] string? WhatsAppNumber = null) : IValidatableObject
{
    public const int MaxEmailLength = EmailAddressRule.MaxLength;
    public const int MaxNameLength = 200;

    public static string? CustomerIdError(string value) =>
        !IsWellFormed(value) || !CustomerIdRule.IsValid(value) ? ApiTexts.CustomerIdRule : null;

    public static string? CustomerEmailError(string value) =>
        value.Length == 0 ? ApiTexts.Required
        : value.Length > MaxEmailLength ? ApiTexts.MaxLength(MaxEmailLength)
        // The MCP server's rule too: an email it would refuse is never saved here.
        : !EmailAddressRule.IsValid(value) ? ApiTexts.EmailRule
        : null;

    public static string? CustomerNameError(string value) =>
        value.Length == 0 ? ApiTexts.Required
        : value.Length > MaxNameLength ? ApiTexts.MaxLength(MaxNameLength)
        : !IsWellFormed(value) ? ApiTexts.NoControlCharacters
        : FreeText.Error(value);

    /// <summary>
    /// The E.164 form of a WhatsApp number the admin typed, or the error to show for it. The "+" (or "00") is
    /// required: without it a national number's first digits would be read as a country code.
    /// </summary>
    public static (string? Number, string? Error) ReadWhatsAppNumber(string value) =>
        value.Length > Storage.WhatsAppNumber.MaxInputLength ? (null, ApiTexts.MaxLength(Storage.WhatsAppNumber.MaxInputLength))
        : !Storage.WhatsAppNumber.HasInternationalPrefix(value) ? (null, ApiTexts.WhatsAppPlusRule)
        : Storage.WhatsAppNumber.NormalizeTyped(value) is { } e164 ? (e164, null)
        : (null, ApiTexts.WhatsAppRule);

    /// <summary>The three required fields and the optional whatsapp_number; errors keyed by field name (the ProblemDetails "errors").</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // The id is taken as typed (it is an identifier; only its case is made canonical); email and name lose surrounding spaces.
        if (CustomerId is null) yield return Error("customer_id", ApiTexts.Required);
        else if (CustomerIdError(CustomerId) is { } idError) yield return Error("customer_id", idError);
        if (CustomerEmail is null) yield return Error("customer_email", ApiTexts.Required);
        else if (CustomerEmailError(CustomerEmail.Trim()) is { } emailError) yield return Error("customer_email", emailError);
        if (CustomerName is null) yield return Error("customer_name", ApiTexts.Required);
        else if (CustomerNameError(CustomerName.Trim()) is { } nameError) yield return Error("customer_name", nameError);
        if (!string.IsNullOrWhiteSpace(WhatsAppNumber) && ReadWhatsAppNumber(WhatsAppNumber.Trim()).Error is { } whatsAppError)
            yield return Error("whatsapp_number", whatsAppError);
    }

    /// <summary>
    /// The valid request as it is saved: the id canonical (ids are case-insensitive: COMP-A is the company comp-a),
    /// email and name trimmed, the WhatsApp number in E.164 or null when none was given.
    /// </summary>
    public ConnectRequest Normalized() => new(CanonicalCustomerIds.Of(CustomerId!), CustomerEmail!.Trim(), CustomerName!.Trim(),
        string.IsNullOrWhiteSpace(WhatsAppNumber) ? null : ReadWhatsAppNumber(WhatsAppNumber.Trim()).Number);

    /// <summary>A field's error as the framework's validation reports it: keyed by the JSON field name.</summary>
    internal static ValidationResult Error(string field, string message) => new(message, [field]);

    /// <summary>No lone UTF-16 surrogates (JSON "\ud800" would otherwise be stored as U+FFFD).</summary>
    private static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
            if (char.IsSurrogate(value[i])) return false;
        }
        return true;
    }
}
