namespace CalendarConnect.Infrastructure;

/// <summary>
/// The data files hold tokens, customers' names and phone numbers: readable by the service's user only (0600), in a
/// folder we create owner-only (0700), whatever the umask. Used by the services and the AppHost.
/// </summary>
public static class OwnerOnlyFiles
{
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The files SQLite keeps beside a database: the write-ahead log, its shared memory, the rollback journal.</summary>
    private static readonly string[] SqliteCompanions = ["-wal", "-shm", "-journal"];

    /// <summary>Creates the folder (0700) if it does not exist yet; an existing folder is the operator's and is left as it is.</summary>
    public static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows() || Directory.Exists(folder)) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, FolderMode);
    }

    /// <summary>
    /// Before SQLite opens <paramref name="databasePath"/>: creates its folder (0700) and the database file itself (0600,
    /// an empty file is an empty SQLite database), because SQLite gives the -wal, -shm and -journal files it creates the
    /// mode of the database file. Files an older version left readable by others are made owner-only.
    /// </summary>
    public static void PrepareSqliteDatabase(string databasePath)
    {
        var folder = Path.GetDirectoryName(databasePath);
        if (!string.IsNullOrEmpty(folder)) CreateFolder(folder);
        if (OperatingSystem.IsWindows()) return;
        using (new FileStream(databasePath, new FileStreamOptions { Mode = System.IO.FileMode.OpenOrCreate, Access = FileAccess.Write, UnixCreateMode = FileMode }))
        {
        }
        foreach (var file in SqliteCompanions.Select(suffix => databasePath + suffix).Prepend(databasePath))
        {
            if (File.Exists(file) && (File.GetUnixFileMode(file) & ~FileMode) != 0) File.SetUnixFileMode(file, FileMode);
        }
    }
}
