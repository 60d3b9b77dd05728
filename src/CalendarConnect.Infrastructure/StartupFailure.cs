using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Infrastructure;

/// <summary>How a program words its start-up failure lines: a prefix for a setting that fails validation, one for any other failure.</summary>
public sealed record StartupFailureWording(string Configuration, string Startup)
{
    /// <summary>"Configuration error: …" and "Start-up error: …" (the MCP server, the emulator, the AppHost).</summary>
    public static readonly StartupFailureWording Standard = new("Configuration error: ", "Start-up error: ");

    /// <summary>"<paramref name="program"/> cannot start: …" for either kind (the backend).</summary>
    public static StartupFailureWording CannotStart(string program) => new($"{program} cannot start: ", $"{program} cannot start: ");
}

/// <summary>
/// Turns a start-up failure into one clear line per problem (no stack trace): a setting that fails validation, a
/// <see cref="StartupException"/>, a port already in use. Any other exception is a defect and is not described.
/// </summary>
public static partial class StartupFailure
{
    /// <summary>The lines that report <paramref name="e"/>, joined by new lines; null when it is not a start-up failure.</summary>
    public static string? Describe(Exception e, StartupFailureWording? wording = null) =>
        Problems(e, wording ?? StartupFailureWording.Standard) is { } lines
            ? string.Join(Environment.NewLine, lines.DistinctBy(p => p.About).Select(p => p.Line))
            : null;

    /// <summary>Runs the host <paramref name="build"/> makes until it stops: 0; a start-up failure is printed as its lines: 1.</summary>
    public static async Task<int> RunAsync(Func<WebApplication> build, StartupFailureWording? wording = null)
    {
        try
        {
            await build().RunAsync();
            return 0;
        }
        catch (Exception e) when (Describe(e, wording) is { } lines)
        {
            Console.Error.WriteLine(lines);
            return 1;
        }
    }

    /// <summary>
    /// Each problem with what it is about: the variable a setting's failure starts with (so several options classes
    /// reading one variable say its problem once), else the whole line.
    /// </summary>
    private static IReadOnlyList<(string About, string Line)>? Problems(Exception e, StartupFailureWording wording) => e switch
    {
        OptionsValidationException o => o.Failures.Select(f => (VariableNamed().Match(f) is { Success: true } v ? v.Value : f, wording.Configuration + f)).ToList(),
        StartupException s => [(s.Message, wording.Startup + s.Message)],
        AggregateException a when a.InnerExceptions.Select(i => Problems(i, wording)).ToList() is var inner && inner.All(p => p is not null) =>
            inner.SelectMany(p => p!).ToList(),
        IOException io when io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) => [(io.Message, wording.Startup + io.Message)],
        _ => null,
    };

    /// <summary>"MCP_API_KEY is not set…" → "MCP_API_KEY".</summary>
    [GeneratedRegex("^[A-Z][A-Z0-9_]+(?= )")]
    private static partial Regex VariableNamed();
}
