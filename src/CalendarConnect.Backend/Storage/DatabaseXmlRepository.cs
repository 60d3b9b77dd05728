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
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.Open();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, friendly_name;")
            .Select(xml => XElement.Parse(xml))
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.Open();
        // Names are unique per key (key-{guid}, revocation-{guid}); a second write of the same one changes nothing.
        connection.Execute("""
            INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES (@friendlyName, @xml, @now)
            ON CONFLICT (friendly_name) DO NOTHING;
            """,
            new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), now = time.GetUtcNow().ToString("O") });
    }
}
