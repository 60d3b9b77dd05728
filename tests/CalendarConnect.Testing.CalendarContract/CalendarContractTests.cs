using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.Assistant.Understanding;
using NodaTime;

namespace CalendarConnect.Testing.CalendarContract;

/// <summary>
/// The calendar contract as the assistant relies on it, through <see cref="ICalendarSession"/>: what is free, booking
/// (once per idempotency key, never over a busy time), moving, cancelling, and the codes of
/// <see cref="CalendarErrorCodes"/> a caller answers from. Each calendar the tests stand on derives this class with its
/// <see cref="ICalendarStage"/>: the real MCP server with the Google emulator, and every fake that stands in for it, so
/// a fake that drifts from the real server fails here, named.
/// </summary>
/// <remarks>
/// Every test picks its days from the calendar's own today (<see cref="ICalendarSession.GetCurrentTimeAsync"/>), so the
/// fakes' fixed "now" and the real server's clock both work; only what a caller can observe is asserted (starts and
/// ends with their offsets, codes, alternatives), never a message's wording.
/// </remarks>
public abstract class CalendarContractTests : IAsyncLifetime
{
    /// <summary>The company's zone in every stage.</summary>
    public static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["America/Argentina/Buenos_Aires"];

    /// <summary>The hours a slot starts at on a weekday (09:00 to 18:00 in 60-minute slots).</summary>
    protected static readonly IReadOnlyList<int> OpenHours = Enumerable.Range(9, 9).ToList();

    protected const string Person = "Ana Pérez";

    protected ICalendarStage Stage { get; private set; } = null!;

    /// <summary>A fresh calendar for one test (or a fresh company on a calendar server shared by the class).</summary>
    protected abstract Task<ICalendarStage> StartStageAsync();

    public async ValueTask InitializeAsync() => Stage = await StartStageAsync();

