using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace CalendarConnect.McpServer.OAuth;

/// <summary>The body of POST /customers/{id}/account-attempt/accept, bound by the framework and checked by <see cref="Validate"/>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AcceptAccountRequest([property: JsonPropertyName("account_email")] string? AccountEmail) : IValidatableObject
{
    public const string BodyShape = "The body must be a JSON object: {\"account_email\": \"…\"}.";

    public static string UnknownField(string field) => "Unknown field: the body has only \"account_email\".";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!EmailAddressRule.IsValid(AccountEmail))
            yield return new("account_email must be the Google account of the company's attempt.", ["account_email"]);
    }
}
