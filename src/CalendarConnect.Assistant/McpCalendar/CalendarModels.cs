using NodaTime;

namespace CalendarConnect.Assistant.McpCalendar;

/// <summary>The company's current time as the MCP server sees it (tool <c>get_current_time</c>).</summary>
/// <param name="Now">The server's clock, with the company's offset.</param>
/// <param name="Zone">The company's time zone; a fixed offset when the server names a zone unknown to TZDB.</param>
public sealed record CompanyTime(OffsetDateTime Now, LocalDate Date, DateTimeZone Zone);

/// <summary>A free slot, with the offsets the server gave.</summary>
public sealed record FreeSlot(OffsetDateTime Start, OffsetDateTime End);

/// <summary>The free slots of one day (tool <c>get_available_slots</c>), in ascending start order.</summary>
public sealed record DaySlots(LocalDate Date, string TimeZone, IReadOnlyList<FreeSlot> Slots);
