using System.Globalization;

namespace CalendarConnect.Benchmark;

/// <summary>The sections a run can be limited to with <c>--only</c>.</summary>
public enum Section
{
    Reads,
    Booking,
    Faults,
    Admin,
}

/// <summary>
/// What one run measures and for how long. The default run takes about ten minutes on 2 cores; <c>--quick</c> about
/// three (shorter load runs, fewer callers, lower caps, fewer companies for the admin list).
/// </summary>
public sealed record BenchmarkOptions
{
    public IReadOnlySet<Section> Sections { get; init; } = new HashSet<Section>(Enum.GetValues<Section>());
    public bool Quick { get; init; }

    /// <summary>Length of one load run (one tool, one concurrency, one latency).</summary>
    public TimeSpan RunDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Load before the first measured run of each tool, so the JIT and the connection pools are warm.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(4);

    public IReadOnlyList<int> Concurrencies { get; init; } = [1, 50, 100];

    /// <summary>Emulator latencies (ms) the read and booking rows are measured at; jitter is a third of each.</summary>
    public IReadOnlyList<int> LatenciesMs { get; init; } = [0, 150];

    /// <summary>How long a fault scenario waits for its calls before it reports them as unanswered.</summary>
    public TimeSpan FaultCap { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the freshness probe waits for a new event to block its slot.</summary>
    public TimeSpan FreshnessCap { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Companies in the admin list's large measurement (the small one is always 10).</summary>
    public int AdminCompanies { get; init; } = 10_000;

    /// <summary>Npgsql connection string of a role that may CREATE DATABASE; null = SQLite files in a temp folder.</summary>
    public string? Postgres { get; init; }

    /// <summary>Where the Markdown results and the services' logs go; null = benchmark-results/&lt;time&gt; in the repository.</summary>
    public string? OutputDirectory { get; init; }

    public bool Help { get; init; }

    public const string Usage = """
        Usage: ./scripts/benchmark.sh [options]
          --quick                 a shorter run (about 3 minutes): 3 s load runs, 1 and 50 callers, lower caps
          --only SECTION[,...]    only these sections: reads, booking, faults, admin (repeatable)
          --duration SECONDS      length of each load run (default 10, --quick 3)
          --admin-companies N     companies in the admin list's large measurement (default 10000, --quick 2000)
          --postgres "CONN"       use fresh PostgreSQL databases (Npgsql connection string of a role that may
                                  CREATE DATABASE) instead of SQLite files
          --output DIR            where benchmark-results.md and the services' logs go
                                  (default benchmark-results/<date-time> in the repository)
          -h, --help              this text
        """;

    /// <summary>Reads the command line; an unknown or malformed option is an error that names it.</summary>
    public static (BenchmarkOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var quick = args.Contains("--quick");
        var options = quick ? QuickDefaults() : new BenchmarkOptions();
        HashSet<Section>? only = null;
        int? adminCompanies = null;
        TimeSpan? duration = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? Value()
            {
                if (arg.Contains('=')) return arg[(arg.IndexOf('=') + 1)..];
                return i + 1 < args.Count ? args[++i] : null;
            }
            var name = arg.Contains('=') ? arg[..arg.IndexOf('=')] : arg;
            switch (name)
            {
                case "--quick":
                    break;
                case "-h" or "--help":
                    options = options with { Help = true };
                    break;
                case "--only":
                    if (Value() is not { Length: > 0 } list) return (null, "--only needs a section: reads, booking, faults or admin.");
                    only ??= [];
                    foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!Enum.TryParse<Section>(part, ignoreCase: true, out var section) || !Enum.IsDefined(section) || part.All(char.IsAsciiDigit))
                            return (null, $"--only: unknown section '{part}'; use reads, booking, faults or admin.");
                        only.Add(section);
                    }
                    break;
                case "--duration":
                    if (!double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 600)
                        return (null, "--duration needs a number of seconds from 1 to 600.");
                    duration = TimeSpan.FromSeconds(seconds);
                    break;
                case "--admin-companies":
                    if (!int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var companies) || companies is < 20 or > 100_000)
                        return (null, "--admin-companies needs a whole number from 20 to 100000.");
                    adminCompanies = companies;
                    break;
                case "--postgres":
                    if (Value() is not { Length: > 0 } connection) return (null, "--postgres needs an Npgsql connection string.");
                    options = options with { Postgres = connection };
                    break;
                case "--output":
                    if (Value() is not { Length: > 0 } directory) return (null, "--output needs a folder.");
                    options = options with { OutputDirectory = directory };
                    break;
                default:
                    return (null, $"Unknown option '{arg}'.");
            }
        }

        if (only is not null) options = options with { Sections = only };
        if (duration is { } d) options = options with { RunDuration = d, WarmUp = d < options.WarmUp ? d : options.WarmUp };
        if (adminCompanies is { } n) options = options with { AdminCompanies = n };
        return (options, null);
    }

    /// <summary>The command line as it may be printed: the PostgreSQL connection string (it may hold a password) left out.</summary>
    public static string Describe(IReadOnlyList<string> args)
    {
        var shown = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--postgres")
            {
                shown.Add("--postgres <connection string>");
                i++;
            }
            else if (args[i].StartsWith("--postgres=", StringComparison.Ordinal)) shown.Add("--postgres=<connection string>");
            else shown.Add(args[i]);
        }
        return string.Join(' ', shown);
    }

    private static BenchmarkOptions QuickDefaults() => new()
    {
        Quick = true,
        RunDuration = TimeSpan.FromSeconds(3),
        WarmUp = TimeSpan.FromSeconds(2),
        Concurrencies = [1, 50],
        FaultCap = TimeSpan.FromSeconds(20),
        FreshnessCap = TimeSpan.FromSeconds(20),
        AdminCompanies = 2_000,
    };
}
