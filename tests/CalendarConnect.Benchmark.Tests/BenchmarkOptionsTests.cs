namespace CalendarConnect.Benchmark.Tests;

public sealed class BenchmarkOptionsTests
{
    [Fact]
    public void No_arguments_is_the_full_run_of_every_section()
    {
        var (options, error) = BenchmarkOptions.Parse([]);

        Assert.Null(error);
        Assert.Equal(Enum.GetValues<Section>(), options!.Sections.Order());
        Assert.False(options.Quick);
        Assert.Equal(TimeSpan.FromSeconds(10), options.RunDuration);
        Assert.Equal([1, 50, 100], options.Concurrencies);
        Assert.Equal([0, 150], options.LatenciesMs);
        Assert.Equal(10_000, options.AdminCompanies);
        Assert.Null(options.Postgres);
    }

    [Fact]
    public void Quick_is_shorter_in_every_dimension()
    {
        var full = BenchmarkOptions.Parse([]).Options!;
        var quick = BenchmarkOptions.Parse(["--quick"]).Options!;

        Assert.True(quick.Quick);
        Assert.True(quick.RunDuration < full.RunDuration);
        Assert.True(quick.WarmUp < full.WarmUp);
        Assert.True(quick.Concurrencies.Count < full.Concurrencies.Count);
        Assert.True(quick.FaultCap < full.FaultCap);
        Assert.True(quick.FreshnessCap < full.FreshnessCap);
        Assert.True(quick.AdminCompanies < full.AdminCompanies);
    }

    [Theory]
    [InlineData(new[] { "--only", "reads" }, new[] { Section.Reads })]
    [InlineData(new[] { "--only=Booking,faults" }, new[] { Section.Booking, Section.Faults })]
    [InlineData(new[] { "--only", "admin", "--only", "reads" }, new[] { Section.Reads, Section.Admin })]
    public void Only_limits_the_sections(string[] args, Section[] expected)
    {
        var (options, error) = BenchmarkOptions.Parse(args);

        Assert.Null(error);
        Assert.Equal(expected.Order(), options!.Sections.Order());
    }

    [Theory]
    [InlineData(new[] { "--only", "writes" }, "unknown section 'writes'")]
    [InlineData(new[] { "--only", "1" }, "unknown section '1'")]
    [InlineData(new[] { "--only" }, "--only needs a section")]
    [InlineData(new[] { "--duration", "0" }, "--duration needs a number of seconds")]
    [InlineData(new[] { "--duration", "ten" }, "--duration needs a number of seconds")]
    [InlineData(new[] { "--admin-companies", "5" }, "--admin-companies needs a whole number")]
    [InlineData(new[] { "--postgres" }, "--postgres needs an Npgsql connection string")]
    [InlineData(new[] { "--fast" }, "Unknown option '--fast'")]
    public void Mistakes_are_named(string[] args, string message)
    {
        var (options, error) = BenchmarkOptions.Parse(args);

        Assert.Null(options);
        Assert.Contains(message, error);
    }

    [Fact]
    public void Duration_and_companies_override_the_quick_defaults_and_a_short_run_shortens_the_warm_up()
    {
        var options = BenchmarkOptions.Parse(["--quick", "--duration", "1.5", "--admin-companies=500", "--output", "/tmp/x"]).Options!;

        Assert.Equal(TimeSpan.FromSeconds(1.5), options.RunDuration);
        Assert.Equal(TimeSpan.FromSeconds(1.5), options.WarmUp);
        Assert.Equal(500, options.AdminCompanies);
        Assert.Equal("/tmp/x", options.OutputDirectory);
    }

    [Fact]
    public void The_printed_command_line_leaves_the_postgres_connection_string_out()
    {
        const string connection = "Host=db;Username=u;Password=secret";
        Assert.Equal(connection, BenchmarkOptions.Parse(["--postgres", connection]).Options!.Postgres);

        var shown = BenchmarkOptions.Describe(["--quick", "--postgres", connection, "--postgres=" + connection]);

        Assert.DoesNotContain("secret", shown);
        Assert.Equal("--quick --postgres <connection string> --postgres=<connection string>", shown);
    }
}
