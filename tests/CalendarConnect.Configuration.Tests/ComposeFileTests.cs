using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using CalendarConnect.Testing;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace CalendarConnect.Configuration.Tests;

/// <summary>
/// compose.yaml, deploy/Dockerfile and deploy/haproxy.cfg agree with what the published apps read and where they listen
/// (no Docker daemon here: the files are parsed, and each app is started as its own process with the environment
/// compose would give it).
/// </summary>
public sealed partial class ComposeFileTests
{
    /// <summary>Variables read by the framework or the OpenTelemetry SDK rather than by our settings classes.</summary>
    private static readonly string[] FrameworkPrefixes = ["ASPNETCORE_", "DOTNET_", "OTEL_", "Logging__"];

    /// <summary>The projects whose variables each app reads (the assistant runs inside the backend).</summary>
    private static readonly Dictionary<string, string[]> ProjectsOf = new()
    {
        ["mcp-server"] = ["McpServer", "Infrastructure", "Shared"],
        ["backend"] = ["Backend", "Assistant", "Infrastructure", "Shared"],
        ["google-emulator"] = ["GoogleEmulator", "Infrastructure"],
    };

    public static TheoryData<string> AppServices => new(DeploymentFiles.AppServices.Keys);

    [Theory]
    [MemberData(nameof(AppServices))]
    public void Each_variable_a_service_is_given_is_one_its_app_reads(string service)
    {
        var read = ConfigurationVariables.ReadByProject();
        var unknown = DeploymentFiles.Environment(service).Keys
            .Where(name => !FrameworkPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
            .Where(name => !read.TryGetValue(name, out var projects) || !projects.Overlaps(ProjectsOf[service]))
            .ToList();
        Assert.True(unknown.Count == 0, $"compose.yaml gives {service} variables its app does not read: {string.Join(", ", unknown)}");
    }

    [Theory]
    [InlineData("deploy/production.env")]
    [InlineData("deploy/demo.env")]
    public void The_env_files_list_every_variable_compose_requires(string envFile)
    {
        var missing = DeploymentFiles.RequiredVariables().Except(DeploymentFiles.EnvFile(envFile).Keys).ToList();
        Assert.True(missing.Count == 0, $"{envFile} does not list {string.Join(", ", missing)}, which compose.yaml requires");
    }

    [Theory]
    [MemberData(nameof(AppServices))]
    public void Each_app_service_is_built_from_a_dockerfile_target_that_runs_its_app_as_a_non_root_user(string service)
    {
        var build = (YamlMappingNode)DeploymentFiles.Service(service)["build"];
        Assert.Equal("deploy/Dockerfile", build["dockerfile"].ToString());
        var target = build["target"].ToString();
        var stage = Regex.Match(DeploymentFiles.Dockerfile, $@"^FROM runtime AS {Regex.Escape(target)}\n(?<body>(?:(?!FROM ).*\n?)*)", RegexOptions.Multiline);
        Assert.True(stage.Success, $"deploy/Dockerfile has no stage '{target}' built on the runtime stage");
        Assert.Contains($"\"{DeploymentFiles.AppServices[service]}.dll\"", stage.Groups["body"].Value);
        Assert.Contains($"dotnet publish src/{DeploymentFiles.AppServices[service]} ", DeploymentFiles.Dockerfile);
        Assert.Matches(@"AS runtime\n(?:(?!FROM ).*\n)*USER \$APP_UID\n", DeploymentFiles.Dockerfile);
    }

    [Fact]
    public void The_balancer_sends_each_published_port_to_the_replicas_on_the_port_they_listen_on()
    {
        var appPort = DeploymentFiles.RuntimeImageEnvironment()["ASPNETCORE_HTTP_PORTS"];
        var published = ((YamlSequenceNode)DeploymentFiles.Service("loadbalancer")["ports"]).Select(p => p.ToString().Split(':')[^1]).ToList();
        foreach (var (frontend, backend, service) in new[] { ("mcp", "mcp-servers", "mcp-server"), ("admin", "backends", "backend") })
        {
            var bind = Regex.Match(DeploymentFiles.HaproxyConfig, $@"frontend {frontend}\n\s+bind :(?<port>\d+)\n(?:\s+.*\n)*?\s+default_backend {backend}\n");
            Assert.True(bind.Success, $"haproxy.cfg has no frontend '{frontend}' for {backend}");
            Assert.Contains(bind.Groups["port"].Value, published);
            Assert.Matches($@"backend {backend}\n(?:\s+.*\n)*?\s+server-template \S+ 2 {service}:{appPort} check", DeploymentFiles.HaproxyConfig);
        }

        // Readiness, not liveness, decides whether a replica gets requests (a replica whose database is gone gets none).
        Assert.Contains("option httpchk GET /readyz", DeploymentFiles.HaproxyConfig);
        var mcpFrontendPort = Regex.Match(DeploymentFiles.HaproxyConfig, @"frontend mcp\n\s+bind :(?<port>\d+)").Groups["port"].Value;
        Assert.All(["mcp-server", "backend"], s => Assert.Equal($"http://loadbalancer:{mcpFrontendPort}", DeploymentFiles.Environment(s)["MCP_SERVER_URL"]));
    }

    [Fact]
    public void Two_replicas_of_each_service_share_the_postgres_databases_and_the_emulator_is_a_demo_profile()
    {
        foreach (var service in new[] { "mcp-server", "backend" })
            Assert.Equal("2", ((YamlMappingNode)DeploymentFiles.Service(service)["deploy"])["replicas"].ToString());
        Assert.Equal("demo", ((YamlSequenceNode)DeploymentFiles.Service("google-emulator")["profiles"]).Single().ToString());
        Assert.DoesNotContain("profiles", DeploymentFiles.Service("mcp-server").Children.Keys.Select(k => k.ToString()));

        var postgres = DeploymentFiles.Environment("postgres");
        var init = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "postgres-init.sql"));
        var tokenDb = new NpgsqlConnectionStringBuilder(DeploymentFiles.Environment("mcp-server")["TOKEN_DB"]);
        var customerDb = new NpgsqlConnectionStringBuilder(DeploymentFiles.Environment("backend")["CUSTOMER_DB"]);
        Assert.Equal(("postgres", "postgres"), (tokenDb.Host, customerDb.Host));
        Assert.Equal(postgres["POSTGRES_DB"], tokenDb.Database);
        Assert.Contains($"CREATE DATABASE {customerDb.Database} ", init);
        Assert.NotEqual(tokenDb.Database, customerDb.Database);
    }

    [Theory]
    [MemberData(nameof(AppServices))]
    public async Task Each_app_starts_ready_from_the_environment_compose_gives_it_logs_json_and_stops_on_sigterm(string service)
    {
        await using var tokens = await TestDatabase.CreateAsync(Engines.PostgreSql);
        await using var customers = await TestDatabase.CreateAsync(Engines.PostgreSql);
        var data = Directory.CreateTempSubdirectory("cc-compose-").FullName;
        try
        {
            var environment = ComposeEnvironment(service, new Dictionary<string, string>
            {
                // What compose's network gives by name, here on this machine.
                ["TOKEN_DB"] = tokens.Location,
                ["CUSTOMER_DB"] = customers.Location,
                ["DATA_DIR"] = data,
                ["EMULATOR_STATE_FILE"] = Path.Combine(data, "emulator-state.json"),
            });

            // The emulator (a demo stand-in for Google) has no readiness probe; its control API answers once it is up.
            var readyPath = service == "google-emulator" ? "/emulator/latency" : "/readyz";
            await using var app = await RunningService.StartAsync(service, DeploymentFiles.AppServices[service], environment, data, readyPath);
            Assert.Equal(0, await app.StopAsync(TimeSpan.FromSeconds(60)));

            var lines = app.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.NotEmpty(lines);
            Assert.All(lines, line => JsonDocument.Parse(line).Dispose()); // one JSON object per line, nothing else
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>
    /// The environment compose gives <paramref name="service"/> from deploy/production.env with its secrets filled
    /// in, plus the image's own ENV; <paramref name="local"/> replaces what names compose's network (the postgres host,
    /// the /data volume), after checking the original points there.
    /// </summary>
    private static Dictionary<string, string?> ComposeEnvironment(string service, IReadOnlyDictionary<string, string> local)
    {
        var values = DeploymentFiles.EnvFile("deploy/production.env");
        values["POSTGRES_PASSWORD"] = "unused-here";
        values["TOKEN_ENCRYPTION_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_');
        values["MCP_API_KEY"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        values["ADMIN_PASSWORD"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        values["DATA_PROTECTION_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        values["GOOGLE_CLIENT_ID"] = "compose-test.apps.googleusercontent.com";
        values["GOOGLE_CLIENT_SECRET"] = "compose-test-secret";

        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in DeploymentFiles.RuntimeImageEnvironment()) environment[name] = value;
        foreach (var (name, value) in DeploymentFiles.Environment(service)) environment[name] = DeploymentFiles.Interpolate(value, values);
        foreach (var (name, value) in local)
        {
            if (!environment.TryGetValue(name, out var original)) continue;
            Assert.True(original!.StartsWith("Host=postgres;", StringComparison.Ordinal) || original.StartsWith("/data", StringComparison.Ordinal),
                $"{service}'s {name} is '{original}', neither the postgres service nor the /data volume");
            environment[name] = value;
        }

        return environment;
    }
}
