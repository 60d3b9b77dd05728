using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Assistant.Understanding;
using CalendarConnect.Shared;
using ModelContextProtocol.Client;
using NodaTime;

namespace CalendarConnect.Backend.Tests.Channels;

/// <summary>
/// The company calendar the assistant sees, in memory: Buenos Aires, "now" Wednesday 2025-01-15 10:00 (so
/// "mañana" is Thursday the 16th), open on weekdays from 09:00 to 18:00 in 60-minute slots, like the MCP server's
/// default booking settings. Shared by every backend (replica) of a test, as the real calendar would be. It answers
/// as the real MCP server does, codes and alternatives included: <see cref="FakeCalendarContractTests"/> runs the
/// calendar contract suite on it, as McpServer.Tests runs it on the real server.
/// </summary>
public sealed class FakeCalendar : ICalendarAdapter
{
    public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["America/Argentina/Buenos_Aires"];
    public static readonly ZonedDateTime Now = new LocalDateTime(2025, 1, 15, 10, 0).InZoneStrictly(Zone);

    /// <summary>The company's hours: slots start from <see cref="OpeningHour"/> to the last hour before <see cref="ClosingHour"/>, Monday to Friday.</summary>
    public const int OpeningHour = 9, ClosingHour = 18;

    /// <summary>How far ahead slots are searched and bookings taken (the real server's default horizon).</summary>
    public const int HorizonDays = 60;

    /// <summary>How many alternatives a refusal offers, from how many days around the time asked (the real server's).</summary>
    public const int AlternativeCount = 3, AlternativesDaysAround = 3;

    /// <summary>The real server's text for a company without a calendar.</summary>
    public const string NotConnectedMessage =
        "This company has not connected its Google Calendar yet, so availability cannot be checked. Ask the administrator to send the company its connection link.";

    private const string GoogleDownMessage = "Google Calendar is not answering right now, so availability cannot be checked. Please try again in a few minutes.";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _eventIdByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (BookedAppointment Appointment, string Name)> _events = new(StringComparer.Ordinal);
    private readonly HashSet<string> _cancelled = new(StringComparer.Ordinal);
    private readonly List<(LocalDateTime Start, LocalDateTime End)> _ownEvents = [];
    private readonly HashSet<string> _googleDown = new(StringComparer.Ordinal);
    private int _nextId;

    /// <summary>Every booking made and not cancelled, by event id.</summary>
    public IReadOnlyDictionary<string, (BookedAppointment Appointment, string Name)> Events
    {
        get { lock (_gate) return new Dictionary<string, (BookedAppointment, string)>(_events); }
    }

    /// <summary>
    /// Whether the MCP server has a calendar for a company id; when not, every call fails <c>not_connected</c>, as the real
    /// server answers for a company that never connected and for an id it never heard of alike. Every id by default.
    /// </summary>
    public Func<string, bool> IsConnected { get; set; } = _ => true;

    /// <summary>When set, each booking waits for it (to hold a message "in flight" in concurrency tests).</summary>
    public TaskCompletionSource? HoldBookings { get; set; }

    /// <summary>Set when a booking started and is waiting on <see cref="HoldBookings"/>.</summary>
    public TaskCompletionSource BookingStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>An event of the company's own (not booked through the assistant): its time is busy.</summary>
    public void AddEvent(LocalDateTime start, LocalDateTime end)
    {
        lock (_gate) _ownEvents.Add((start, end));
    }

    /// <summary>From now on every call for <paramref name="customerId"/> fails as when Google does not answer (<c>calendar_unavailable</c>).</summary>
    public void BreakGoogle(string customerId)
    {
        lock (_gate) _googleDown.Add(customerId);
    }

    public ICalendarSession OpenSession(string customerId) => new Session(this, CustomerIds.Validate(customerId));

    /// <summary>The failure every call of the company meets before anything else, or null.</summary>
    private CalendarUnavailableException? Unusable(string customerId)
    {
        if (!IsConnected(customerId)) return new CalendarUnavailableException(NotConnectedMessage, CalendarErrorCodes.NotConnected);
        lock (_gate) return _googleDown.Contains(customerId) ? new CalendarUnavailableException(GoogleDownMessage, CalendarErrorCodes.CalendarUnavailable) : null;
    }

