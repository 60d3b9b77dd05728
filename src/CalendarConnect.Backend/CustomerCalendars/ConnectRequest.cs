using System.Text.Json;
using System.Text.Json.Serialization;
using CalendarConnect.Backend.Web;

namespace CalendarConnect.Backend.CustomerCalendars;

/// <summary>The body of POST /v1/customer-calendars/{customer_id}/account-attempt/accept.</summary>
/// <param name="AccountEmail">The other Google account the company signed in with, as shown in its account_attempt.</param>
public sealed record AcceptAccountRequest(string AccountEmail);

/// <summary>The body of POST /v1/customer-calendars/connect, validated field by field.</summary>
/// <param name="WhatsAppNumber">
/// Optional: the company's WhatsApp business number ("+" or "00" and the country code), stored in E.164. Left out,
/// null or "" keeps the number the company has (connect never clears it; PATCH with null does); the answer stays
/// the spec's six fields either way.
/// </param>
public sealed record ConnectRequest(
    string CustomerId, string CustomerEmail, string CustomerName,
    [property: JsonPropertyName("whatsapp_number")] string? WhatsAppNumber = null)
{
    public const int MaxEmailLength = EmailAddressRule.MaxLength;
    public const int MaxNameLength = 200;

    private static readonly string[] Fields = ["customer_id", "customer_email", "customer_name", "whatsapp_number"];
    private static readonly string[] RequiredFields = ["customer_id", "customer_email", "customer_name"];

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

    /// <summary>The three required string fields and the optional whatsapp_number; errors keyed by field name (the ProblemDetails "errors").</summary>
    public static (ConnectRequest? Request, Dictionary<string, string[]> Errors) Validate(JsonElement body)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = [ApiTexts.ConnectBodyShape];
            return (null, errors);
        }

        var values = ReadStringFields(body, Fields, nullable: ["whatsapp_number"], ApiTexts.ConnectUnknownField, errors, out var seen);
        foreach (var field in RequiredFields)
            if (!seen.Contains(field)) errors[field] = [ApiTexts.Required];

        // The id is taken as typed (it is an identifier; only its case is made canonical); email and name lose surrounding spaces.
        var id = values.GetValueOrDefault("customer_id");
        var email = values.GetValueOrDefault("customer_email")?.Trim();
        var name = values.GetValueOrDefault("customer_name")?.Trim();
        var whatsApp = values.GetValueOrDefault("whatsapp_number")?.Trim();
        if (id is not null && CustomerIdError(id) is { } idError) errors["customer_id"] = [idError];
        if (email is not null && CustomerEmailError(email) is { } emailError) errors["customer_email"] = [emailError];
        if (name is not null && CustomerNameError(name) is { } nameError) errors["customer_name"] = [nameError];
        string? e164 = null;
        if (!string.IsNullOrEmpty(whatsApp))
        {
            (e164, var whatsAppError) = ReadWhatsAppNumber(whatsApp);
            if (whatsAppError is not null) errors["whatsapp_number"] = [whatsAppError];
        }

        // Ids are case-insensitive: COMP-A is the company comp-a.
        return errors.Count == 0 ? (new ConnectRequest(CanonicalCustomerIds.Of(id!), email!, name!, e164), errors) : (null, errors);
    }

    /// <summary>
    /// The string values of an object's known fields (a JSON null is kept as a null value for the fields in
    /// <paramref name="nullable"/>); duplicates, unknown fields and non-strings become errors. At most ten unknown
    /// fields are reported, so a hostile body cannot make the answer huge.
    /// </summary>
    internal static Dictionary<string, string?> ReadStringFields(JsonElement body, string[] fields, string[] nullable,
        string unknownFieldMessage, Dictionary<string, string[]> errors, out HashSet<string> seen)
    {
        var values = new Dictionary<string, string?>();
        seen = new HashSet<string>(StringComparer.Ordinal);
        var unknown = 0;
        foreach (var property in body.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                errors[Key(property.Name)] = [ApiTexts.Duplicate];
                continue;
            }
            if (!fields.Contains(property.Name))
            {
                if (unknown++ < 10) errors[Key(property.Name)] = [unknownFieldMessage];
                continue;
            }
            if (property.Value.ValueKind == JsonValueKind.Null && nullable.Contains(property.Name))
            {
                values[property.Name] = null;
                continue;
            }
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                errors[property.Name] = [nullable.Contains(property.Name) ? ApiTexts.MustBeStringOrNull : ApiTexts.MustBeString];
                continue;
            }
            try { values[property.Name] = property.Value.GetString()!; }
            catch (InvalidOperationException) // invalid UTF-8 or a lone surrogate escape such as "\ud800"
            {
                errors[property.Name] = [ApiTexts.NotValidText];
            }
        }
        return values;
    }

    private static string Key(string name) => name.Length <= 64 ? name : name[..64] + "…";

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
