using CalendarConnect.McpServer.Connections;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace CalendarConnect.McpServer.Mcp;

/// <summary>
/// The last word on a tools/call that threw (an MCP request filter): every expected failure is already a tool result, so
/// an exception here is either the token database being unreachable (<see cref="IsDatabaseOutage"/>: answered
/// <see cref="DatabaseUnavailable"/>, one warning line) or a defect. A defect is logged once, as an error naming the tool
/// and the exception's type (never its message or stack trace, which may carry data), and the caller gets a clear tool
/// error instead of the SDK's. The SDK's own log lines are kept at Error and above (Program.cs), so this is where a
/// failing tool shows.
/// </summary>
public static class ToolFailures
{
    public static readonly CalendarProblem Unexpected = new(CalendarErrorCodes.CalendarUnavailable,
        "Something went wrong on the calendar server, so this could not be answered. If it was a change, it may or may not have been made: " +
        $"check with {ToolNames.ListAppointments} before trying again.");

    /// <summary>The answer while the token database cannot be reached: nothing can be read or booked, and saying so is enough.</summary>
    public static readonly CalendarProblem DatabaseUnavailable = new(CalendarErrorCodes.CalendarUnavailable,
        "The calendar server cannot reach its database right now, so this could not be answered. Please try again in a few minutes. " +
        $"If it was a change, check with {ToolNames.ListAppointments} before trying again.");

    /// <summary>
    /// A database that cannot be reached or read (refused or broken connection, timeout, a file that cannot be opened),
    /// as opposed to a query that fails (a defect). Npgsql marks the first kind transient; SQLite says so by its code.
    /// </summary>
    public static bool IsDatabaseOutage(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case Microsoft.Data.Sqlite.SqliteException sqlite when sqlite.SqliteErrorCode is SqliteCantOpen or SqliteIoError or SqliteNotADatabase
                    or SqlitePermission or SqliteReadOnly:
                case System.Data.Common.DbException { IsTransient: true }:
                case System.Net.Sockets.SocketException:
                case TimeoutException:
                case IOException when e is System.Data.Common.DbException:
                    return true;
            }
        }

        return false;
    }

    // SQLite result codes (https://sqlite.org/rescode.html) that mean the file cannot be used, not that a statement is wrong.
    private const int SqlitePermission = 3, SqliteReadOnly = 8, SqliteIoError = 10, SqliteCantOpen = 14, SqliteNotADatabase = 26;

    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Apply(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            try
            {
                return await next(context, cancellationToken);
            }
            catch (Exception e) when (IsDatabaseOutage(e))
            {
                // Not a defect: the database is down or unreachable. One warning line per call, no stack trace.
                context.Services!.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ToolFailures).FullName!)
                    .LogWarning("Tool {Tool}: the token database (TOKEN_DB) is unreachable ({Error})", context.Params?.Name ?? "?", e.GetType().Name);
                return ToolResults.Failure(DatabaseUnavailable);
            }
            // The SDK's own McpException (an unknown tool, arguments that do not bind) is the protocol's answer, not a defect.
            catch (Exception e) when (e is not (OperationCanceledException or ModelContextProtocol.McpException))
            {
                context.Services!.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ToolFailures).FullName!)
                    .LogError("Tool {Tool} failed unexpectedly ({Error})", context.Params?.Name ?? "?", e.GetType().Name);
                return ToolResults.Failure(Unexpected);
            }
        };
}
