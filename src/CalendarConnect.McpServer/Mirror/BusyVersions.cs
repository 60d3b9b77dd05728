using System.Data.Common;
using CalendarConnect.McpServer.Storage;
using Dapper;

namespace CalendarConnect.McpServer.Mirror;

/// <summary>
/// A counter per company in <c>busy_versions</c>, raised by every change to what availability reads see (the mirror,
/// our appointments), in the same transaction as the change. Each replica's in-memory copy compares it once a second
/// to know when to reload; changes made in this process are announced at once through <see cref="Changed"/>.
/// </summary>
public sealed class BusyVersions(TokenDatabase database)
{
    /// <summary>Raised in this process after a change of the company's busy time was committed.</summary>
    public event Action<string>? ChangedHere;

    public async Task BumpAsync(DbConnection connection, DbTransaction? transaction, string customerId) =>
        // Same statement on both engines.
        await connection.ExecuteAsync(
            """
            INSERT INTO busy_versions (customer_id, version) VALUES (@customerId, 1)
            ON CONFLICT (customer_id) DO UPDATE SET version = busy_versions.version + 1
            """, new { customerId }, transaction);

    /// <summary>Call after the transaction that bumped the version committed.</summary>
    public void Changed(string customerId) => ChangedHere?.Invoke(customerId);

    /// <summary>The current versions of these companies (0 for one never changed).</summary>
    public async Task<IReadOnlyDictionary<string, long>> ReadAsync(IReadOnlyCollection<string> customerIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        if (customerIds.Count == 0) return result;
        await using var connection = await database.OpenAsync(cancellationToken);
        // One parameter per id, in chunks: portable across both engines.
        foreach (var chunk in customerIds.Chunk(500))
        {
            var parameters = new DynamicParameters();
            var names = new string[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                names[i] = "@id" + i;
                parameters.Add("id" + i, chunk[i]);
            }

            foreach (var (id, version) in await connection.QueryAsync<(string, long)>(
                         $"SELECT customer_id, version FROM busy_versions WHERE customer_id IN ({string.Join(", ", names)})", parameters))
                result[id] = version;
        }

        foreach (var id in customerIds) result.TryAdd(id, 0);
        return result;
    }
}
