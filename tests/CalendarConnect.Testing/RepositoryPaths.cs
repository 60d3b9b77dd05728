namespace CalendarConnect.Testing;

/// <summary>Finds the repository root and the project's shared data (../shared/data beside the checkout).</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The shared data folder: SHARED_DATA_DIR if set, else ../shared/data next to the repository.</summary>
    public static string SharedData { get; } =
        Environment.GetEnvironmentVariable("SHARED_DATA_DIR") is { Length: > 0 } dir
            ? dir
            : Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));

    public static string SharedFile(params string[] parts) => Path.Combine([SharedData, .. parts]);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CalendarConnect.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CalendarConnect.slnx not found above " + AppContext.BaseDirectory);
    }
}
