namespace CalendarConnect.Backend.McpServer;

/// <summary>Per-company MCP key ids (<see cref="McpKeyIdRule"/>), with the admin's error text.</summary>
public static class McpKeyIds
{
    public static string? Error(string value) => McpKeyIdRule.IsValid(value)
        ? null
        : $"Debe empezar con {McpKeyIdRule.Prefix} seguido de 1 a {McpKeyIdRule.MaxLengthAfterPrefix} letras, números, guiones o guiones bajos.";
}
