using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using CalendarConnect.Backend.Web;

namespace CalendarConnect.Backend.CustomerCalendars;

/// <summary>
/// The body of PATCH /v1/customer-calendars/{customer_id}, JSON merge patch (RFC 7396): a field left out is kept,
/// a field given is replaced; whatsapp_number null clears it ("" is refused: send null). customer_name and
/// customer_email are required data, so null is refused for them. customer_id is not a field: it cannot change
/// (<see cref="UnknownField"/> says so).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CustomerCalendarPatch(
    MergePatchField CustomerEmail, MergePatchField CustomerName,
    [property: JsonPropertyName("whatsapp_number")] MergePatchField WhatsAppNumber) : IValidatableObject
{
    /// <summary>No field given (<c>{}</c>): nothing to change, nothing is written.</summary>
    public bool IsEmpty() => !CustomerEmail.IsGiven && !CustomerName.IsGiven && !WhatsAppNumber.IsGiven;

    /// <summary>The new email, trimmed, or null to keep it.</summary>
    public string? NewEmail() => CustomerEmail.Value?.Trim();

    /// <summary>The new name, trimmed, or null to keep it.</summary>
    public string? NewName() => CustomerName.Value?.Trim();

    /// <summary>With <c>WhatsAppNumber.IsGiven</c>: the new number in E.164, or null to clear it.</summary>
    public string? NewWhatsAppNumber() =>
        WhatsAppNumber.Value is { } typed ? ConnectRequest.ReadWhatsAppNumber(typed.Trim()).Number : null;

    /// <summary>customer_id is the key of the stored tokens: saying so beats "unknown field".</summary>
    public static string UnknownField(string field) => field == "customer_id" ? ApiTexts.PatchIdImmutable : ApiTexts.PatchUnknownField;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CustomerEmail.IsGiven)
        {
            if (CustomerEmail.Value is null) yield return ConnectRequest.Error("customer_email", ApiTexts.CannotBeNull);
            else if (ConnectRequest.CustomerEmailError(CustomerEmail.Value.Trim()) is { } error) yield return ConnectRequest.Error("customer_email", error);
        }
        if (CustomerName.IsGiven)
        {
            if (CustomerName.Value is null) yield return ConnectRequest.Error("customer_name", ApiTexts.CannotBeNull);
            else if (ConnectRequest.CustomerNameError(CustomerName.Value.Trim()) is { } error) yield return ConnectRequest.Error("customer_name", error);
        }
        // RFC 7396: null clears. An empty string is refused rather than read as "clear", so the one way to remove
        // the number is the documented one (and a script's empty variable does not silently clear it).
        if (WhatsAppNumber.Value is { } typed)
        {
            if (string.IsNullOrWhiteSpace(typed)) yield return ConnectRequest.Error("whatsapp_number", ApiTexts.WhatsAppUseNullToClear);
            else if (ConnectRequest.ReadWhatsAppNumber(typed.Trim()).Error is { } error) yield return ConnectRequest.Error("whatsapp_number", error);
        }
    }
}
