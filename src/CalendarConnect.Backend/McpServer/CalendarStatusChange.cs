namespace CalendarConnect.Backend.McpServer;

/// <summary>One item of the status feed: the company's status as of the change numbered <see cref="Seq"/>.</summary>
public sealed record CalendarStatusChange(string CustomerId, string Status, long Seq);
