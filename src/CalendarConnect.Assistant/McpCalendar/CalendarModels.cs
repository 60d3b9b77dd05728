using NodaTime;

namespace CalendarConnect.Assistant.McpCalendar;

/// <summary>
/// The company's current time as the MCP server sees it (tool <c>get_current_time</c>). The server's clock is
/// the one that also filters past slots, so the assistant decides "today" from this and not from its own clock.
/// </summary>
/// <param name="Now">The server's clock in the company's time zone; a fixed-offset zone when the server names a zone unknown to TZDB.</param>
public sealed record CompanyTime(ZonedDateTime Now)
{
    public LocalDate Date => Now.Date;

    public DateTimeZone Zone => Now.Zone;
}

/// <summary>A free slot, with the offsets the server gave.</summary>
public sealed record FreeSlot(OffsetDateTime Start, OffsetDateTime End);

/// <summary>The free slots of one day (tool <c>get_available_slots</c>), in ascending start order.</summary>
public sealed record DaySlots(LocalDate Date, string TimeZone, IReadOnlyList<FreeSlot> Slots);

/// <summary>
/// An appointment the MCP server booked (tool <c>book_appointment</c>). Start and end carry the company's offset,
/// as the server formats them in the company's time zone, so their local time is what the customer was offered.
/// </summary>
public sealed record BookedAppointment(string EventId, OffsetDateTime Start, OffsetDateTime End);
