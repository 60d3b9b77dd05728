using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using CalendarConnect.McpServer.Http;

namespace CalendarConnect.McpServer.McpKeys;

/// <summary>The optional body of POST /customers/{id}/mcp-keys, bound by the framework and checked by <see cref="Validate"/>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record IssueMcpKeyRequest([property: JsonPropertyName("label")] string? Label) : IValidatableObject
{
    public const int MaxLabelLength = 100;

    public const string BodyShape = "The body must be a JSON object such as {\"label\": \"Claude Desktop\"}.";

    public static string UnknownField(string field) => "Unknown field: the body has only \"label\".";

    /// <summary>The label as stored: trimmed, or null when there is none.</summary>
    public string? StoredLabel() => string.IsNullOrWhiteSpace(Label) ? null : Label.Trim();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Label is null) yield break;
        if (FreeText.Problem("label", Label) is { } problem) yield return new(problem, ["label"]);
        else if (Label.Length > MaxLabelLength) yield return new($"At most {MaxLabelLength} characters, no control characters.", ["label"]);
    }
}
