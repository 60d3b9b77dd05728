using System.Collections.Concurrent;
using CalendarConnect.Assistant.McpCalendar;
using NodaTime;

namespace CalendarConnect.Backend.Tests.Channels;

/// <summary>
/// The company calendar the assistant sees, in memory: Buenos Aires, "now" Wednesday 2025-01-15 10:00 (so
/// "mañana" is Thursday the 16th), free every hour 09:00–18:00 except what was booked. Shared by every backend
/// (replica) of a test, as the real calendar would be. Booking is idempotent by key, like the MCP server's.
/// </summary>
public sealed class FakeCalendar : ICalendarAdapter
{
    public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["America/Argentina/Buenos_Aires"];
    public static readonly ZonedDateTime Now = new LocalDateTime(2025, 1, 15, 10, 0).InZoneStrictly(Zone);

    private readonly ConcurrentDictionary<string, BookedAppointment> _byKey = new();
    private readonly ConcurrentDictionary<string, (BookedAppointment Appointment, string Name)> _events = new();
    private int _nextId;

    /// <summary>Every booking made, by event id.</summary>
    public IReadOnlyDictionary<string, (BookedAppointment Appointment, string Name)> Events => _events;

    /// <summary>When set, each booking waits for it (to hold a message "in flight" in concurrency tests).</summary>
    public TaskCompletionSource? HoldBookings { get; set; }

    /// <summary>Set when a booking started and is waiting on <see cref="HoldBookings"/>.</summary>
    public TaskCompletionSource BookingStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ICalendarSession OpenSession(string customerId) => new Session(this, customerId);

    private sealed class Session(FakeCalendar calendar, string customerId) : ICalendarSession
    {
        public string CustomerId => customerId;

        public Task<CompanyTime> GetCurrentTimeAsync(CancellationToken cancellationToken = default) => Task.FromResult(new CompanyTime(Now));

        public Task<DaySlots> GetAvailableSlotsAsync(LocalDate date, CancellationToken cancellationToken = default)
        {
            var taken = calendar._events.Values.Select(e => e.Appointment.Start.LocalDateTime).ToHashSet();
            var slots = Enumerable.Range(9, 9)
                .Select(h => date.At(new LocalTime(h, 0)))
                .Where(start => !taken.Contains(start))
                .Select(start => new FreeSlot(start.InZoneStrictly(Zone).ToOffsetDateTime(), start.PlusHours(1).InZoneStrictly(Zone).ToOffsetDateTime()))
                .ToList();
            return Task.FromResult(new DaySlots(date, Zone.Id, slots));
        }

        public async Task<BookedAppointment> BookAppointmentAsync(OffsetDateTime start, int? durationMinutes, string personName,
            string idempotencyKey, CancellationToken cancellationToken = default)
        {
            if (calendar.HoldBookings is { } hold)
            {
                calendar.BookingStarted.TrySetResult();
                await hold.Task.WaitAsync(cancellationToken);
            }
            return calendar._byKey.GetOrAdd(idempotencyKey, _ =>
            {
                var id = "evt" + Interlocked.Increment(ref calendar._nextId);
                var booked = new BookedAppointment(id, start, start.PlusMinutes(durationMinutes ?? 60));
                calendar._events[id] = (booked, personName);
                return booked;
            });
        }

        public Task CancelAppointmentAsync(string eventId, CancellationToken cancellationToken = default)
        {
            if (!calendar._events.TryRemove(eventId, out _))
                throw new BookingRefusedException("No such appointment.", CalendarErrorCodes.NotFound, []);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
