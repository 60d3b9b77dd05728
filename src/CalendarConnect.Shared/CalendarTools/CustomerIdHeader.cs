namespace CalendarConnect.Shared;

/// <summary>
/// The HTTP header naming the company a calendar tool call works on (spec step 7.6). The assistant's adapter sets it,
/// never the model; the MCP server reads it.
/// </summary>
public static class CustomerIdHeader
{
    public const string Name = "X-Customer-Id";
}