    public async ValueTask DisposeAsync()
    {
        await Stage.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected ICalendarSession Open(string? company = null) => Stage.Adapter.OpenSession(company ?? Stage.ConnectedCompany);

    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A Monday to Thursday at least two days after the company's today: all of it and of the next day is bookable.</summary>
    protected static async Task<LocalDate> OpenDayAsync(ICalendarSession session)
    {
        var day = (await session.GetCurrentTimeAsync(Cancel)).Date.PlusDays(2);
        while (day.DayOfWeek is IsoDayOfWeek.Friday or IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday) day = day.PlusDays(1);
        return day;
    }

    protected static OffsetDateTime At(LocalDate day, int hour) => day.At(new LocalTime(hour, 0)).InZoneStrictly(Zone).ToOffsetDateTime();

    protected static string Key() => "contract-" + Guid.NewGuid().ToString("N");

    protected static async Task<IReadOnlyList<int>> FreeHoursAsync(ICalendarSession session, LocalDate day) =>
        (await session.GetAvailableSlotsAsync(day, Cancel)).Slots.Select(s => s.Start.Hour).ToList();

    [Fact]
    public async Task The_current_time_is_the_company_s_in_its_zone()
    {
        await using var session = Open();
        var now = await session.GetCurrentTimeAsync(Cancel);
        Assert.Equal(Zone.Id, now.Zone.Id);
        Assert.Equal(now.Now.Date, now.Date);
    }

    [Fact]
    public async Task A_free_weekday_offers_every_hour_from_nine_to_six_in_the_company_s_offset()
    {
        await using var session = Open();
        var day = await OpenDayAsync(session);
        var slots = await session.GetAvailableSlotsAsync(day, Cancel);
        Assert.Equal(day, slots.Date);
        Assert.Equal(Zone.Id, slots.TimeZone);
        Assert.Equal(OpenHours.Select(h => (At(day, h), At(day, h + 1))), slots.Slots.Select(s => (s.Start, s.End)));
    }

    [Fact]
    public async Task A_weekend_day_offers_nothing()
    {
        await using var session = Open();
        var day = await OpenDayAsync(session);
        while (day.DayOfWeek != IsoDayOfWeek.Saturday) day = day.PlusDays(1);
        Assert.Empty((await session.GetAvailableSlotsAsync(day, Cancel)).Slots);
        Assert.Empty((await session.GetAvailableSlotsAsync(day.PlusDays(1), Cancel)).Slots);
    }

    [Fact]
    public async Task The_company_s_own_events_are_not_offered()
    {
        await using var session = Open();
        var day = await OpenDayAsync(session);
        await Stage.AddEventAsync(day.At(new LocalTime(11, 0)), day.At(new LocalTime(12, 30)));
        Assert.Equal(OpenHours.Except([11, 12]), await FreeHoursAsync(session, day));
    }

    [Fact]
    public async Task The_next_free_slots_start_at_the_moment_asked_and_skip_busy_time_into_the_next_day()
    {
        await using var session = Open();
        var day = await OpenDayAsync(session);
        await Stage.AddEventAsync(day.PlusDays(1).At(new LocalTime(9, 0)), day.PlusDays(1).At(new LocalTime(10, 0)));
        var slots = await session.FindNextAvailableSlotsAsync(day.At(new LocalTime(16, 0)), 3, cancellationToken: Cancel);
        Assert.Equal([(At(day, 16), At(day, 17)), (At(day, 17), At(day, 18)), (At(day.PlusDays(1), 10), At(day.PlusDays(1), 11))],
            slots.Select(s => (s.Start, s.End)));
    }

    [Fact]
    public async Task The_next_free_slots_in_the_afternoon_start_from_noon()
    {
        await using var session = Open();
        var day = await OpenDayAsync(session);
        var slots = await session.FindNextAvailableSlotsAsync(day.At(LocalTime.Midnight), 4, PartOfDay.Afternoon, Cancel);
        Assert.Equal([At(day, 12), At(day, 13), At(day, 14), At(day, 15)], slots.Select(s => s.Start));
    }

    [Fact]
    public async Task Booking_a_free_hour_returns_it_in_the_company_s_offset_and_takes_it()
    {
        await using var session = Open();
        var day = await OpenDayAsync(session);
        var booked = await session.BookAppointmentAsync(At(day, 10), null, Person, Key(), Cancel);
        Assert.False(string.IsNullOrWhiteSpace(booked.EventId));
        Assert.Equal((At(day, 10), At(day, 11)), (booked.Start, booked.End));
        Assert.Equal(OpenHours.Except([10]), await FreeHoursAsync(session, day));
    }

    [Fact]
    public async Task Booking_again_with_the_same_key_returns_the_same_appointment()
    {
        await using var session = Open();
        var day = await OpenDayAsync(session);
        var key = Key();
        var first = await session.BookAppointmentAsync(At(day, 10), null, Person, key, Cancel);
        var again = await session.BookAppointmentAsync(At(day, 10), null, Person, key, Cancel);
        Assert.Equal(first, again);
        Assert.Equal(OpenHours.Except([10]), await FreeHoursAsync(session, day));
    }

    [Fact]
    public async Task A_second_booking_of_a_taken_hour_is_refused_as_slot_taken_with_free_alternatives()
    {
        await using var session = Open();
        var day = await OpenDayAsync(session);
        await session.BookAppointmentAsync(At(day, 10), null, Person, Key(), Cancel);
        var refused = await Assert.ThrowsAsync<BookingRefusedException>(() => session.BookAppointmentAsync(At(day, 10), null, "Luis Gómez", Key(), Cancel));
        Assert.Equal(CalendarErrorCodes.SlotTaken, refused.Code);
        Assert.NotEmpty(refused.Alternatives);
        var free = (await session.GetAvailableSlotsAsync(day, Cancel)).Slots.Select(s => s.Start).ToList();
        Assert.All(refused.Alternatives.Where(a => a.Date == day), a => Assert.Contains(a, free));
        Assert.DoesNotContain(At(day, 10), refused.Alternatives);
    }

    [Fact]
    public async Task Booking_over_an_event_of_the_company_is_refused_as_slot_taken()
    {
        await using var session = Open();
        var day = await OpenDayAsync(session);
        await Stage.AddEventAsync(day.At(new LocalTime(14, 0)), day.At(new LocalTime(15, 0)));
        var refused = await Assert.ThrowsAsync<BookingRefusedException>(() => session.BookAppointmentAsync(At(day, 14), null, Person, Key(), Cancel));
        Assert.Equal(CalendarErrorCodes.SlotTaken, refused.Code);
        Assert.DoesNotContain(At(day, 14), refused.Alternatives);
    }

    [Fact]
    public async Task Moving_an_appointment_keeps_its_id_and_length_and_frees_the_old_hour()
    {
        await using var session = Open();
        var day = await OpenDayAsync(session);
        var booked = await session.BookAppointmentAsync(At(day, 10), null, Person, Key(), Cancel);
        var moved = await session.RescheduleAppointmentAsync(booked.EventId, At(day, 15), Cancel);
        Assert.Equal((booked.EventId, At(day, 15), At(day, 16)), (moved.EventId, moved.Start, moved.End));
        Assert.Equal(OpenHours.Except([15]), await FreeHoursAsync(session, day));
    }

    [Fact]
    public async Task Moving_onto_a_taken_hour_is_refused_and_the_appointment_stays()
    {
        await using var session = Open();
        var day = await OpenDayAsync(session);
        var booked = await session.BookAppointmentAsync(At(day, 10), null, Person, Key(), Cancel);
        await session.BookAppointmentAsync(At(day, 11), null, "Luis Gómez", Key(), Cancel);
        var refused = await Assert.ThrowsAsync<BookingRefusedException>(() => session.RescheduleAppointmentAsync(booked.EventId, At(day, 11), Cancel));
        Assert.Equal(CalendarErrorCodes.SlotTaken, refused.Code);
        Assert.Equal(OpenHours.Except([10, 11]), await FreeHoursAsync(session, day));
    }

    [Fact]
    public async Task Cancelling_frees_the_hour_and_cancelling_again_is_answered_as_done()
    {
        await using var session = Open();
        var day = await OpenDayAsync(session);
        var booked = await session.BookAppointmentAsync(At(day, 10), null, Person, Key(), Cancel);
        await session.CancelAppointmentAsync(booked.EventId, Cancel);
        Assert.Equal(OpenHours, await FreeHoursAsync(session, day));
        await session.CancelAppointmentAsync(booked.EventId, Cancel);
    }

    [Fact]
    public async Task A_cancelled_appointment_cannot_be_moved()
    {
        await using var session = Open();
        var day = await OpenDayAsync(session);
        var booked = await session.BookAppointmentAsync(At(day, 10), null, Person, Key(), Cancel);
        await session.CancelAppointmentAsync(booked.EventId, Cancel);
        var refused = await Assert.ThrowsAsync<BookingRefusedException>(() => session.RescheduleAppointmentAsync(booked.EventId, At(day, 15), Cancel));
        Assert.Equal(CalendarErrorCodes.NotFound, refused.Code);
    }

    /// <summary>An id of the form the server gives (Google's base32hex alphabet) that no booking has.</summary>
    private const string NoSuchEvent = "0123456789abcdefghijklmnopqrstuv0123456789abcdefghij";

    [Fact]
    public async Task Moving_or_cancelling_an_appointment_that_does_not_exist_is_not_found()
    {
        await using var session = Open();
        var day = await OpenDayAsync(session);
        var move = await Assert.ThrowsAsync<BookingRefusedException>(() => session.RescheduleAppointmentAsync(NoSuchEvent, At(day, 15), Cancel));
        Assert.Equal(CalendarErrorCodes.NotFound, move.Code);
        var cancel = await Assert.ThrowsAsync<BookingRefusedException>(() => session.CancelAppointmentAsync(NoSuchEvent, Cancel));
        Assert.Equal(CalendarErrorCodes.NotFound, cancel.Code);
    }

    [Fact]
    public async Task A_company_that_never_connected_is_not_connected_for_reads_and_writes()
    {
        await using var session = Open(Stage.NeverConnectedCompany);
        var read = await Assert.ThrowsAsync<CalendarUnavailableException>(() => session.GetCurrentTimeAsync(Cancel));
        Assert.Equal(CalendarErrorCodes.NotConnected, read.Code);
        var write = await Assert.ThrowsAsync<CalendarUnavailableException>(() =>
            session.BookAppointmentAsync(At(new LocalDate(2030, 1, 7), 10), null, Person, Key(), Cancel));
        Assert.Equal(CalendarErrorCodes.NotConnected, write.Code);
    }

    [Fact]
    public void A_company_id_outside_the_rule_is_refused_before_any_call()
    {
        Assert.Throws<ArgumentException>(() => Stage.Adapter.OpenSession("no es un id"));
        Assert.Throws<ArgumentException>(() => Stage.Adapter.OpenSession(""));
    }

    [Fact]
    public async Task Company_ids_differing_only_in_case_are_the_same_company()
    {
        await using var session = Open(Stage.ConnectedCompany.ToUpperInvariant());
        Assert.Equal(Stage.ConnectedCompany, session.CustomerId);
        var day = await OpenDayAsync(session);
        Assert.Equal(OpenHours, await FreeHoursAsync(session, day));
    }

    [Fact]
    public async Task A_name_with_a_bidirectional_control_is_an_invalid_argument_and_books_nothing()
    {
        await using var session = Open();
        var day = await OpenDayAsync(session);
        var invalid = await Assert.ThrowsAsync<CalendarUnavailableException>(() =>
            session.BookAppointmentAsync(At(day, 10), null, "Ana\u202Egnp.exe", Key(), Cancel));
        Assert.Equal(CalendarErrorCodes.InvalidArgument, invalid.Code);
        Assert.Equal(OpenHours, await FreeHoursAsync(session, day));
    }

    [Fact]
    public async Task A_start_in_the_past_is_an_invalid_argument()
    {
        await using var session = Open();
        var yesterday = (await session.GetCurrentTimeAsync(Cancel)).Date.PlusDays(-1);
        var invalid = await Assert.ThrowsAsync<CalendarUnavailableException>(() =>
            session.BookAppointmentAsync(At(yesterday, 10), null, Person, Key(), Cancel));
        Assert.Equal(CalendarErrorCodes.InvalidArgument, invalid.Code);
    }

    [Fact]
    public async Task Google_failing_is_calendar_unavailable()
    {
        await using var session = Open();
        var day = await OpenDayAsync(session);
        await Stage.BreakGoogleAsync();
        var failed = await Assert.ThrowsAsync<CalendarUnavailableException>(() => session.GetAvailableSlotsAsync(day, Cancel));
        Assert.Equal(CalendarErrorCodes.CalendarUnavailable, failed.Code);
    }
}
