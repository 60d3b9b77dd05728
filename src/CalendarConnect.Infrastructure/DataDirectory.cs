namespace CalendarConnect.Infrastructure;

/// <summary>
/// DATA_DIR: the folder of the default databases (tokens.db, customers.db). When it is not set: inside a checkout,
/// data/ at the repository root (`dotnet run --project` starts us in the project's folder, and the AppHost keeps
/// data/ at the root too); otherwise data/ under the current directory. Used by both services.
/// </summary>
public static class DataDirectory
{
    public const string Variable = "DATA_DIR";

    public static string Resolve(string? dataDir)
    {
        if (!string.IsNullOrWhiteSpace(dataDir)) return Path.GetFullPath(dataDir.Trim());
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CalendarConnect.slnx"))) return Path.Combine(dir.FullName, "data");
        }

        return Path.GetFullPath("data");
    }

    /// <summary>The default file <paramref name="fileName"/> in the data directory.</summary>
    public static string DefaultFile(string? dataDir, string fileName) => Path.Combine(Resolve(dataDir), fileName);
}
