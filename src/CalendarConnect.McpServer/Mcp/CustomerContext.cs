using CalendarConnect.McpServer.Connections;
using CalendarConnect.McpServer.OAuth;

namespace CalendarConnect.McpServer.Mcp;

/// <summary>
/// The company whose calendar a tool call works on, from the <c>X-Customer-Id</c> header (spec step 7.6).
/// Scoped per request; the assistant's adapter sets the header, never the model.
/// </summary>
public sealed class CustomerContext(IHttpContextAccessor accessor)
{
    /// <summary>The validated customer id, or the message to return as a tool error.</summary>
    public (string? CustomerId, CalendarProblem? Error) Resolve()
    {
        var values = accessor.HttpContext?.Request.Headers[CustomerIdHeader.Name] ?? default;
        if (values.Count == 0 || string.IsNullOrWhiteSpace(values[0]))
            return (null, new(CalendarErrorCodes.MissingCustomer, $"No company selected: send the '{CustomerIdHeader.Name}' header with the company's customer id to use calendar tools."));
        if (values.Count > 1) return (null, new(CalendarErrorCodes.InvalidCustomer, $"Send exactly one '{CustomerIdHeader.Name}' header."));
        var id = values[0]!.Trim();
        return CustomerIdRule.IsValid(id) ? (id, null) : (null, new(CalendarErrorCodes.InvalidCustomer, $"The '{CustomerIdHeader.Name}' header is not a valid customer id. {CustomerIdRule.Description}"));
    }
}
