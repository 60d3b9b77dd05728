using System.Text;
using Dapper;

namespace CalendarConnect.Backend.Storage;

/// <summary>What one page of the admin list asks customer_memory for.</summary>
/// <param name="FoldedText">The search text, folded like search_text (CustomerCalendarQuery.Fold); null: every company.</param>
/// <param name="PhoneDigits">The digits of a search that looks like a phone number, looked for in the WhatsApp number alone; else null.</param>
/// <param name="Status">Only the companies whose calendar_status (last known from the MCP server's feed) is this; null: any.</param>
public sealed record CustomerListFilter(string? FoldedText, string? PhoneDigits, string? Status, long Skip, int Take);

/// <summary>One page of companies, newest first, and how many match over all pages.</summary>
public sealed record CustomerPage(int Total, IReadOnlyList<CustomerRecord> Companies);

/// <summary>
/// The statements behind <see cref="CustomerMemory.ListPageAsync"/>: the total and the page in one query, on either
/// engine. Without search the total is read from customer_status_counts and the page from the index in the list's
/// order, so neither grows with the number of companies. A search looks for the folded text in search_text. On
/// PostgreSQL that is a LIKE, which the pg_trgm GIN indexes serve when the server has the extension, the planner
/// choosing between them and reading the rows in order. On SQLite the FTS5 trigram table customer_search finds the
/// matches of a search of three characters or more; it is used when they are few (<see cref="SqliteProbe"/>), since
/// sorting many matches costs more than reading the rows in the list's order and counting the ones that match.
/// </summary>
internal static class CustomerListSql
{
    private const string Columns = "c.customer_id, c.customer_email, c.customer_name, c.created_at, c.updated_at, c.whatsapp_number";

    /// <summary>FTS5's trigram index finds substrings of at least three characters; a shorter search reads every row.</summary>
    private const int TrigramLength = 3;

    /// <summary>Whether the SQLite trigram index can find this (folded) search text.</summary>
    public static bool TrigramIndexCanFind(string foldedText) => foldedText.EnumerateRunes().Count() >= TrigramLength;

    /// <summary>
    /// SQLite: how many companies the trigram index finds for the search, counted up to a cap of an eighth of all
    /// companies (at least 100), and the cap. Below the cap the matches are few enough to be read through the index.
    /// </summary>
    public static (string Sql, DynamicParameters Parameters) SqliteProbe(string foldedText, string? phoneDigits)
    {
        var parameters = new DynamicParameters();
        parameters.Add("match", FtsMatch(foldedText, phoneDigits));
        const string cap = "(SELECT MAX(100, COALESCE(SUM(companies), 0) / 8) FROM customer_status_counts)";
        return ($"""
            SELECT COUNT(*) AS found, {cap} AS cap
            FROM (SELECT rowid FROM customer_search WHERE customer_search MATCH @match LIMIT {cap});
            """, parameters);
    }

    /// <param name="sqliteTrigramIndex">SQLite: find the search through customer_search (see <see cref="SqliteProbe"/>).</param>
    /// <param name="knownTotal">The total when the caller knows it already (the probe counted every match).</param>
    public static (string Sql, DynamicParameters Parameters) Build(CustomerListFilter filter, DatabaseEngine engine,
        bool sqliteTrigramIndex = false, long? knownTotal = null)
    {
        var parameters = new DynamicParameters();
        parameters.Add("skip", filter.Skip);
        parameters.Add("take", filter.Take);
        var from = "customer_memory c";
        var conditions = new List<string>();
        if (filter.FoldedText is { } text)
        {
            if (engine == DatabaseEngine.Sqlite && sqliteTrigramIndex)
            {
                // The FTS table drives: only the rows it finds are read and sorted.
                from = "customer_search JOIN customer_search_keys k ON k.search_key = customer_search.rowid " +
                       "JOIN customer_memory c ON c.customer_id = k.customer_id";
                conditions.Add("customer_search MATCH @match");
                parameters.Add("match", FtsMatch(text, filter.PhoneDigits));
            }
            else if (engine == DatabaseEngine.Sqlite)
            {
                if (filter.PhoneDigits is { } digits)
                {
                    conditions.Add("(instr(c.search_text, @text) > 0 OR instr(c.whatsapp_number, @digits) > 0)");
                    parameters.Add("digits", digits);
                }
                else conditions.Add("instr(c.search_text, @text) > 0");
                parameters.Add("text", text);
            }
            else
            {
                parameters.Add("pattern", "%" + EscapeLike(text) + "%");
                if (filter.PhoneDigits is { } digits)
                {
                    conditions.Add("(c.search_text LIKE @pattern OR c.whatsapp_number LIKE @digits)");
                    parameters.Add("digits", "%" + digits + "%");
                }
                else conditions.Add("c.search_text LIKE @pattern");
            }
        }
        if (filter.Status is { } status)
        {
            conditions.Add("c.calendar_status = @status");
            parameters.Add("status", status);
        }

        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        if (knownTotal is { } known) parameters.Add("knownTotal", known);
        var total = knownTotal is not null ? "SELECT @knownTotal"
            : filter.FoldedText is not null ? $"SELECT COUNT(*) FROM {from} {where}"
            : filter.Status is null ? "SELECT CAST(COALESCE(SUM(companies), 0) AS BIGINT) FROM customer_status_counts"
            : "SELECT CAST(COALESCE(SUM(companies), 0) AS BIGINT) FROM customer_status_counts WHERE calendar_status = @status";
        // Newest first, then by id; PostgreSQL compares bytes as SQLite does, whatever the database's collation.
        var order = engine == DatabaseEngine.Sqlite
            ? "c.created_at DESC, c.customer_id"
            : "c.created_at COLLATE \"C\" DESC, c.customer_id COLLATE \"C\"";
        // The total's row always comes back; the page's columns are NULL past the last page.
        var sql = $"""
            SELECT t.total, p.* FROM (SELECT ({total}) AS total) t
            LEFT JOIN (SELECT {Columns} FROM {from} {where} ORDER BY {order} LIMIT @take OFFSET @skip) p ON 1 = 1;
            """;
        return (sql, parameters);
    }

    /// <summary>
    /// The FTS5 query: the text in search_text, or (a phone number) its digits in phone_digits, the WhatsApp number
    /// without its "+". Each is an FTS5 string, in double quotes with a double quote doubled, so operators in what the
    /// admin typed are only text.
    /// </summary>
    private static string FtsMatch(string foldedText, string? phoneDigits) =>
        "search_text : " + FtsString(foldedText) + (phoneDigits is null ? "" : " OR phone_digits : " + FtsString(phoneDigits));

    private static string FtsString(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The text as a LIKE pattern matches it literally (PostgreSQL's escape character is the backslash).</summary>
    private static string EscapeLike(string value)
    {
        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '\\' or '%' or '_') escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
