namespace CalendarConnect.Infrastructure.Migrations;

/// <summary>
/// One schema version: its script for each engine, statements separated by ';' (<see cref="SqlStatements"/>). Never edit
/// a released migration: add a new one. A script may say <c>ALTER TABLE … ADD COLUMN IF NOT EXISTS</c> on both engines
/// (<see cref="SchemaMigrator"/> gives SQLite the <c>IF NOT EXISTS</c> it lacks).
/// </summary>
public sealed record Migration(int Version, string Sqlite, string Postgres)
{
    /// <summary>A migration whose script is the same on both engines.</summary>
    public static Migration OnBoth(int version, string script) => new(version, script, script);

    public string For(DatabaseEngine engine) => engine == DatabaseEngine.Sqlite ? Sqlite : Postgres;
}
