using CalendarConnect.McpServer.Connections;
using CalendarConnect.McpServer.GoogleCalendar;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace CalendarConnect.McpServer.Mcp;

/// <summary>
/// A total deadline for every tools/call (an MCP request filter), so that no caller waits behind a slow or hung Google
/// longer than <see cref="Limit"/>: the tool's cancellation token fires, and an expired deadline is answered as a
/// tool result with <c>isError</c> and code <c>calendar_unavailable</c>, never as an exception.
/// <para>
/// Writes (book, cancel, reschedule) get the same deadline. Cutting one is safe because of how the booking code
/// writes: under the company's lease it records the appointment (pending) or the new time (hold) in its table before
/// it sends anything to Google, with an event id derived from the request, and each later step can be finished by a
/// retry with the same arguments (409 <c>duplicate</c>, the lookup by id) or by the resolution of stale rows; a
/// request cut while Google was answering is the "lost answer" case it already handles. The caller is told that the
/// change may or may not have been made and that repeating it is safe.
/// </para>
/// </summary>
public static class ToolDeadline
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public static readonly CalendarProblem ReadTooSlow = new(CalendarErrorCodes.CalendarUnavailable,
        "The company's calendar did not answer in time, so this could not be checked. Please try again in a few minutes.");

    public static readonly CalendarProblem WriteUnconfirmed = new(CalendarErrorCodes.CalendarUnavailable,
        "The company's calendar did not answer in time, so this change may or may not have been made. Please try again with the same " +
        "arguments (and the same idempotency_key for a booking): repeating it never books or changes anything twice.");

    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Apply(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            var services = context.Services!;
            using var deadline = services.GetRequiredService<WaitClock>().After(Limit);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                return await next(context, either.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                var tool = context.Params?.Name ?? "?";
                // A tool not marked read-only is told as a write: "may or may not have been made" is never false for a read.
                var write = context.MatchedPrimitive is not McpServerTool { ProtocolTool.Annotations.ReadOnlyHint: true };
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ToolDeadline).FullName!).LogWarning(
                    "Tool {Tool} for customer {CustomerId} passed its {Seconds} s deadline", tool,
                    services.GetRequiredService<CustomerContext>().Resolve().CustomerId ?? "-", (int)Limit.TotalSeconds);
                return ToolResults.Failure(write ? WriteUnconfirmed : ReadTooSlow);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The caller went away (closed the connection): nobody reads this answer, and it is no failure of ours to
                // log with a stack trace. A write it cut is settled like any lost answer (see above).
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ToolDeadline).FullName!)
                    .LogInformation("Tool {Tool}: the caller went away before the answer", context.Params?.Name ?? "?");
                return ToolResults.Failure(CallerGone);
            }
        };

    private static readonly CalendarProblem CallerGone = new(CalendarErrorCodes.CalendarUnavailable, "The request was cancelled by its caller.");
}
