using CalendarConnect.McpServer.Storage;
using Dapper;

namespace CalendarConnect.McpServer.Tests.Storage;

/// <summary>
/// tokens.db holds every company's tokens: it and the files SQLite keeps beside it are the service user's only,
/// whatever the umask (a PostgreSQL TOKEN_DB has no files here: its access is the server's roles).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Unix file modes
public class FileModeTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnly | UnixFileMode.UserExecute;

    [Fact]
    public async Task Tokens_db_its_wal_and_shm_are_owner_only_in_a_folder_we_create_owner_only()
    {
        var root = Directory.CreateTempSubdirectory("cc-modes-").FullName;
        var path = Path.Combine(root, "data", "tokens.db");

        await using (var database = new TokenDatabase(path))
        {
            await database.MigrateAsync(TestContext.Current.CancellationToken);
            await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);
            await connection.ExecuteAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (100000, 'x')"); // a write: the WAL exists
            Assert.True(File.Exists(path + "-wal") && File.Exists(path + "-shm"));
            Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
            foreach (var file in new[] { path, path + "-wal", path + "-shm" }) Assert.Equal(OwnerOnly, File.GetUnixFileMode(file));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Files_an_older_version_left_readable_by_others_are_made_owner_only()
    {
        var folder = Directory.CreateTempSubdirectory("cc-modes-").FullName;
        var path = Path.Combine(folder, "tokens.db");
        await using (var old = new TokenDatabase(path)) await old.MigrateAsync(TestContext.Current.CancellationToken);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var readable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(path, readable);
        File.WriteAllBytes(path + "-journal", []);
        File.SetUnixFileMode(path + "-journal", readable);

        await using (var database = new TokenDatabase(path))
        {
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(path + "-journal"));
            await database.MigrateAsync(TestContext.Current.CancellationToken);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
