using CalendarConnect.Benchmark.Reporting;

namespace CalendarConnect.Benchmark.Tests;

public sealed class ReportingTests
{
    [Fact]
    public void Text_tables_pad_each_column_to_its_widest_cell_with_figures_right_aligned()
    {
        var table = new Table("Reads", "tool", "calls/s");
        table.Add("echo", "13,000");
        table.Add("get_available_slots", "3,120");
        table.Note("10 s per row");

        Assert.Equal(
            """
            Reads
            tool                 calls/s
            -------------------  -------
            echo                  13,000
            get_available_slots    3,120
              10 s per row

            """.ReplaceLineEndings("\n"),
            table.ToText());
    }

    [Fact]
    public void Markdown_tables_escape_pipes_and_right_align_figures()
    {
        var table = new Table("Admin | list", "query", "p50");
        table.Add("q=a|b", "3.00 ms");

        Assert.Equal(
            """
            #### Admin | list

            | query | p50 |
            | --- | ---: |
            | q=a\|b | 3.00 ms |


            """.ReplaceLineEndings("\n"),
            table.ToMarkdown());
    }

    [Fact]
    public void A_row_must_fill_every_column()
    {
        var table = new Table("t", "a", "b");

        Assert.Throws<ArgumentException>(() => table.Add("only one"));
    }

    [Fact]
    public void A_table_without_columns_is_its_title_and_notes()
    {
        var table = new Table("Reads: not measured");
        table.Note("the MCP server did not start");

        Assert.Equal("Reads: not measured\n  the MCP server did not start\n", table.ToText());
    }

    [Theory]
    [InlineData(13456.7, "13,457")]
    [InlineData(42.25, "42.3")]
    [InlineData(6.666, "6.67")]
    public void Rates_keep_three_significant_figures_or_whole_numbers(double rate, string expected) =>
        Assert.Equal(expected, Figures.Rate(rate));

    [Theory]
    [InlineData(0.384, "0.38 ms")]
    [InlineData(12.34, "12.3 ms")]
    [InlineData(376.4, "376 ms")]
    [InlineData(33_000, "33.0 s")]
    public void Latencies_switch_to_seconds_past_one_second(double ms, string expected) => Assert.Equal(expected, Figures.Ms(ms));

    [Fact]
    public void Google_requests_per_thousand_calls()
    {
        Assert.Equal("1000", Figures.PerThousand(72_164, 72_164));
        Assert.Equal("4.5", Figures.PerThousand(9, 2_000));
        Assert.Equal(Figures.NotAvailable, Figures.PerThousand(3, 0));
    }

    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        var sorted = Enumerable.Range(1, 100).Select(i => (double)i).ToList();

        Assert.Equal(50, Figures.Percentile(sorted, 50));
        Assert.Equal(99, Figures.Percentile(sorted, 99));
        Assert.Equal(100, Figures.Percentile(sorted, 100));
        Assert.Equal(7, Figures.Percentile([7], 50));
    }

    [Fact]
    public void The_report_puts_the_machine_on_top_of_every_table()
    {
        var report = new Report(Report.MachineHeader("SQLite", "./scripts/benchmark.sh --quick"));
        var table = new Table("Reads", "tool");
        table.Add("echo");
        report.Add(table);

        var text = report.ToText();
        var markdown = report.ToMarkdown();

        Assert.StartsWith("CalendarConnect benchmark\n", text);
        Assert.Contains($"Machine: {Environment.ProcessorCount} cores", text);
        Assert.Contains("Databases: SQLite", text);
        Assert.True(text.IndexOf("Machine:", StringComparison.Ordinal) < text.IndexOf("Reads", StringComparison.Ordinal));
        Assert.Contains("#### Reads", markdown);
        Assert.Contains("Command: ./scripts/benchmark.sh --quick", markdown);
    }
}
