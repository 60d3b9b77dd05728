using CalendarConnect.Infrastructure.Leases;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.McpServer.Storage;

namespace CalendarConnect.McpServer.Connections;

/// <summary>
/// A short database lease per customer (<see cref="DatabaseLeases"/>), so that across replicas (and processes on one SQLite file) at most one
/// refresh of a customer's token is in flight. A lease expires by itself, so a crashed holder blocks nobody for long.
/// </summary>
public sealed class RefreshLeases(TokenDatabase database, TimeProvider time)
{
    /// <summary>Longer than a refresh's whole budget; short enough that a crashed holder is soon replaced.</summary>
    public static readonly TimeSpan Duration = TokenRefresher.RefreshBudget + TimeSpan.FromSeconds(20);

    private readonly string _holder = LeaseHolder.NewIdentity();

    private readonly DatabaseLeases _leases = new(new LeaseTable("refresh_leases", "customer_id", Duration), database.OpenAsync, time);

    public Task<bool> TryAcquireAsync(string customerId, CancellationToken cancellationToken) =>
        _leases.TryAcquireAsync(customerId, _holder, cancellationToken);

    /// <summary>Waits while another holder's lease on this customer is live (its refresh is running), polling the database.</summary>
    public async Task WaitForOthersAsync(string customerId, WaitClock clock, CancellationToken cancellationToken)
    {
        while (await _leases.IsHeldByAnotherAsync(customerId, _holder, cancellationToken))
        {
            // A refresh takes a few hundred milliseconds; jitter keeps waiting replicas from polling in lockstep.
            await clock.Delay(TimeSpan.FromMilliseconds(50 + Random.Shared.Next(50)), cancellationToken);
        }
    }

    public Task ReleaseAsync(string customerId) => _leases.ReleaseAsync(customerId, _holder);
}
