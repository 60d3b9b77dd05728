using CalendarConnect.GoogleEmulator.Calendar;
using CalendarConnect.GoogleEmulator.OAuth;

namespace CalendarConnect.GoogleEmulator.Control;

/// <summary>
/// A planned failure for the next <see cref="Remaining"/> requests under the prefix: answered with Google's error body
/// for <see cref="Status"/>, and/or only after <see cref="DelayMs"/>; or, with <see cref="Hang"/>, accepted and never
/// answered until the client gives up.
/// </summary>
public sealed record Fault(string PathPrefix, int? Status, int? DelayMs, bool Hang, int Remaining);

/// <summary>Faults waiting to fire, first registered first.</summary>
public sealed class FaultStore
{
    public static readonly IReadOnlySet<int> SupportedStatuses = new HashSet<int> { 400, 401, 403, 404, 409, 410, 412, 429, 500, 502, 503 };

    /// <summary>Ten minutes, like <see cref="GoogleLatency.MaxMs"/>; for longer, hang.</summary>
    public const int MaxDelayMs = GoogleLatency.MaxMs;

    private readonly Lock _gate = new();
    private readonly List<Fault> _faults = [];

    public void Add(Fault fault)
    {
        lock (_gate) _faults.Add(fault);
    }

    /// <summary>Consumes one use of the first fault that matches the path, if any.</summary>
    public Fault? TakeFor(string path)
    {
        lock (_gate)
        {
            var index = _faults.FindIndex(f => path.StartsWith(f.PathPrefix, StringComparison.Ordinal));
            if (index < 0) return null;
            var fault = _faults[index];
            if (fault.Remaining <= 1) _faults.RemoveAt(index);
            else _faults[index] = fault with { Remaining = fault.Remaining - 1 };
            return fault;
        }
    }

    public IReadOnlyList<Fault> Pending()
    {
        lock (_gate) return _faults.ToList();
    }

    public void Reset()
    {
        lock (_gate) _faults.Clear();
    }
}

public sealed class FaultInjectionMiddleware(RequestDelegate next, FaultStore faults, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!RequestLog.IsGoogle(path) || faults.TakeFor(path.Value ?? "") is not { } fault)
        {
            await next(context);
            return;
        }
        if (fault.Hang)
        {
            // Held until the client gives up or the emulator stops; either way the connection is aborted.
            await RequestHold.WaitAsync(context, Timeout.InfiniteTimeSpan, clock);
            return;
        }
        if (fault.DelayMs is { } delay && !await RequestHold.WaitAsync(context, TimeSpan.FromMilliseconds(delay), clock)) return;
        if (fault.Status is not { } status)
        {
            await next(context);
            return;
        }
        IResult failure = RequestLog.IsOAuth(path)
            ? OAuthError.ForStatus(status)
            : ApiError.ForStatus(status, syncRequest: context.Request.Query.ContainsKey("syncToken"));
        await failure.ExecuteAsync(context);
    }
}
