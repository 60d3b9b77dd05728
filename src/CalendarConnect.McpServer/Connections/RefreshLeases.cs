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
    public static readonly TimeSpan Duration = CalendarConnections.RefreshBudget + TimeSpan.FromSeconds(20);

    // One holder identity per server instance (two replicas in one test process are two instances).
    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

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

    public async Task ReleaseAsync(string customerId)
    {
        // Not cancellable: a lease must be given back even when the request that took it was cancelled.
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync("DELETE FROM refresh_leases WHERE customer_id = @customerId AND holder = @holder",
            new { customerId, holder = _holder });
    }
}
