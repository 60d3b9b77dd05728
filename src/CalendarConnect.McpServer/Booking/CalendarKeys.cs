namespace CalendarConnect.McpServer.Booking;

/// <summary>
/// Which Google calendar a booking writes to, whichever company it books for: the connected account and the calendar
/// id, normalized. Two companies connected to one Google account and booking into the same calendar get the same key,
/// so they share one booking lease and see each other's rows in flight: they cannot double-book it.
/// </summary>
public static class CalendarKeys
{
    /// <summary>
    /// <c>google:{account}/{calendar}</c>, both lower case (Google compares them without case), with <c>primary</c>
    /// written as the account's own address, which is the primary calendar's id. A connection with no recorded account
    /// (rows written by the original Python system) is keyed by its company: it can only exclude its own bookings.
    /// </summary>
    public static string For(string? accountEmail, string customerId, string calendarId)
    {
        var calendar = calendarId.Trim();
        if (string.IsNullOrWhiteSpace(accountEmail)) return $"company:{customerId}/{calendar}";
        var account = accountEmail.Trim().ToLowerInvariant();
        return $"google:{account}/{(calendar.Equals("primary", StringComparison.OrdinalIgnoreCase) ? account : calendar.ToLowerInvariant())}";
    }
}
