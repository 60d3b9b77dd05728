namespace CalendarConnect.Infrastructure.Leases;

/// <summary>
/// Who holds a database lease (refresh, booking, calendar sync, the WhatsApp inbox): one identity per server instance, so two replicas in one process
/// (as the tests run them) are two holders, and a restarted process never mistakes its predecessor's leases for its own.
/// </summary>
public static class LeaseHolder
{
    public static string NewIdentity() => $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
}
