using System.Collections.Concurrent;
using System.Reflection;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Shared;
using NodaTime;

namespace CalendarConnect.Backend.Tests.Channels;

/// <summary>
/// The company calendar the assistant sees, in memory: Buenos Aires, "now" Wednesday 2025-01-15 10:00 (so
/// "mañana" is Thursday the 16th), free every hour 09:00–18:00 except what was booked. Shared by every backend
/// (replica) of a test, as the real calendar would be. Booking is idempotent by key, like the MCP server's.
/// </summary>
/// <remarks>
/// Sessions are a <see cref="DispatchProxy"/> answering the calls by name, so tools the assistant library adds to
/// <see cref="ICalendarSession"/> (find, reschedule, …) do not break these channel tests; an unknown call fails loudly.
/// </remarks>
public sealed class FakeCalendar : ICalendarAdapter
{
    public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["America/Argentina/Buenos_Aires"];
    public static readonly ZonedDateTime Now = new LocalDateTime(2025, 1, 15, 10, 0).InZoneStrictly(Zone);

    private readonly ConcurrentDictionary<string, BookedAppointment> _byKey = new();
    private readonly ConcurrentDictionary<string, (BookedAppointment Appointment, string Name)> _events = new();
    private int _nextId;

    /// <summary>Every booking made and not cancelled, by event id.</summary>
    public IReadOnlyDictionary<string, (BookedAppointment Appointment, string Name)> Events => _events;

    /// <summary>
    /// Whether the MCP server has a calendar for a company id; when not, every call fails <c>not_connected</c>, as the real
    /// server answers for a company that never connected and for an id it never heard of alike. Every id by default.
    /// </summary>
    public Func<string, bool> IsConnected { get; set; } = _ => true;

    /// <summary>The real server's text for a company without a calendar.</summary>
    public const string NotConnectedMessage =
        "This company has not connected its Google Calendar yet, so availability cannot be checked. Ask the administrator to send the company its connection link.";

    /// <summary>When set, each booking waits for it (to hold a message "in flight" in concurrency tests).</summary>
    public TaskCompletionSource? HoldBookings { get; set; }

    /// <summary>Set when a booking started and is waiting on <see cref="HoldBookings"/>.</summary>
    public TaskCompletionSource BookingStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ICalendarSession OpenSession(string customerId)
    {
        var session = DispatchProxy.Create<ICalendarSession, Session>();
        ((Session)(object)session).Bind(this, customerId);
        return session;
    }

    private FreeSlot Slot(LocalDateTime start) =>
        new(start.InZoneStrictly(Zone).ToOffsetDateTime(), start.PlusHours(1).InZoneStrictly(Zone).ToOffsetDateTime());

    private IEnumerable<LocalDateTime> FreeStarts(LocalDate date)
    {
        var taken = _events.Values.Select(e => e.Appointment.Start.LocalDateTime).ToHashSet();
        return Enumerable.Range(9, 9).Select(h => date.At(new LocalTime(h, 0))).Where(start => !taken.Contains(start));
    }

    private async Task<BookedAppointment> BookAsync(OffsetDateTime start, int? durationMinutes, string personName, string idempotencyKey,
        CancellationToken cancellationToken)
    {
        if (HoldBookings is { } hold)
        {
            BookingStarted.TrySetResult();
            await hold.Task.WaitAsync(cancellationToken);
        }
        return _byKey.GetOrAdd(idempotencyKey, _ =>
        {
            var id = "evt" + Interlocked.Increment(ref _nextId);
            var booked = new BookedAppointment(id, start, start.PlusMinutes(durationMinutes ?? 60));
            _events[id] = (booked, personName);
            return booked;
        });
    }

    private BookedAppointment Reschedule(string eventId, OffsetDateTime newStart)
    {
        if (!_events.TryGetValue(eventId, out var old))
            throw new BookingRefusedException("No such appointment.", CalendarErrorCodes.NotFound, []);
        var moved = new BookedAppointment(eventId, newStart, newStart + (old.Appointment.End - old.Appointment.Start));
        _events[eventId] = (moved, old.Name);
        return moved;
    }

    public class Session : DispatchProxy
    {
        private FakeCalendar _calendar = null!;
        private string _customerId = "";

        internal void Bind(FakeCalendar calendar, string customerId) => (_calendar, _customerId) = (calendar, customerId);

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            var a = args ?? [];
            if (method is { Name: not ("get_CustomerId" or "DisposeAsync") } && !_calendar.IsConnected(_customerId))
                return Failed(method.ReturnType, new CalendarUnavailableException(NotConnectedMessage, CalendarErrorCodes.NotConnected));
            return method?.Name switch
            {
                "get_CustomerId" => _customerId,
                "DisposeAsync" => ValueTask.CompletedTask,
                "GetCurrentTimeAsync" => Task.FromResult(new CompanyTime(Now)),
                "GetAvailableSlotsAsync" => Task.FromResult(new DaySlots((LocalDate)a[0]!, Zone.Id,
                    _calendar.FreeStarts((LocalDate)a[0]!).Select(_calendar.Slot).ToList())),
                "FindNextAvailableSlotsAsync" => Task.FromResult<IReadOnlyList<FreeSlot>>(Enumerable.Range(0, 60)
                    .SelectMany(d => _calendar.FreeStarts(((LocalDateTime)a[0]!).Date.PlusDays(d)))
                    .Where(s => s >= (LocalDateTime)a[0]!).Take((int)a[1]!).Select(_calendar.Slot).ToList()),
                "BookAppointmentAsync" => _calendar.BookAsync((OffsetDateTime)a[0]!, (int?)a[1], (string)a[2]!, (string)a[3]!, (CancellationToken)a[4]!),
                "RescheduleAppointmentAsync" => Task.FromResult(_calendar.Reschedule((string)a[0]!, (OffsetDateTime)a[1]!)),
                "CancelAppointmentAsync" => _calendar._events.TryRemove((string)a[0]!, out _)
                    ? Task.CompletedTask
                    : Task.FromException(new BookingRefusedException("No such appointment.", CalendarErrorCodes.NotFound, [])),
                "ListToolsAsync" => Task.FromResult<IReadOnlyList<ModelContextProtocol.Client.McpClientTool>>([]),
                var name => throw new NotSupportedException($"FakeCalendar does not answer {name}."),
            };
        }

        /// <summary>A faulted <see cref="Task"/> or <see cref="Task{TResult}"/> of the method's own return type.</summary>
        private static object Failed(Type returnType, Exception exception)
        {
            if (!returnType.IsGenericType) return Task.FromException(exception);
            var fromException = typeof(Task).GetMethods().Single(m => m is { Name: nameof(Task.FromException), IsGenericMethodDefinition: true });
            return fromException.MakeGenericMethod(returnType.GetGenericArguments()[0]).Invoke(null, [exception])!;
        }
    }
}
