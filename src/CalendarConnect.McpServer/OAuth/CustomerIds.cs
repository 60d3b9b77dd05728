using System.Text.RegularExpressions;

namespace CalendarConnect.McpServer.OAuth;

/// <summary>What a customer id and a customer email may look like, everywhere in the MCP server.</summary>
public static partial class CustomerIds
{
    public const int MaxLength = 64;

    /// <summary>Letters, digits, '.', '_' and '-', starting with a letter or digit: safe in URLs, headers, logs and SQL.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z")] // \z, not $: "$" also matches before a final newline
    private static partial Regex Pattern();

    public static bool IsValid(string? customerId) => customerId is not null && Pattern().IsMatch(customerId);

    /// <summary>The rule the backend applies too (<see cref="Shared.EmailAddressRule"/>), so it never saves an email refused here.</summary>
    public static bool IsValidEmail(string? email) => Shared.EmailAddressRule.IsValid(email);

    public const string Rule = "customer_id must be 1-64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit.";
}
