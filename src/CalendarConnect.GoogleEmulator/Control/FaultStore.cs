using CalendarConnect.GoogleEmulator.Calendar;
using CalendarConnect.GoogleEmulator.OAuth;

namespace CalendarConnect.GoogleEmulator.Control;

/// <summary>A planned failure: the next <see cref="Remaining"/> requests under the prefix answer <see cref="Status"/>.</summary>
public sealed record Fault(string PathPrefix, int Status, int Remaining);

/// <summary>Faults waiting to fire, first registered first.</summary>
public sealed class FaultStore
{
    public static readonly IReadOnlySet<int> SupportedStatuses = new HashSet<int> { 400, 401, 403, 404, 409, 410, 412, 429, 500, 502, 503 };

    private readonly Lock _gate = new();
    private readonly List<Fault> _faults = [];

    public void Add(Fault fault)
    {
        lock (_gate) _faults.Add(fault);
    }

    /// <summary>Consumes one use of the first fault that matches the path, if any.</summary>
    public int? TakeStatusFor(string path)
    {
        lock (_gate)
        {
            var index = _faults.FindIndex(f => path.StartsWith(f.PathPrefix, StringComparison.Ordinal));
            if (index < 0) return null;
            var fault = _faults[index];
            if (fault.Remaining <= 1) _faults.RemoveAt(index);
            else _faults[index] = fault with { Remaining = fault.Remaining - 1 };
            return fault.Status;
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

public sealed class FaultInjectionMiddleware(RequestDelegate next, FaultStore faults)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path.StartsWith("/emulator", StringComparison.Ordinal) || faults.TakeStatusFor(path) is not { } status)
        {
            await next(context);
            return;
        }
        IResult failure = IsOAuthPath(path) ? OAuthError.ForStatus(status) : ApiError.ForStatus(status);
        await failure.ExecuteAsync(context);
    }

    private static bool IsOAuthPath(string path) =>
        path.StartsWith("/token", StringComparison.Ordinal) || path.StartsWith("/revoke", StringComparison.Ordinal)
        || path.StartsWith("/o/oauth2", StringComparison.Ordinal);
}
