using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.McpServer.Storage;
using CalendarConnect.McpServer.TokenVault;
using Dapper;

namespace CalendarConnect.McpServer.Connections;

/// <summary>
/// A short database lease per customer, so that across replicas (and processes on one SQLite file) at most one
/// refresh of a customer's token is in flight. A lease expires by itself, so a crashed holder blocks nobody for long.
/// </summary>
public sealed class RefreshLeases(TokenDatabase database, TimeProvider time)
{
    /// <summary>Longer than a refresh's whole budget; short enough that a crashed holder is soon replaced.</summary>
    public static readonly TimeSpan Duration = TokenRefresher.RefreshBudget + TimeSpan.FromSeconds(20);

    private readonly string _holder = LeaseHolder.NewIdentity();

    public async Task<bool> TryAcquireAsync(string customerId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        var holder = await connection.QuerySingleOrDefaultAsync<string>(
            """
            INSERT INTO refresh_leases (customer_id, holder, expires_at) VALUES (@customerId, @holder, @expiresAt)
            ON CONFLICT (customer_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE refresh_leases.expires_at < @now OR refresh_leases.holder = excluded.holder
            RETURNING holder
            """,
            new { customerId, holder = _holder, expiresAt = TokenStore.Format(now + Duration), now = TokenStore.Format(now) });
        return holder == _holder;
    }

    /// <summary>Waits while another holder's lease on this customer is live (its refresh is running), polling the database.</summary>
    public async Task WaitForOthersAsync(string customerId, WaitClock clock, CancellationToken cancellationToken)
    {
        while (true)
        {
            bool held;
            await using (var connection = await database.OpenAsync(cancellationToken))
                held = await connection.ExecuteScalarAsync<int>(
                    "SELECT COUNT(*) FROM refresh_leases WHERE customer_id = @customerId AND holder <> @holder AND expires_at >= @now",
                    new { customerId, holder = _holder, now = TokenStore.Format(time.GetUtcNow()) }) > 0;
            if (!held) return;
            // A refresh takes a few hundred milliseconds; jitter keeps waiting replicas from polling in lockstep.
            await clock.Delay(TimeSpan.FromMilliseconds(50 + Random.Shared.Next(50)), cancellationToken);
        }
    }

    public async Task ReleaseAsync(string customerId)
    {
        // Not cancellable: a lease must be given back even when the request that took it was cancelled.
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("DELETE FROM refresh_leases WHERE customer_id = @customerId AND holder = @holder",
            new { customerId, holder = _holder });
    }
}
