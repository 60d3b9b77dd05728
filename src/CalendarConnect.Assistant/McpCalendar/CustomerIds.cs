namespace CalendarConnect.Assistant.McpCalendar;

/// <summary>
/// Customer ids at the assistant's entry points (<see cref="BookingAssistant"/>, the LLM engine, the adapter's
/// sessions): an id the backend and the MCP server would refuse (<see cref="CustomerIdRule"/>) is refused here before
/// any call, and the rest of the assistant works with the canonical, lower-case form that <see cref="Validate"/> returns.
/// </summary>
public static class CustomerIds
{
    /// <returns>The id's canonical form (<see cref="CustomerIdRule.Canonical"/>).</returns>
    /// <exception cref="ArgumentException">The id does not follow <see cref="CustomerIdRule.Description"/>.</exception>
    public static string Validate(string? customerId) =>
        CustomerIdRule.IsValid(customerId) ? CustomerIdRule.Canonical(customerId!) : throw new ArgumentException(CustomerIdRule.Description, nameof(customerId));
}
