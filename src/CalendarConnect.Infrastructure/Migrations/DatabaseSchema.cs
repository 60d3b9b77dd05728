namespace CalendarConnect.Infrastructure.Migrations;

/// <summary>
/// A database's versioned schema, as <see cref="SchemaMigrator"/> applies it.
/// </summary>
/// <param name="Variable">The setting that names the database (TOKEN_DB, CUSTOMER_DB), for start-up messages.</param>
/// <param name="VersionTable">The table of applied versions (version, applied_at): each service's existing name.</param>
/// <param name="LockKey">The PostgreSQL advisory-lock key under which replicas migrate one at a time.</param>
/// <param name="LowerCasesCustomerIds">The version that lower-cases stored customer ids: before it, ids that differ only by case stop start-up.</param>
/// <param name="Migrations">Every version, in the order applied.</param>
public sealed record DatabaseSchema(string Variable, string VersionTable, long LockKey, int LowerCasesCustomerIds, IReadOnlyList<Migration> Migrations)
{
    public int LatestVersion => Migrations[^1].Version;

    /// <summary>The schema as the releases before <paramref name="version"/> had it (tests build databases as they left them).</summary>
    public DatabaseSchema Before(int version) => this with { Migrations = Migrations.Where(m => m.Version < version).ToList() };
}
