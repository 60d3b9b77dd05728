using System.Text;
using CalendarConnect.Infrastructure;
using Dapper;

namespace CalendarConnect.Backend.Storage;

/// <summary>What one page of the admin list asks customer_memory for.</summary>
/// <param name="FoldedText">The search text, folded like search_text (CustomerCalendarQuery.Fold); null: every company.</param>
/// <param name="PhoneDigits">The digits of a search that looks like a phone number, looked for in the WhatsApp number alone; else null.</param>
/// <param name="Status">Only the companies whose calendar_status (last known from the MCP server's feed) is this; null: any.</param>
public sealed record CustomerListFilter(string? FoldedText, string? PhoneDigits, string? Status, long Skip, int Take);

/// <summary>One page of companies, newest first, and how many match over all pages.</summary>
public sealed record CustomerPage(int Total, IReadOnlyList<CustomerRecord> Companies);

/// <summary>A search and filter whose total is kept in <see cref="SearchCounts"/>.</summary>
internal readonly record struct SearchCountKey(string FoldedText, string? PhoneDigits, string? Status);

/// <summary>
/// The totals of recent searches, each with the customer_list_version it was counted at: valid while the version is
/// the same (the triggers raise it at every change a search could see). Per process, at most a few hundred.
/// </summary>
internal sealed class SearchCounts
{
    private const int MaxEntries = 512;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<SearchCountKey, (long Version, int Total)> _counts = new();

    public long? Find(SearchCountKey key, long version) =>
        _counts.TryGetValue(key, out var kept) && kept.Version == version ? kept.Total : null;

    public void Keep(SearchCountKey key, long version, int total)
    {
        if (_counts.Count >= MaxEntries) _counts.Clear();
        _counts[key] = (version, total);
    }
}

/// <summary>
/// The statements behind <see cref="CustomerMemory.ListPageAsync"/>: the total and the page in one query, on either
/// engine. Without search the total is read from customer_status_counts and the page from the index in the list's
/// order, so neither grows with the number of companies. A search looks for the folded text in search_text. On
/// PostgreSQL that is a LIKE, which the pg_trgm GiST indexes serve when the server has the extension, the planner
/// choosing between them and reading the rows in order. On SQLite the FTS5 trigram table customer_search finds the
/// matches of a search of three characters or more; it is used when they are few (<see cref="TrigramIndexCap"/>), since
/// sorting many matches costs more than reading the rows in the list's order until the page is full.
/// </summary>
internal static class CustomerListSql
{
    private const string Columns = "c.customer_id, c.customer_email, c.customer_name, c.created_at, c.updated_at, c.whatsapp_number";

    /// <summary>FTS5's trigram index finds substrings of at least three characters; a shorter search reads every row.</summary>
    private const int TrigramLength = 3;

    /// <summary>Whether the SQLite trigram index can find this (folded) search text.</summary>
    public static bool TrigramIndexCanFind(string foldedText) => foldedText.EnumerateRunes().Count() >= TrigramLength;

    /// <summary>
    /// SQLite: below how many matches the trigram index is the cheaper way to a page. Through the index the matches
    /// are read and sorted (cost ~ matches); in the list's order the rows are read until the page is full (cost ~
    /// (skip + take) × companies / matches, at a tenth of the cost per row). They cost the same near the square root.
    /// </summary>
    public static long TrigramIndexCap(long skipAndTake, long companies) =>
        Math.Max(100, (long)Math.Sqrt(skipAndTake * (double)Math.Max(companies, 1) / 10));

    /// <param name="sqliteTrigramCap">
    /// SQLite: look the search up in customer_search, reading at most this many matches. The answer's found column
    /// says how many it read: at the cap there are too many for this way, and the caller asks again without.
    /// </param>
    /// <param name="knownTotal">The total when the caller knows it already.</param>
    public static (string Sql, DynamicParameters Parameters) Build(CustomerListFilter filter, DatabaseEngine engine,
        long? sqliteTrigramCap = null, long? knownTotal = null)
    {
        var parameters = new DynamicParameters();
        parameters.Add("skip", filter.Skip);
        parameters.Add("take", filter.Take);
        var with = "";
        var found = "NULL";
        var from = "customer_memory c";
        var conditions = new List<string>();
        if (filter.FoldedText is { } text)
        {
            if (engine == DatabaseEngine.Sqlite && sqliteTrigramCap is { } cap)
            {
                // The FTS table drives: only the rows it finds are read, counted and sorted.
                with = "WITH found AS MATERIALIZED (SELECT rowid AS search_key FROM customer_search WHERE customer_search MATCH @match LIMIT @cap) ";
                found = "(SELECT COUNT(*) FROM found)";
                from = "found JOIN customer_search_keys k ON k.search_key = found.search_key JOIN customer_memory c ON c.customer_id = k.customer_id";
                parameters.Add("match", FtsMatch(text, filter.PhoneDigits));
                parameters.Add("cap", cap);
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

        // Through the index: nothing is counted or sorted when it found too many (the caller asks the other way).
        if (with.Length > 0) conditions.Add("(SELECT COUNT(*) FROM found) < @cap");
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
            {with}SELECT {found} AS found, t.total, p.* FROM (SELECT ({total}) AS total) t
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
