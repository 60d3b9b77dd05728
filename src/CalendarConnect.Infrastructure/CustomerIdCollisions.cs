using CalendarConnect.Shared;
using System.Data.Common;
using Dapper;

namespace CalendarConnect.Infrastructure;

/// <summary>
/// Before the migration that lower-cases stored customer ids: two stored ids that differ only by case would become one
/// company, so start-up stops and names them instead of merging or dropping anything silently. Used by both services.
/// </summary>
public static class CustomerIdCollisions
{
    /// <summary>
    /// The groups of stored ids that differ only by case, across every table with a customer_id column (found in the
    /// schema, so tables added later are covered too): e.g. [["COMP-A", "comp-a"]]. Empty when there are none.
    /// </summary>
    public static async Task<IReadOnlyList<string[]>> FindAsync(DbConnection connection, bool sqlite, CancellationToken cancellationToken,
        DbTransaction? transaction = null)
    {
        var tables = (await connection.QueryAsync<string>(new CommandDefinition(sqlite
            ? "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = 'customer_id' ORDER BY m.name"
            : "SELECT table_name FROM information_schema.columns WHERE column_name = 'customer_id' AND table_schema = current_schema() ORDER BY table_name",
            transaction: transaction, cancellationToken: cancellationToken))).ToList();
        if (tables.Count == 0) return [];
        // Every stored id whose lower-case form is also that of an id with an upper-case letter.
        var ids = string.Join(" UNION ", tables.Select(t => $"SELECT DISTINCT customer_id AS id FROM {t}"));
        var rows = await connection.QueryAsync<string>(new CommandDefinition(
            $"SELECT id FROM ({ids}) AS stored WHERE lower(id) IN (SELECT lower(id) FROM ({ids}) AS upper_case WHERE id <> lower(id))",
            transaction: transaction, cancellationToken: cancellationToken));
        return rows.GroupBy(CustomerIdRule.Canonical, StringComparer.Ordinal)
            .Select(g => g.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray())
            .Where(g => g.Length > 1)
            .OrderBy(g => g[0], StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The start-up message for <paramref name="collisions"/>, naming each group and what to do.</summary>
    public static string Message(string variable, IReadOnlyList<string[]> collisions) =>
        $"{variable} holds companies whose ids differ only by case ({string.Join("; ", collisions.Select(g => string.Join(" and ", g)))}), " +
        "and customer ids are case-insensitive: decide which id is the company, remove the other's rows or give it another id " +
        "(in every table with a customer_id column), then start again. Nothing was changed.";
}
