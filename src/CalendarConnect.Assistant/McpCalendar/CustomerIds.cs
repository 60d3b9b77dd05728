using System.Text.RegularExpressions;
using CalendarConnect.Shared;

namespace CalendarConnect.Assistant.McpCalendar;

/// <summary>
/// What a customer (company) id may look like: the same rule as the backend and the MCP server
/// (<c>empresa-abc-123</c>), so an id they would refuse is refused here before any call, and no id can smuggle
/// a CR/LF or non-ASCII character into the <c>X-Customer-Id</c> header. Ids are case-insensitive: the assistant's
/// entry points (<see cref="BookingAssistant"/>, the LLM engine, the adapter's sessions) work with the canonical,
/// lower-case form that <see cref="Validate"/> returns.
/// </summary>
public static partial class CustomerIds
{
    public const string Rule = "customer_id must be 1-64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit.";

    public static bool IsValid(string? customerId) => customerId is not null && Pattern().IsMatch(customerId);

    /// <summary>Ids are case-insensitive: "COMP-A" → "comp-a", the one form stored and sent.</summary>
    public static string Canonical(string customerId) => CustomerIdCase.Canonical(customerId);

    /// <returns>The id's canonical form (<see cref="Canonical"/>).</returns>
    /// <exception cref="ArgumentException">The id does not follow <see cref="Rule"/>.</exception>
    public static string Validate(string? customerId) =>
        IsValid(customerId) ? Canonical(customerId!) : throw new ArgumentException(Rule, nameof(customerId));

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
