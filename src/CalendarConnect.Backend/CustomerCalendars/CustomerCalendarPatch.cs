using System.Text.Json;
using System.Text.Json.Serialization;
using CalendarConnect.Backend.Web;

namespace CalendarConnect.Backend.CustomerCalendars;

/// <summary>
/// The body of PATCH /v1/customer-calendars/{customer_id}, JSON merge patch (RFC 7396): a field left out is kept,
/// a field given is replaced; whatsapp_number null clears it ("" is refused: send null). customer_name and
/// customer_email are required data, so null is refused for them.
/// </summary>
/// <param name="WhatsAppNumber">Only meaningful with <paramref name="SetsWhatsAppNumber"/>: the new E.164 number, or null to clear it.</param>
public sealed record CustomerCalendarPatch(string? CustomerEmail, string? CustomerName, bool SetsWhatsAppNumber, string? WhatsAppNumber)
{
    private static readonly string[] Fields = ["customer_email", "customer_name", "whatsapp_number"];

    /// <summary>No field given (<c>{}</c>): nothing to change, nothing is written.</summary>
    public bool IsEmpty => CustomerEmail is null && CustomerName is null && !SetsWhatsAppNumber;

    public static (CustomerCalendarPatch? Patch, Dictionary<string, string[]> Errors) Validate(JsonElement body)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = [ApiTexts.PatchBodyShape];
            return (null, errors);
        }
        // customer_id is the key of the stored tokens: saying so beats "unknown field".
        var fields = Fields.Append("customer_id").ToArray();
        var values = ConnectRequest.ReadStringFields(body, fields, nullable: ["customer_email", "customer_name", "whatsapp_number", "customer_id"],
            ApiTexts.PatchUnknownField, errors, out var seen);
        if (seen.Contains("customer_id") && !errors.ContainsKey("customer_id")) errors["customer_id"] = [ApiTexts.PatchIdImmutable];

        string? email = null, name = null, whatsApp = null;
        if (values.TryGetValue("customer_email", out var typedEmail))
        {
            email = typedEmail?.Trim();
            if (email is null) errors["customer_email"] = [ApiTexts.CannotBeNull];
            else if (ConnectRequest.CustomerEmailError(email) is { } error) errors["customer_email"] = [error];
        }
        if (values.TryGetValue("customer_name", out var typedName))
        {
            name = typedName?.Trim();
            if (name is null) errors["customer_name"] = [ApiTexts.CannotBeNull];
            else if (ConnectRequest.CustomerNameError(name) is { } error) errors["customer_name"] = [error];
        }
        var setsWhatsApp = values.TryGetValue("whatsapp_number", out var typedWhatsApp);
        // RFC 7396: null clears. An empty string is refused rather than read as "clear", so the one way to remove
        // the number is the documented one (and a script's empty variable does not silently clear it).
        if (setsWhatsApp && typedWhatsApp is not null)
        {
            if (string.IsNullOrWhiteSpace(typedWhatsApp)) errors["whatsapp_number"] = [ApiTexts.WhatsAppUseNullToClear];
            else
            {
                (whatsApp, var error) = ConnectRequest.ReadWhatsAppNumber(typedWhatsApp.Trim());
                if (error is not null) errors["whatsapp_number"] = [error];
            }
        }
        return errors.Count == 0 ? (new CustomerCalendarPatch(email, name, setsWhatsApp, whatsApp), errors) : (null, errors);
    }
}

/// <summary>The documented shape of the PATCH body (what OpenAPI shows); every field is optional.</summary>
public sealed record CustomerCalendarPatchDocument(
    string? CustomerName, string? CustomerEmail, [property: JsonPropertyName("whatsapp_number")] string? WhatsAppNumber);
