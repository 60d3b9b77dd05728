namespace CalendarConnect.Shared;

/// <summary>A company's calendar connection, as the MCP server stores it and answers it (tools and REST) and the backend shows it.</summary>
public static class ConnectionStatus
{
    public const string NotConnected = "not_connected";
    public const string Connected = "connected";
    public const string NeedsReauthorization = "needs_reauthorization";
}
