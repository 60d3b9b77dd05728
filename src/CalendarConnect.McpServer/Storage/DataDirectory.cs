namespace CalendarConnect.McpServer.Storage;

/// <summary>
/// Where data/ is when TOKEN_DB is not set: DATA_DIR if given; inside a checkout, data/ at the repository root
/// (`dotnet run --project` starts us in the project's folder, and the AppHost keeps data/ at the root too);
/// otherwise data/ under the current directory.
/// </summary>
public static class DataDirectory
{
    public static string Resolve(string? dataDir)
    {
        if (!string.IsNullOrWhiteSpace(dataDir)) return Path.GetFullPath(dataDir);
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CalendarConnect.slnx"))) return Path.Combine(dir.FullName, "data");
        }

        return Path.GetFullPath("data");
    }
}
