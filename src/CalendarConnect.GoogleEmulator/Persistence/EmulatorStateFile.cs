using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CalendarConnect.GoogleEmulator.Accounts;
using CalendarConnect.GoogleEmulator.OAuth;
using CalendarConnect.Infrastructure;

namespace CalendarConnect.GoogleEmulator.Persistence;

/// <summary>
/// EMULATOR_STATE_FILE: accounts, events, grants and tokens kept in one JSON file, so that a restarted emulator still
/// honours the refresh tokens a client stored (the AppHost's tokens.db). Loaded once at start-up; rewritten after
/// every change (write-through, no debounce: nothing is pending at shutdown, and the demo's change rate is tiny).
/// Each write goes to a temp file that is then renamed over the old one, with owner-only permissions (it holds tokens).
/// </summary>
public sealed class EmulatorStateFile(string path, AccountStore accounts, GrantStore grants, ILogger<EmulatorStateFile> logger)
{
    public const string Setting = "EMULATOR_STATE_FILE";

    private static readonly JsonSerializerOptions Json = CreateOptions();
    private readonly Lock _writeGate = new();

    public string FilePath { get; } = path;

    /// <summary>
    /// Restores the stores from the file (when there is one), then saves after every change.
    /// An unreadable or corrupt file stops start-up instead of starting empty: starting empty would overwrite it at
    /// the first change and silently throw away every grant the user relies on, which no one expects from a state file.
    /// The user decides: fix the file, or delete it to start over.
    /// </summary>
    /// <exception cref="StartupException">The file exists but cannot be read or understood.</exception>
    public void LoadAndFollow()
    {
        if (File.Exists(FilePath))
        {
            try
            {
                using var stream = File.OpenRead(FilePath);
                var state = JsonSerializer.Deserialize<EmulatorState>(stream, Json) ?? throw new InvalidDataException("the file holds null");
                if (state.Version != EmulatorState.CurrentVersion)
                    throw new InvalidDataException($"version {state.Version} is not {EmulatorState.CurrentVersion}");
                accounts.RestoreState(state.Accounts);
                grants.RestoreState(state.Grants);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
            {
                throw new StartupException(
                    $"{Setting} ({FilePath}) cannot be loaded: {OneLine(e.Message).TrimEnd('.')}. Fix the file, or delete it to start the emulator empty.");
            }
        }
        accounts.Changed += Save;
        grants.Changed += Save;
    }

    /// <summary>Writes the current state. Failures are logged, not thrown: the change itself has already happened.</summary>
    public void Save()
    {
        // The snapshot is taken inside the gate, so the last write always carries the newest state.
        lock (_writeGate)
        {
            var temp = FilePath + ".tmp";
            try
            {
                var state = new EmulatorState(EmulatorState.CurrentVersion, accounts.ExportState(), grants.ExportState());
                if (Path.GetDirectoryName(FilePath) is { Length: > 0 } directory) Directory.CreateDirectory(directory);
                File.Delete(temp);
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using (var stream = new FileStream(temp, options))
                {
                    JsonSerializer.Serialize(stream, state, Json);
                    stream.Flush(flushToDisk: true);
                }
                File.Move(temp, FilePath, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogError("Could not save the emulator state to {Setting} ({Path}): {Reason}", Setting, FilePath, e.Message);
            }
        }
    }

    private static string OneLine(string message) => string.Join(' ', message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            // A field that is missing or null where the format has none is a corrupt file, not an empty value.
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }
}
