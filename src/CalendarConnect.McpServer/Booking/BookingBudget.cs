using CalendarConnect.McpServer.Mcp;

namespace CalendarConnect.McpServer.Booking;

/// <summary>
/// How long one booking change (book, reschedule, cancel) may take on this server, lease wait included: one budget,
/// inside the tool deadline every MCP call has (<see cref="ToolDeadline.Limit"/>), so the server always answers with
/// the booking's own outcome before a caller whose timeout is above the deadline stops listening. Documented for MCP
/// clients in README.md ("Booking guarantees for MCP clients").
/// </summary>
public static class BookingBudget
{
    /// <summary>Kept back from the tool deadline to record and send the answer after the work is cut.</summary>
    public static readonly TimeSpan AnswerReserve = TimeSpan.FromSeconds(1);

    /// <summary>The whole budget of one booking change, from its start: lease wait, Google calls and bookkeeping.</summary>
    public static readonly TimeSpan Total = ToolDeadline.Limit - AnswerReserve;

    /// <summary>
    /// The most of <see cref="Total"/> spent waiting for the lease; the rest is left for the work under it (a booking is
    /// a few Google round trips). A booking still in line after this is answered "busy, try again", with nothing done.
    /// </summary>
    public static readonly TimeSpan LeaseWait = Total * 0.45;
}
