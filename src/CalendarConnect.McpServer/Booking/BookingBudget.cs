using CalendarConnect.McpServer.Mcp;

namespace CalendarConnect.McpServer.Booking;

/// <summary>
/// How long one booking change (book, reschedule, cancel) may take on this server, lease wait included: one budget,
/// the tool deadline every MCP call has (<see cref="ToolDeadline.Limit"/>), which cuts the work and answers that the
/// change may or may not have been made. So the server always answers within it, and a caller whose timeout is above
/// it always learns the outcome. Documented for MCP clients in README.md ("Booking guarantees for MCP clients").
/// </summary>
public static class BookingBudget
{
    /// <summary>The whole budget of one booking change, from its start: lease wait, Google calls and bookkeeping.</summary>
    public static readonly TimeSpan Total = ToolDeadline.Limit;

    /// <summary>
    /// The most of <see cref="Total"/> spent waiting for the lease; the rest is left for the work under it (a booking is
    /// a few Google round trips). A booking still in line after this is answered "busy, try again", with nothing done.
    /// </summary>
    public static readonly TimeSpan LeaseWait = Total * 0.45;
}
