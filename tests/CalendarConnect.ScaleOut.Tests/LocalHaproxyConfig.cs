using System.Globalization;
using System.Text.RegularExpressions;

namespace CalendarConnect.ScaleOut.Tests;

/// <summary>
/// deploy/haproxy.cfg as shipped, with only what names compose's network replaced by this machine's: Docker's DNS (the
/// resolvers section and the default-server's use of it) goes, each server-template becomes one server line per local
/// replica, and each frontend binds a free loopback port. Everything else — log format, retries, timeouts, health
/// checks — is the shipped file's, so the test runs the configuration operators run. A shipped file whose shape
/// changed fails here, by name, rather than being tested half-replaced.
/// </summary>
public static partial class LocalHaproxyConfig
{
    public static string ShippedPath => Path.Combine(CalendarConnect.Testing.RepositoryPaths.Root, "deploy", "haproxy.cfg");

    /// <param name="binds">Frontend name (mcp, admin) → the loopback port it listens on here.</param>
    /// <param name="servers">Backend name (mcp-servers, backends) → the replicas' addresses.</param>
    public static string From(string shipped, IReadOnlyDictionary<string, int> binds, IReadOnlyDictionary<string, IReadOnlyList<Uri>> servers)
    {
        var config = ReplaceOnce(shipped, ResolversSection(), "", "the 'resolvers docker' section");
        config = ReplaceOnce(config, DockerDns(), "", "'init-addr none resolvers docker' on the default-server line");
        foreach (var (frontend, port) in binds)
            config = ReplaceOnce(config, new Regex($@"(frontend {Regex.Escape(frontend)}\n\s+bind )\S+"),
                match => match.Groups[1].Value + "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture), $"the bind of frontend '{frontend}'");
        foreach (var (backend, replicas) in servers)
        {
            var template = new Regex($@"(backend {Regex.Escape(backend)}\n(?:[ \t]+.*\n)*?)([ \t]+)server-template (\S+) \d+ \S+( .*)?\n");
            config = ReplaceOnce(config, template, match =>
            {
                var indent = match.Groups[2].Value;
                var lines = replicas.Select((replica, i) =>
                    $"{indent}server {match.Groups[3].Value}{i + 1} 127.0.0.1:{replica.Port.ToString(CultureInfo.InvariantCulture)}{match.Groups[4].Value}\n");
                return match.Groups[1].Value + string.Concat(lines);
            }, $"the server-template of backend '{backend}'");
        }

        return config;
    }

    private static string ReplaceOnce(string config, Regex pattern, string replacement, string what) =>
        ReplaceOnce(config, pattern, _ => replacement, what);

    private static string ReplaceOnce(string config, Regex pattern, MatchEvaluator replacement, string what)
    {
        var matches = pattern.Matches(config).Count;
        if (matches != 1) throw new InvalidOperationException($"deploy/haproxy.cfg has {matches} of {what} (expected exactly one): update {nameof(LocalHaproxyConfig)}.");
        return pattern.Replace(config, replacement, 1);
    }

    [GeneratedRegex(@"^resolvers docker\n(?:[ \t]+.*\n)*\n?", RegexOptions.Multiline)]
    private static partial Regex ResolversSection();

    [GeneratedRegex(@" init-addr none resolvers docker(?=\n)")]
    private static partial Regex DockerDns();
}
