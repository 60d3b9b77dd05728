namespace CalendarConnect.Assistant.McpCalendar;

/// <summary>What a customer id may look like, so it can travel safely as an HTTP header value.</summary>
public static class CustomerIds
{
    public const int MaxLength = 200;

    public static bool IsValid(string? customerId) =>
        !string.IsNullOrWhiteSpace(customerId)
        && customerId.Length <= MaxLength
        // Visible ASCII only: a CR/LF or non-ASCII character in a header is either rejected by HttpClient or,
        // worse, a header-injection attempt. Ids like "empresa-abc-123" or "+5491122334455" pass.
        && customerId.All(c => c is > ' ' and < '\u007f');

    /// <exception cref="ArgumentException">The id is empty, too long or has characters a header cannot carry.</exception>
    public static void Validate(string? customerId)
    {
        if (!IsValid(customerId))
            throw new ArgumentException(
                $"customer_id must be 1-{MaxLength} visible ASCII characters without spaces.", nameof(customerId));
    }
}
