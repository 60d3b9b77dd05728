using System.Reflection;
using System.Text.RegularExpressions;
using CalendarConnect.Testing;
using Microsoft.Extensions.Configuration;

namespace CalendarConnect.Configuration.Tests;

/// <summary>
/// Every configuration variable name the services read, with where it is read: the <see cref="ConfigurationKeyNameAttribute"/>
/// of the services' options classes (by reflection) and, for what is still read by hand, a scan of <c>src/</c>.
/// </summary>
public static partial class ConfigurationVariables
{
    /// <summary>The assemblies whose options classes are bound by attribute (the Assistant comes with the Backend).</summary>
    private static readonly Assembly[] Services =
    [
        typeof(McpServer.Configuration.McpServerSettings).Assembly,
        typeof(Backend.Storage.CustomerDatabase).Assembly,
        typeof(Assistant.Llm.LlmOptions).Assembly,
        typeof(GoogleEmulator.EmulatorDefaults).Assembly,
        typeof(Infrastructure.DataDirectory).Assembly,
        typeof(Shared.ServiceKeyRule).Assembly,
    ];

    public static IReadOnlyDictionary<string, string> Read()
    {
        var found = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, where) in FromAttributes().Concat(FromSource()))
            found.TryAdd(name, where);
        return found;
    }

    /// <summary>Every variable with the projects that read it (<c>McpServer</c>, <c>Backend</c>, <c>Assistant</c>, …).</summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> ReadByProject()
    {
        var found = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (name, where) in FromAttributes().Concat(FromSource()))
        {
            var project = ProjectOf().Match(where);
            if (!project.Success) throw new InvalidOperationException($"{name} is read in {where}, outside a CalendarConnect project.");
            if (!found.TryGetValue(name, out var projects)) found[name] = projects = new SortedSet<string>(StringComparer.Ordinal);
            projects.Add(project.Groups["project"].Value);
        }

        return found.ToDictionary(e => e.Key, e => (IReadOnlySet<string>)e.Value, StringComparer.Ordinal);
    }

    /// <summary>The project in a place: a type's full name (<c>CalendarConnect.Backend.…</c>) or a path (<c>src/CalendarConnect.Backend/…</c>).</summary>
    [GeneratedRegex(@"CalendarConnect\.(?<project>[A-Za-z]+)")]
    private static partial Regex ProjectOf();

    private static IEnumerable<(string Name, string Where)> FromAttributes() =>
        from assembly in Services
        from type in assembly.GetTypes()
        from property in type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let key = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()
        where key is not null
        select (key.Name, $"{type.FullName}.{property.Name}");

    private static IEnumerable<(string Name, string Where)> FromSource() =>
        from file in SourceFiles()
        from Match match in DirectRead().Matches(File.ReadAllText(Path.Combine(RepositoryPaths.Root, file)))
        select (match.Groups["name"].Value, file);

    /// <summary>
    /// Where a service (not the AppHost, which composes the in-process services' settings from the environment before
    /// they exist) reads configuration by hand rather than through its settings class: an indexer, <c>GetValue</c> or
    /// <c>GetSection</c> on configuration, or an environment read. ASP.NET Core's own <c>urls</c> is not a variable of ours.
    /// </summary>
    public static IReadOnlyList<string> HandReadsOutsideTheAppHost() =>
        (from file in SourceFiles()
         where !file.StartsWith("src/CalendarConnect.AppHost/", StringComparison.Ordinal)
         from Match match in HandRead().Matches(File.ReadAllText(Path.Combine(RepositoryPaths.Root, file)))
         select $"{file}: {match.Value}").ToList();

    /// <summary>The C# files of <c>src/</c>, relative to the repository root with '/' separators.</summary>
    private static IEnumerable<string> SourceFiles() =>
        from file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
        let relative = Path.GetRelativePath(RepositoryPaths.Root, file).Replace('\\', '/')
        where !relative.Contains("/obj/") && !relative.Contains("/bin/")
        select relative;

    [GeneratedRegex("""
        \b\w*(?:[cC]onfiguration|[cC]onfig)\s*(?:\[(?!\s*"(?:urls|http_ports|https_ports)"\s*\])[^\]]*\]|\.(?:GetValue|GetSection)\b[^;]*)
          |GetEnvironmentVariable\([^)]*\)
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex HandRead();

    /// <summary>
    /// A variable read by hand: a constant named for it (<c>const string Variable = "DATA_DIR"</c>, <c>…Key</c>,
    /// <c>…Setting</c>), an indexer or <c>GetValue</c> on configuration, an environment read, a settings class of a
    /// project the reflection above does not load (the AppHost's <c>[ConfigurationKeyName("…")]</c>), and the settings
    /// the AppHost hands a service (<c>mcpSettings["…"] = …</c>).
    /// </summary>
    [GeneratedRegex("""
        (?:const\s+string\s+\w*(?:Variable|Key|Setting)\s*=\s*
          |(?:onfiguration|\bc|Settings|settings)\[\s*
          |GetValue(?:<[^>(]+>)?\(\s*
          |GetEnvironmentVariable\(\s*
          |ConfigurationKeyName\(\s*
        )"(?<name>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex DirectRead();

    /// <summary>The variable names in README's Settings table (the first cell of each row, in backticks).</summary>
    public static IReadOnlySet<string> Documented()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "README.md"));
        var start = Array.IndexOf(readme, "## Settings");
        if (start < 0) throw new InvalidOperationException("README.md has no '## Settings' section.");
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in readme.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)))
        {
            if (!line.StartsWith("| `", StringComparison.Ordinal)) continue;
            var firstCell = line.Split('|')[1];
            foreach (Match match in BacktickedName().Matches(firstCell)) names.Add(match.Groups["name"].Value);
        }

        return names;
    }

    [GeneratedRegex("`(?<name>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`")]
    private static partial Regex BacktickedName();
}
