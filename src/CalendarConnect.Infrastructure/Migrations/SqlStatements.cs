using System.Text.RegularExpressions;

namespace CalendarConnect.Infrastructure.Migrations;

/// <summary>A migration's statements, separated by ';'.</summary>
public static partial class SqlStatements
{
    /// <summary>
    /// Splits at each ';' that ends a statement, keeping whole the bodies that hold ';' themselves: a PostgreSQL
    /// dollar-quoted function body (<c>$$ … $$</c>) and a SQLite trigger's <c>BEGIN … END</c>.
    /// </summary>
    public static IReadOnlyList<string> Split(string script)
    {
        var statements = new List<string>();
        var start = 0;
        var inDollarQuote = false;
        for (var i = 0; i < script.Length; i++)
        {
            if (script[i] == '$' && i + 1 < script.Length && script[i + 1] == '$')
            {
                inDollarQuote = !inDollarQuote;
                i++;
                continue;
            }
            if (script[i] != ';' || inDollarQuote) continue;
            var statement = script[start..i].Trim();
            if (OpenTrigger().IsMatch(statement) && !TriggerEnd().IsMatch(statement)) continue; // a ';' inside BEGIN … END
            if (statement.Length > 0) statements.Add(statement);
            start = i + 1;
        }
        var last = script[start..].Trim();
        if (last.Length > 0) statements.Add(last);
        return statements;
    }

    [GeneratedRegex(@"^CREATE\s+TRIGGER\b.*\bBEGIN\b", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex OpenTrigger();

    [GeneratedRegex(@"\bEND\z", RegexOptions.IgnoreCase)]
    private static partial Regex TriggerEnd();
}
