using System.Data.Common;
using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace CalendarConnect.Backend.Storage;

/// <summary>
/// Data Protection's key ring in CUSTOMER_DB (table data_protection_keys), so every replica reads and writes the
/// same keys: a cookie or antiforgery token one replica issued is accepted by the others and survives a restart.
/// The framework encrypts each key's secret before it gets here (<see cref="SignIn.SharedKeyRing"/>).
/// </summary>
public sealed class DatabaseXmlRepository(CustomerDatabase database, TimeProvider time) : IXmlRepository
{
    /// <summary>The connection (and transaction) holding the key ring's lock, while <see cref="SharedKeyRing"/> holds it.</summary>
    private readonly AsyncLocal<(DbConnection Connection, DbTransaction? Transaction)?> _locked = new();

    /// <summary>
    /// Until disposed, this flow's reads and writes go through <paramref name="connection"/>: the one that holds the
    /// key ring's lock (on SQLite a write transaction, which a second connection would wait for in vain).
    /// </summary>
    public IDisposable UseLockedConnection(DbConnection connection, DbTransaction? transaction)
    {
        _locked.Value = (connection, transaction);
        return new Release(this);
    }

    public IReadOnlyCollection<XElement> GetAllElements() => GetAllRows().Select(r => r.Element).ToList();

    /// <summary>Every stored element with its name, oldest first.</summary>
    public IReadOnlyList<(string FriendlyName, XElement Element)> GetAllRows() => WithConnection((connection, transaction) =>
        connection.Query<(string, string)>("SELECT friendly_name, xml FROM data_protection_keys ORDER BY created_at, friendly_name;", transaction: transaction)
            .Select(row => (row.Item1, XElement.Parse(row.Item2)))
            .ToList());

    public void StoreElement(XElement element, string friendlyName) => WithConnection((connection, transaction) =>
        // Names are unique per key (key-{guid}, revocation-{guid}); a second write of the same one changes nothing.
        connection.Execute("""
            INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES (@friendlyName, @xml, @now)
            ON CONFLICT (friendly_name) DO NOTHING;
            """,
            new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), now = time.GetUtcNow().ToString("O") }, transaction));

    /// <summary>Rewrites a stored element in place (a key's secret re-encrypted under a new DATA_PROTECTION_KEY).</summary>
    public void ReplaceElement(string friendlyName, XElement element) => WithConnection((connection, transaction) =>
        connection.Execute("UPDATE data_protection_keys SET xml = @xml WHERE friendly_name = @friendlyName;",
            new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) }, transaction));

    private T WithConnection<T>(Func<DbConnection, DbTransaction?, T> work)
    {
        if (_locked.Value is var (lockedConnection, lockedTransaction)) return work(lockedConnection, lockedTransaction);
        using var connection = database.Open();
        return work(connection, null);
    }

    private sealed class Release(DatabaseXmlRepository repository) : IDisposable
    {
        public void Dispose() => repository._locked.Value = null;
    }
}
