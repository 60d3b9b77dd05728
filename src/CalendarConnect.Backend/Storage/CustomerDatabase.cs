using System.Data.Common;
using System.Text.RegularExpressions;
using CalendarConnect.Backend.Web;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CalendarConnect.Backend.Storage;

/// <summary>The database engines CUSTOMER_DB can name. Only SQLite is implemented; the SQL is kept portable
/// (TEXT columns, ISO 8601 timestamps, INSERT … ON CONFLICT … RETURNING) so PostgreSQL can be added here.</summary>
public enum DatabaseEngine { Sqlite, Postgres }

public sealed partial class CustomerDatabaseOptions
{
    public const string Variable = "CUSTOMER_DB";
    public const string DefaultPath = "data/customers.db";

    /// <summary>A SQLite file path (later also a PostgreSQL connection string).</summary>
    public string Setting { get; set; } = DefaultPath;

    public DatabaseEngine Engine => DetectEngine(Setting);

    public static DatabaseEngine DetectEngine(string setting) =>
        setting.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || setting.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || HostKey().IsMatch(setting)
            ? DatabaseEngine.Postgres
            : DatabaseEngine.Sqlite;

    [GeneratedRegex(@"(^|;)\s*(Host|Server)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex HostKey();
}

public sealed class CustomerDatabaseOptionsValidator : IValidateOptions<CustomerDatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, CustomerDatabaseOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Setting))
            return ValidateOptionsResult.Fail($"{CustomerDatabaseOptions.Variable} is empty: set it to a SQLite file path (default {CustomerDatabaseOptions.DefaultPath}).");
        if (options.Engine == DatabaseEngine.Postgres)
            return ValidateOptionsResult.Fail($"{CustomerDatabaseOptions.Variable} looks like a PostgreSQL connection string: PostgreSQL is not supported by the backend yet; set {CustomerDatabaseOptions.Variable} to a SQLite file path (default {CustomerDatabaseOptions.DefaultPath}).");
        if (options.Setting.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            return ValidateOptionsResult.Fail($"{CustomerDatabaseOptions.Variable} is not a valid file path.");
        return ValidateOptionsResult.Success;
    }
}

/// <summary>Opens connections to the customer database and keeps its schema at the latest version.</summary>
public sealed class CustomerDatabase(IOptions<CustomerDatabaseOptions> options, TimeProvider time)
{
    /// <summary>Schema versions, applied in order, each once (table schema_version).</summary>
    private static readonly (int Version, string Sql)[] Migrations =
    [
        (1, """
            CREATE TABLE IF NOT EXISTS customer_memory (
                customer_id    TEXT NOT NULL PRIMARY KEY,
                customer_email TEXT NOT NULL,
                customer_name  TEXT NOT NULL,
                created_at     TEXT NOT NULL,
                updated_at     TEXT NOT NULL
            );
            """),
    ];

    public static int LatestVersion => Migrations[^1].Version;

    private readonly Lazy<string> _connectionString = new(() => BuildConnectionString(options.Value));

    public DatabaseEngine Engine => options.Value.Engine;

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        DbConnection connection = Engine switch
        {
            DatabaseEngine.Sqlite => new SqliteConnection(_connectionString.Value),
            _ => throw new NotSupportedException($"{Engine} is not supported yet."),
        };
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            if (Engine == DatabaseEngine.Sqlite) await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
            await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL);");
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken); // SQLite: BEGIN IMMEDIATE
            var current = await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_version;", transaction: transaction) ?? 0;
            foreach (var (version, sql) in Migrations.Where(m => m.Version > current))
            {
                await connection.ExecuteAsync(sql, transaction: transaction);
                await connection.ExecuteAsync("INSERT INTO schema_version (version, applied_at) VALUES (@version, @now);",
                    new { version, now = time.GetUtcNow().ToString("O") }, transaction);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"{CustomerDatabaseOptions.Variable}: cannot open or prepare the customer database at '{DescribeLocation()}': {ex.Message.ReplaceLineEndings(" ")}", ex);
        }
    }

    private string DescribeLocation() => Engine == DatabaseEngine.Sqlite ? Path.GetFullPath(options.Value.Setting) : Engine.ToString();

    private static string BuildConnectionString(CustomerDatabaseOptions options)
    {
        if (options.Engine != DatabaseEngine.Sqlite) throw new NotSupportedException($"{options.Engine} is not supported yet.");
        var path = Path.GetFullPath(options.Setting);
        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        return new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }
}

/// <summary>Creates or upgrades the schema when the host starts (before Kestrel listens).</summary>
public sealed class CustomerSchemaInitializer(CustomerDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.EnsureSchemaAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddCustomerStorage(this IServiceCollection services)
    {
        services.AddOptions<CustomerDatabaseOptions>()
            .Configure<IConfiguration>((o, config) =>
            {
                var value = config[CustomerDatabaseOptions.Variable];
                if (value is not null) o.Setting = value.Trim();
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CustomerDatabaseOptions>, CustomerDatabaseOptionsValidator>();
        services.AddSingleton<CustomerDatabase>();
        services.AddSingleton<CustomerMemory>();
        services.AddHostedService<CustomerSchemaInitializer>();
        return services;
    }
}
