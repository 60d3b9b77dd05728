using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using CalendarConnect.Backend.Web;

namespace CalendarConnect.Backend.CustomerCalendars;

/// <summary>The body of POST /v1/customer-calendars/{customer_id}/account-attempt/accept.</summary>
/// <param name="AccountEmail">The other Google account the company signed in with, as shown in its account_attempt.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AcceptAccountRequest(string? AccountEmail) : IValidatableObject
{
    /// <summary>The account as compared and saved: without surrounding spaces.</summary>
    public string TrimmedEmail() => AccountEmail!.Trim();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AccountEmail is null) yield return ConnectRequest.Error("account_email", ApiTexts.Required);
        else if (ConnectRequest.CustomerEmailError(AccountEmail.Trim()) is { } error) yield return ConnectRequest.Error("account_email", error);
    }
}