    private static FreeSlot Slot(LocalDateTime start) =>
        new(start.InZoneStrictly(Zone).ToOffsetDateTime(), start.PlusHours(1).InZoneStrictly(Zone).ToOffsetDateTime());

    private static bool IsOpen(LocalDate date) => date.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday);

    /// <summary>Whether [start, start + 1 h) overlaps a booking (but <paramref name="except"/>) or an event of the company's. Under the gate.</summary>
    private bool IsBusy(LocalDateTime start, string? except = null)
    {
        var end = start.PlusHours(1);
        return _events.Any(e => e.Key != except && e.Value.Appointment.Start.LocalDateTime < end && start < e.Value.Appointment.End.LocalDateTime)
               || _ownEvents.Any(e => e.Start < end && start < e.End);
    }

    private IReadOnlyList<LocalDateTime> FreeStarts(LocalDate date, string? except = null)
    {
        if (!IsOpen(date)) return [];
        lock (_gate)
            return Enumerable.Range(OpeningHour, ClosingHour - OpeningHour).Select(h => date.At(new LocalTime(h, 0)))
                .Where(start => !IsBusy(start, except)).ToList();
    }

    /// <summary>The real server's refusal of a start that cannot be booked, with the nearest free starts.</summary>
    private BookingRefusedException Refusal(LocalDateTime start, string? except)
    {
        var (code, message) = !IsOpen(start.Date) || start.Hour < OpeningHour || start.Hour >= ClosingHour
            ? (CalendarErrorCodes.OutsideBusinessHours, "That time is outside the company's business hours.")
            : start.Minute != 0 || start.Second != 0
                ? (CalendarErrorCodes.NotOnSlotGrid, "That time is not one of the company's appointment starts.")
                : (CalendarErrorCodes.SlotTaken, "That time is already taken.");
        var alternatives = Enumerable.Range(-AlternativesDaysAround, 2 * AlternativesDaysAround + 1)
            .SelectMany(d => FreeStarts(start.Date.PlusDays(d), except))
            .Where(s => s > Now.LocalDateTime)
            .OrderBy(s => Math.Abs(Period.Between(start, s, PeriodUnits.Minutes).Minutes))
            .Take(AlternativeCount)
            .Select(s => Slot(s).Start)
            .ToList();
        return new BookingRefusedException(message, code, alternatives);
    }

    /// <summary>A start that cannot be booked (outside the hours, off the grid, busy), or null when it can.</summary>
    private BookingRefusedException? Unbookable(LocalDateTime start, string? except) =>
        IsOpen(start.Date) && start.Minute == 0 && start.Second == 0 && start.Hour >= OpeningHour && start.Hour < ClosingHour && !IsBusy(start, except)
            ? null
            : Refusal(start, except);

    private static CalendarUnavailableException Invalid(string message) => new(message, CalendarErrorCodes.InvalidArgument);

    private async Task<BookedAppointment> BookAsync(OffsetDateTime start, int? durationMinutes, string personName, string idempotencyKey,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(personName) || personName.Any(char.IsControl) || BidiControls.ContainsAny(personName))
            throw Invalid("customer_name must be the person's name, on one line, without control characters.");
        var local = start.InZone(Zone).LocalDateTime;
        if (local < Now.LocalDateTime) throw Invalid("start_iso is in the past.");
        if (HoldBookings is { } hold)
        {
            BookingStarted.TrySetResult();
            await hold.Task.WaitAsync(cancellationToken);
        }
        lock (_gate)
        {
            if (_eventIdByKey.TryGetValue(idempotencyKey, out var earlier))
            {
                if (_cancelled.Contains(earlier))
                    throw Invalid("This idempotency_key belongs to a booking that was cancelled. Use a new idempotency_key for a new booking.");
                return _events[earlier].Appointment;
            }
            if (Unbookable(local, except: null) is { } refused) throw refused;
            var id = "evt" + ++_nextId;
            var booked = new BookedAppointment(id, Slot(local).Start, Slot(local).Start.PlusMinutes(durationMinutes ?? 60));
            _events[id] = (booked, personName);
            _eventIdByKey[idempotencyKey] = id;
            return booked;
        }
    }

    private BookedAppointment Reschedule(string eventId, OffsetDateTime newStart)
    {
        var local = newStart.InZone(Zone).LocalDateTime;
        lock (_gate)
        {
            if (!_events.TryGetValue(eventId, out var old))
                throw new BookingRefusedException("No such appointment.", CalendarErrorCodes.NotFound, []);
            if (local < Now.LocalDateTime) throw Invalid("new_start_iso is in the past.");
            if (Unbookable(local, except: eventId) is { } refused) throw refused;
            var start = Slot(local).Start;
            var moved = new BookedAppointment(eventId, start, start + (old.Appointment.End - old.Appointment.Start));
            _events[eventId] = (moved, old.Name);
            return moved;
        }
    }

    /// <summary>Like the real tool: cancelling again is done (a retry is safe); an id never booked is not found.</summary>
    private void Cancel(string eventId)
    {
        lock (_gate)
        {
            if (_events.Remove(eventId)) _cancelled.Add(eventId);
            else if (!_cancelled.Contains(eventId)) throw new BookingRefusedException("No such appointment.", CalendarErrorCodes.NotFound, []);
        }
    }

    private IReadOnlyList<FreeSlot> FindNext(LocalDateTime from, int count, PartOfDay? partOfDay)
    {
        var earliest = from < Now.LocalDateTime ? Now.LocalDateTime : from;
        return Enumerable.Range(0, HorizonDays + 1)
            .SelectMany(d => FreeStarts(earliest.Date.PlusDays(d)))
            .Where(s => s >= earliest && (partOfDay is not { } part || InPart(s.TimeOfDay, part)))
            .Take(Math.Clamp(count, 1, ToolArgumentNames.MaxCount))
            .Select(Slot)
            .ToList();
    }

    /// <summary>The parts of the day as <see cref="ToolArgumentNames.PartOfDay"/> defines them: before 12:00, 12:00 to 18:00, from 18:00.</summary>
    private static bool InPart(LocalTime time, PartOfDay part) => part switch
    {
        PartOfDay.Morning => time.Hour < 12,
        PartOfDay.Afternoon => time.Hour is >= 12 and < 18,
        _ => time.Hour >= 18,
    };

    private sealed class Session(FakeCalendar calendar, string customerId) : ICalendarSession
    {
        public string CustomerId => customerId;

        public Task<CompanyTime> GetCurrentTimeAsync(CancellationToken cancellationToken = default) =>
            Answer(() => new CompanyTime(Now));

        public Task<DaySlots> GetAvailableSlotsAsync(LocalDate date, CancellationToken cancellationToken = default) =>
            Answer(() => new DaySlots(date, Zone.Id, calendar.FreeStarts(date).Select(Slot).ToList()));

        public Task<IReadOnlyList<FreeSlot>> FindNextAvailableSlotsAsync(LocalDateTime from, int count, PartOfDay? partOfDay = null,
            CancellationToken cancellationToken = default) =>
            Answer(() => calendar.FindNext(from, count, partOfDay));

        public async Task<BookedAppointment> BookAppointmentAsync(OffsetDateTime start, int? durationMinutes, string personName,
            string idempotencyKey, CancellationToken cancellationToken = default)
        {
            ThrowIfUnusable();
            return await calendar.BookAsync(start, durationMinutes, personName, idempotencyKey, cancellationToken);
        }

        public Task<BookedAppointment> RescheduleAppointmentAsync(string eventId, OffsetDateTime newStart, CancellationToken cancellationToken = default) =>
            Answer(() => calendar.Reschedule(eventId, newStart));

        public Task CancelAppointmentAsync(string eventId, CancellationToken cancellationToken = default) =>
            Answer(() =>
            {
                calendar.Cancel(eventId);
                return true;
            });

        /// <summary>The channel tests run the assistant's rule mode, which lists no tools; the model's mode needs an MCP server (the Assistant tests' FakeCalendarServer).</summary>
        public Task<IReadOnlyList<McpClientTool>> ListToolsAsync(CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("FakeCalendar is no MCP server: it has no tools for a language model.");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private void ThrowIfUnusable()
        {
            if (calendar.Unusable(customerId) is { } unusable) throw unusable;
        }

        /// <summary>The answer, or the failure the call meets, as a task (the adapter fails asynchronously too).</summary>
        private Task<T> Answer<T>(Func<T> answer)
        {
            try
            {
                ThrowIfUnusable();
                return Task.FromResult(answer());
            }
            catch (McpCalendarException e)
            {
                return Task.FromException<T>(e);
            }
        }
    }
}
