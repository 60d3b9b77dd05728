using System.Text.RegularExpressions;
using Npgsql;

namespace CalendarConnect.Infrastructure;

/// <summary>
/// How TOKEN_DB (MCP server) and CUSTOMER_DB (backend) are read: a PostgreSQL URL (<c>postgres://…</c>) or Npgsql
/// connection string (<c>Host=…</c> or <c>Server=…</c>), else a SQLite file path. Both services read theirs here, so both
/// settings take exactly the same values.
/// </summary>
public static partial class DatabaseSetting
{
    /// <summary>The engine a setting names: PostgreSQL for a URL or connection string, else SQLite (a file path).</summary>
    public static DatabaseEngine EngineOf(string setting) => IsPostgres(setting) ? DatabaseEngine.Postgres : DatabaseEngine.Sqlite;

    public static bool IsPostgres(string setting) =>
        setting.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || setting.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || HostKey().IsMatch(setting);

    /// <summary>postgres://user:password@host:port/database?sslmode=require, or an Npgsql connection string as it is.</summary>
    public static string ToNpgsqlConnectionString(string value)
    {
        if (!value.Contains("://", StringComparison.Ordinal)) return new NpgsqlConnectionStringBuilder(value).ConnectionString;
        var uri = new Uri(value);
        if (uri.Host.Length == 0) throw new FormatException("the URL has no host.");
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        var userInfo = uri.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0) builder.Username = Uri.UnescapeDataString(userInfo[0]);
        if (userInfo.Length > 1) builder.Password = Uri.UnescapeDataString(userInfo[1]);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(parts[0]);
            var val = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
            if (key.Equals("sslmode", StringComparison.OrdinalIgnoreCase))
                builder.SslMode = Enum.TryParse<SslMode>(val, ignoreCase: true, out var mode)
                    ? mode
                    : throw new FormatException($"sslmode '{val}' is not one of {string.Join(", ", Enum.GetNames<SslMode>())}.");
            else builder[key] = val;
        }
        return builder.ConnectionString;
    }

    /// <summary>Null when a PostgreSQL setting can be used; otherwise why not (never with the setting's text: it may hold a password).</summary>
    public static string? ProblemWith(string setting)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(ToNpgsqlConnectionString(setting));
            if (string.IsNullOrWhiteSpace(builder.Host)) return "it names no host.";
            if (string.IsNullOrWhiteSpace(builder.Database)) return "it names no database (…/database at the end of the URL, or Database=…).";
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException or KeyNotFoundException or InvalidCastException or OverflowException)
        {
            return ex is UriFormatException ? "the URL cannot be parsed; write it as postgres://user:password@host:5432/database." : "it cannot be parsed (check the key names and values).";
        }
    }

    /// <summary>"PostgreSQL host:port/database": never the user's password.</summary>
    public static string Describe(string npgsqlConnectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(npgsqlConnectionString);
        return $"PostgreSQL {b.Host}:{b.Port}/{b.Database}";
    }

    /// <summary>Npgsql takes Host and its synonym Server; either one makes the setting a connection string.</summary>
    [GeneratedRegex(@"(^|;)\s*(Host|Server)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex HostKey();
}
