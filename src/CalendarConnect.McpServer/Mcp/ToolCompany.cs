using CalendarConnect.McpServer.Availability;
using CalendarConnect.McpServer.Connections;

namespace CalendarConnect.McpServer.Mcp;

/// <summary>
/// The company a tools/call works on, for the tool to use: its customer id, resolved from <c>X-Customer-Id</c> by
/// <see cref="CompanyToolFilter"/> before the tool runs, and its scheduling context (zone, settings, slot rules), loaded
/// on first use so that a tool judges its own arguments first and a call with a bad argument costs no calendar read.
/// Scoped per request.
/// </summary>
public sealed class ToolCompany(CompanyAvailability availability)
{
    private string? _customerId;
    private SchedulingContext? _context;

    public string CustomerId =>
        _customerId ?? throw new InvalidOperationException($"No company was resolved for this call: tools run behind {nameof(CompanyToolFilter)}.");

    internal void Select(string customerId)
    {
        _customerId = customerId;
        _context = null; // another call's company is never this one's
    }

    /// <summary>
    /// The company's scheduling context. When it cannot be had (not connected, must reconnect, Google unreachable,
    /// invalid stored settings) this throws <see cref="CalendarProblemException"/>, which <see cref="CompanyToolFilter"/>
    /// answers as the tool's error result: the tool goes no further.
    /// </summary>
    public async Task<SchedulingContext> GetContextAsync(CancellationToken cancellationToken)
    {
        if (_context is not null) return _context;
        var (context, problem) = await availability.GetContextAsync(CustomerId, cancellationToken);
        return _context = context ?? throw new CalendarProblemException(problem!);
    }
}

/// <summary>A problem that ends a tool call as its error result (<see cref="CompanyToolFilter"/> answers it); never escapes a tool call.</summary>
public sealed class CalendarProblemException(CalendarProblem problem) : Exception(problem.Code)
{
    public CalendarProblem Problem { get; } = problem;
}
