using System.Globalization;
using System.Security.Cryptography;
using Dapper;

namespace CalendarConnect.Backend.Storage;

/// <summary>One admin session as stored (table admin_sessions).</summary>
public sealed record AdminSessionRow(string UserName, string PasswordStamp, DateTimeOffset CreatedAt, DateTimeOffset LastSeenAt);

/// <summary>The admin_sessions table: every replica reads and ends the same sessions.</summary>
public sealed class AdminSessionStore(CustomerDatabase database)
{
    /// <summary>
    /// The database's key for credential stamps (32 random bytes): made by the first backend that asks, the same for
    /// every replica after that, and unaffected by any setting.
    /// </summary>
    public async Task<byte[]> StampKeyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Replicas asking at once each offer a key; the first insert wins and all read that one.
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO admin_session_stamp_key (id, key) VALUES (1, @key) ON CONFLICT (id) DO NOTHING;",
            new { key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }, cancellationToken: cancellationToken));
        var stored = await connection.QuerySingleAsync<string>(new CommandDefinition(
            "SELECT key FROM admin_session_stamp_key WHERE id = 1;", cancellationToken: cancellationToken));
        return Convert.FromBase64String(stored);
    }

    public async Task CreateAsync(string sessionHash, string userName, string passwordStamp, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO admin_sessions (session_hash, user_name, password_stamp, created_at, last_seen_at)
            VALUES (@sessionHash, @userName, @passwordStamp, @now, @now);
            """, new { sessionHash, userName, passwordStamp, now = Text(now) }, cancellationToken: cancellationToken));
    }

    public async Task<AdminSessionRow?> FindAsync(string sessionHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<StoredSession>(new CommandDefinition("""
            SELECT user_name AS "UserName", password_stamp AS "PasswordStamp", created_at AS "CreatedAt", last_seen_at AS "LastSeenAt"
            FROM admin_sessions WHERE session_hash = @sessionHash;
            """, new { sessionHash }, cancellationToken: cancellationToken));
        return row is null ? null : new AdminSessionRow(row.UserName, row.PasswordStamp, Parse(row.CreatedAt), Parse(row.LastSeenAt));
    }

    public async Task TouchAsync(string sessionHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE admin_sessions SET last_seen_at = @now WHERE session_hash = @sessionHash AND last_seen_at < @now;",
            new { sessionHash, now = Text(now) }, cancellationToken: cancellationToken));
    }

    public async Task DeleteAsync(string sessionHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM admin_sessions WHERE session_hash = @sessionHash;",
            new { sessionHash }, cancellationToken: cancellationToken));
    }

    /// <summary>Sessions idle since before <paramref name="idleBefore"/> or begun before <paramref name="begunBefore"/>.</summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset idleBefore, DateTimeOffset begunBefore, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM admin_sessions WHERE last_seen_at < @idleBefore OR created_at < @begunBefore;",
            new { idleBefore = Text(idleBefore), begunBefore = Text(begunBefore) }, cancellationToken: cancellationToken));
    }

    private sealed class StoredSession
    {
        public string UserName { get; set; } = "";
        public string PasswordStamp { get; set; } = "";
        public string CreatedAt { get; set; } = "";
        public string LastSeenAt { get; set; } = "";
    }

    /// <summary>ISO 8601 UTC text, like every timestamp of the database: its text order is time order.</summary>
    private static string Text(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
