using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace CalendarConnect.McpServer.OAuth;

/// <summary>The body of POST /oauth/authorize, bound by the framework and checked by <see cref="Validate"/>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AuthorizeRequest(
    [property: JsonPropertyName("customer_id")] string? CustomerId,
    [property: JsonPropertyName("customer_email")] string? CustomerEmail) : IValidatableObject
{
    public const string BodyShape = "The body must be a JSON object: {\"customer_id\": \"…\", \"customer_email\": \"…\"}.";

    public static string UnknownField(string field) => "Unknown field: the body has only \"customer_id\" and \"customer_email\".";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!CustomerIdRule.IsValid(CustomerId)) yield return new(CustomerIdRule.Description, ["customer_id"]);
        if (CustomerEmail is not null && !EmailAddressRule.IsValid(CustomerEmail))
            yield return new("customer_email must be a valid email address.", ["customer_email"]);
    }
}
