using CalendarConnect.Testing;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// customers.db holds the companies and their customers' conversations: it and the files SQLite keeps beside it are
/// the service user's only, whatever the umask (a PostgreSQL CUSTOMER_DB has no files here).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Unix file modes
public class FileModeTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task Customers_db_its_wal_and_shm_are_owner_only_in_a_folder_we_create_owner_only()
    {
        await using var h = await BackendHarness.StartAsync(Engines.Sqlite, mcpDown: true); // a nested folder the backend creates
        using var client = h.AdminClient();
        await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), TestContext.Current.CancellationToken); // a write

        var path = h.DbLocation;
        Assert.True(File.Exists(path + "-wal") && File.Exists(path + "-shm"));
        Assert.Equal(OwnerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        foreach (var file in new[] { path, path + "-wal", path + "-shm" }) Assert.Equal(OwnerOnly, File.GetUnixFileMode(file));
    }

    [Fact]
    public async Task A_customers_db_an_older_version_left_readable_by_others_is_made_owner_only()
    {
        var readable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        await using var h = await BackendHarness.StartAsync(Engines.Sqlite, mcpDown: true, prepare: database =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(database.Location)!);
            File.WriteAllBytes(database.Location, []);
            File.SetUnixFileMode(database.Location, readable);
            return Task.CompletedTask;
        });
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(h.DbLocation));
    }
}
