using System.Text.RegularExpressions;
using CalendarConnect.Testing;
using YamlDotNet.RepresentationModel;

namespace CalendarConnect.Configuration.Tests;

/// <summary>
/// compose.yaml, deploy/Dockerfile and deploy/haproxy.cfg as the deployment reads them, for checks that need no Docker
/// daemon: which services exist, what each is given, how they are built, where the balancer sends requests.
/// </summary>
public static partial class DeploymentFiles
{
    /// <summary>The compose services that run our apps, with the assembly each image runs.</summary>
    public static readonly IReadOnlyDictionary<string, string> AppServices = new Dictionary<string, string>
    {
        ["mcp-server"] = "CalendarConnect.McpServer",
        ["backend"] = "CalendarConnect.Backend",
        ["google-emulator"] = "CalendarConnect.GoogleEmulator",
    };

    public static YamlMappingNode Compose { get; } = Load("compose.yaml");

    public static string Dockerfile { get; } = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "Dockerfile"));

    public static string HaproxyConfig { get; } = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "haproxy.cfg"));

    public static YamlMappingNode Service(string name) =>
        (YamlMappingNode)((YamlMappingNode)Compose["services"])[name];

    public static IEnumerable<string> ServiceNames => ((YamlMappingNode)Compose["services"]).Children.Keys.Select(k => k.ToString());

    /// <summary>A service's environment as written (values still with their <c>${…}</c> references).</summary>
    public static IReadOnlyDictionary<string, string> Environment(string service) =>
        Service(service).Children.TryGetValue("environment", out var node) ? Entries((YamlMappingNode)node) : new Dictionary<string, string>();

    /// <summary>A mapping's entries with YAML merge keys (<c>&lt;&lt;: *anchor</c>) expanded; its own entries win.</summary>
    private static Dictionary<string, string> Entries(YamlMappingNode mapping)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, value) in mapping.Children.Where(e => e.Key.ToString() == "<<"))
            foreach (var (name, text) in Entries((YamlMappingNode)value)) entries[name] = text;
        foreach (var (key, value) in mapping.Children.Where(e => e.Key.ToString() != "<<"))
            entries[key.ToString()] = value.ToString();
        return entries;
    }

    /// <summary>
    /// Compose's interpolation: <c>${NAME}</c>, <c>${NAME:-default}</c>, <c>${NAME:?error}</c>, nested defaults included.
    /// A required variable missing from <paramref name="values"/> fails, as <c>docker compose</c> would.
    /// </summary>
    public static string Interpolate(string text, IReadOnlyDictionary<string, string> values)
    {
        var result = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$' || i + 1 >= text.Length || text[i + 1] != '{') { result.Append(text[i]); continue; }
            var end = ClosingBrace(text, i + 2);
            var inner = text[(i + 2)..end];
            var name = NameAtStart().Match(inner).Value;
            var rest = inner[name.Length..];
            values.TryGetValue(name, out var value);
            if (rest.StartsWith(":-", StringComparison.Ordinal))
                result.Append(string.IsNullOrEmpty(value) ? Interpolate(rest[2..], values) : value);
            else if (rest.StartsWith(":?", StringComparison.Ordinal))
                result.Append(!string.IsNullOrEmpty(value) ? value : throw new InvalidOperationException($"compose.yaml requires {name}: {rest[2..]}"));
            else if (rest.Length == 0)
                result.Append(value ?? "");
            else
                throw new FormatException($"Unsupported interpolation ${{{inner}}} in compose.yaml.");
            i = end;
        }

        return result.ToString();
    }

    /// <summary>Every variable compose.yaml requires with <c>${NAME:?…}</c>: what the env files must list.</summary>
    public static IReadOnlySet<string> RequiredVariables() =>
        RequiredReference().Matches(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "compose.yaml")))
            .Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>What an env file (<c>NAME=value</c> lines; <c>#</c> comments) sets, empty values included.</summary>
    public static Dictionary<string, string> EnvFile(string relativePath) =>
        File.ReadAllLines(Path.Combine(RepositoryPaths.Root, relativePath))
            .Where(l => l.Length > 0 && !l.StartsWith('#') && l.Contains('='))
            .ToDictionary(l => l[..l.IndexOf('=')].Trim(), l => l[(l.IndexOf('=') + 1)..], StringComparer.Ordinal);

    /// <summary>The <c>ENV</c> settings of the Dockerfile's runtime stage, which every service image inherits.</summary>
    public static IReadOnlyDictionary<string, string> RuntimeImageEnvironment()
    {
        var stage = Dockerfile[Dockerfile.IndexOf(" AS runtime", StringComparison.Ordinal)..];
        stage = stage[..stage.IndexOf("\nFROM ", StringComparison.Ordinal)];
        var env = EnvInstruction().Match(stage);
        return PairInEnv().Matches(env.Groups["pairs"].Value)
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value, StringComparer.Ordinal);
    }

    private static int ClosingBrace(string text, int from)
    {
        var depth = 1;
        for (var i = from; i < text.Length; i++)
        {
            if (text[i] == '{') depth++;
            else if (text[i] == '}' && --depth == 0) return i;
        }

        throw new FormatException($"Unclosed ${{ in '{text}'.");
    }

    private static YamlMappingNode Load(string relativePath)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryPaths.Root, relativePath));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex NameAtStart();

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*):\?")]
    private static partial Regex RequiredReference();

    [GeneratedRegex(@"^ENV\s+(?<pairs>(?:.*\\\r?\n)*.*)$", RegexOptions.Multiline)]
    private static partial Regex EnvInstruction();

    [GeneratedRegex(@"(?<name>[A-Z_][A-Z0-9_]*)=(?<value>\S+)")]
    private static partial Regex PairInEnv();
}
