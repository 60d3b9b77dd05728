using System.Globalization;
using System.Text;

namespace CalendarConnect.Benchmark.Reporting;

/// <summary>One table of figures, printed as plain text on the console and as Markdown in the results file.</summary>
public sealed class Table(string title, params string[] columns)
{
    private readonly List<string[]> _rows = [];
    private readonly List<string> _notes = [];

    public string Title { get; } = title;
    public IReadOnlyList<string> Columns { get; } = columns;
    public IReadOnlyList<string[]> Rows => _rows;
    public IReadOnlyList<string> Notes => _notes;

    public void Add(params string[] cells)
    {
        if (cells.Length != Columns.Count) throw new ArgumentException($"{Title}: a row needs {Columns.Count} cells, got {cells.Length}.");
        _rows.Add(cells);
    }

    /// <summary>A line under the table: what was measured and how.</summary>
    public void Note(string note) => _notes.Add(note);

    /// <summary>Columns padded to their widest cell; the first column left-aligned, the figures right-aligned.</summary>
    public string ToText()
    {
        var widths = Columns.Select((c, i) => Math.Max(c.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        text.Append(Title).Append('\n');
        if (Columns.Count == 0)
        {
            foreach (var note in _notes) text.Append("  ").Append(note).Append('\n');
            return text.ToString();
        }
        string Line(IReadOnlyList<string> cells) =>
            string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();
        text.Append(Line(Columns)).Append('\n');
        text.Append(string.Join("  ", widths.Select(w => new string('-', w)))).Append('\n');
        foreach (var row in _rows) text.Append(Line(row)).Append('\n');
        foreach (var note in _notes) text.Append("  ").Append(note).Append('\n');
        return text.ToString();
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.Append("#### ").Append(Title).Append("\n\n");
        if (Columns.Count == 0)
        {
            foreach (var note in _notes) md.Append(Escape(note)).Append("  \n");
            return md.Append('\n').ToString();
        }
        md.Append("| ").AppendJoin(" | ", Columns.Select(Escape)).Append(" |\n");
        md.Append("|").AppendJoin("|", Columns.Select((_, i) => i == 0 ? " --- " : " ---: ")).Append("|\n");
        foreach (var row in _rows) md.Append("| ").AppendJoin(" | ", row.Select(Escape)).Append(" |\n");
        if (_notes.Count > 0) md.Append('\n');
        foreach (var note in _notes) md.Append(Escape(note)).Append("  \n");
        return md.Append('\n').ToString();
    }

    private static string Escape(string cell) => cell.Replace("|", "\\|");
}

/// <summary>How figures are written in the tables: invariant culture, few digits.</summary>
public static class Figures
{
    public const string NotAvailable = "n/a";

    public static string Rate(double perSecond) => perSecond switch
    {
        >= 100 => perSecond.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => perSecond.ToString("0.0", CultureInfo.InvariantCulture),
        _ => perSecond.ToString("0.00", CultureInfo.InvariantCulture),
    };

    public static string Ms(double ms) => ms switch
    {
        >= 1000 => (ms / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " s",
        >= 100 => ms.ToString("0", CultureInfo.InvariantCulture) + " ms",
        >= 10 => ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms",
        _ => ms.ToString("0.00", CultureInfo.InvariantCulture) + " ms",
    };

    public static string Seconds(TimeSpan time) => time.TotalSeconds.ToString(time.TotalSeconds >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture) + " s";

    public static string Ratio(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×";

    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Google requests per 1,000 calls.</summary>
    public static string PerThousand(long googleRequests, long calls) =>
        calls == 0 ? NotAvailable : (googleRequests * 1000.0 / calls).ToString(googleRequests * 1000.0 / calls >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture);

    /// <summary>The value at a percentile (0-100) of sorted samples, nearest rank.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percentile)
    {
        if (sorted.Count == 0) return double.NaN;
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
