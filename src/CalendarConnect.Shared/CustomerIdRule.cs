using System.Text.RegularExpressions;

namespace CalendarConnect.Shared;

/// <summary>
/// What a customer (company) id may look like, in every service and fake (<c>empresa-abc-123</c>): 1–64 characters,
/// letters, digits, '.', '_' and '-', starting with a letter or digit. Safe in URLs, headers, logs and SQL, so no id
/// can smuggle a CR/LF or non-ASCII character into the <c>X-Customer-Id</c> header.
/// <para>Ids are case-insensitive and stored in their canonical form, lower-case (ASCII: the rule allows only ASCII
/// letters, so no culture can turn an id it refuses into one it accepts). Each service lower-cases every id at its
/// boundary, and a migration lower-cases the rows stored before (see <c>CustomerIdCollisions</c>).</para>
/// </summary>
public static partial class CustomerIdRule
{
    public const int MaxLength = 64;

    /// <summary>The rule in English, as the MCP server and the assistant state it (the backend says it in its own words, bilingual).</summary>
    public const string Description = "customer_id must be 1-64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit.";

    public static bool IsValid(string? customerId) => customerId is not null && Pattern().IsMatch(customerId);

    /// <summary>The canonical form of an id: A–Z lower-cased, anything else as it is ("COMP-A" → "comp-a").</summary>
    public static string Canonical(string id) =>
        id.AsSpan().IndexOfAnyInRange('A', 'Z') < 0 ? id : string.Create(id.Length, id, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++) span[i] = source[i] is >= 'A' and <= 'Z' ? (char)(source[i] + 32) : source[i];
        });

    // \z, not $: "$" also matches before a final newline. {0,63} after the first character: MaxLength in all.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
