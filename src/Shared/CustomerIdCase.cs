using System.Data.Common;
using Dapper;

namespace CalendarConnect.Shared;

/// <summary>
/// Customer ids are case-insensitive and stored in their canonical form, lower-case (ASCII: the id rule allows only
/// ASCII letters, so no culture can turn an id it refuses into one it accepts). Each service lower-cases every id at
/// its boundary; a migration lower-cases the rows stored before. Two stored ids that differ only by case would then
/// become one company, so start-up stops and names them instead of merging or dropping anything silently.
/// Linked into both services.
/// </summary>
internal static class CustomerIdCase
{
    /// <summary>The canonical form of an id: A–Z lower-cased, anything else as it is.</summary>
    public static string Canonical(string id) =>
        id.AsSpan().IndexOfAnyInRange('A', 'Z') < 0 ? id : string.Create(id.Length, id, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = source[i] is >= 'A' and <= 'Z' ? (char)(source[i] + 32) : source[i];
        });

    /// <summary>
    /// The groups of stored ids that differ only by case, across every table with a customer_id column (found in the
    /// schema, so tables added later are covered too): e.g. [["COMP-A", "comp-a"]]. Empty when there are none.
    /// </summary>
    public static async Task<IReadOnlyList<string[]>> FindCollisionsAsync(DbConnection connection, bool sqlite, CancellationToken cancellationToken)
    {
        var tables = (await connection.QueryAsync<string>(new CommandDefinition(sqlite
            ? "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = 'customer_id' ORDER BY m.name"
            : "SELECT table_name FROM information_schema.columns WHERE column_name = 'customer_id' AND table_schema = current_schema() ORDER BY table_name",
            cancellationToken: cancellationToken))).ToList();
        if (tables.Count == 0) return [];
        // Only ids with an upper-case letter can collide with another; each table's rows are read once.
        var ids = string.Join(" UNION ", tables.Select(t => $"SELECT DISTINCT customer_id AS id FROM {t}"));
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT id FROM ({ids}) AS stored WHERE lower(id) IN (SELECT lower(id) FROM ({ids}) AS upper_case WHERE id <> lower(id))",
            cancellationToken: cancellationToken));
        return rows.GroupBy(Canonical, StringComparer.Ordinal)
            .Select(g => g.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray())
            .Where(g => g.Length > 1)
            .OrderBy(g => g[0], StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The start-up message for <paramref name="collisions"/>, naming each group and what to do.</summary>
    public static string CollisionMessage(string variable, IReadOnlyList<string[]> collisions) =>
        $"{variable} holds companies whose ids differ only by case ({string.Join("; ", collisions.Select(g => string.Join(" and ", g)))}), " +
        "and customer ids are case-insensitive: decide which id is the company, remove the other's rows or give it another id " +
        "(in every table with a customer_id column), then start again. Nothing was changed.";
}
