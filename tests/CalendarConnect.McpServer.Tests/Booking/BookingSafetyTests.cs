using System.Net;
using System.Text;
using CalendarConnect.GoogleEmulator.Calendar;
using CalendarConnect.McpServer.Availability;
using CalendarConnect.McpServer.Booking;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.McpServer.Storage;
using CalendarConnect.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CalendarConnect.McpServer.Tests.Booking.BookingToolsTests;

namespace CalendarConnect.McpServer.Tests.Booking;

/// <summary>
/// Review findings on booking safety: the lease guarantee when work outlives the lease, idempotency keys naming one
/// request, stale rows, the table in the slot tools, reschedule holds, buffers both ways, unknown insert outcomes.
/// </summary>
public class BookingSafetyTests
{
    private const string Email = "contacto@empresa-abc.com";
    private const string Customer = "empresa-abc-123";

    private static int Ours(McpServerHarness h) =>
        h.EmulatorEvents(Email).Count(e => e["extendedProperties"]?["private"]?["calendarconnect_customer_id"] is not null &&
            e["status"]?.GetValue<string>() != "cancelled");

    private static async Task<List<string>> SlotsAsync(McpServerHarness h, string date)
    {
        var slots = Ok(await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = date }));
        return slots.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("start").GetString()!).ToList();
    }

    private static async Task InsertRowAsync(McpServerHarness h, string eventId, string status, string start, string end, DateTimeOffset updated)
    {
        await using var connection = await h.Database.OpenAsync();
        await connection.ExecuteAsync(
            """
            INSERT INTO appointments (customer_id, event_id, calendar_id, start_utc, end_utc, status, idempotency_key, customer_name, created_at, updated_at)
            VALUES (@c, @e, 'primary', @start, @end, @status, NULL, 'Otro', @at, @at)
            """,
            new { c = Customer, e = eventId, start, end, status, at = IsoUtc.Format(updated) });
    }

    /// <summary>Another replica takes the lease while this booking waits on freeBusy (its lease ran out): the booking must not write or insert.</summary>
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_booking_that_lost_its_lease_books_nothing(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine, configureServices: services =>
            services.AddHttpClient<GoogleCalendarClient>().AddHttpMessageHandler(sp => new StealLeaseOnFreeBusy(sp.GetRequiredService<TokenDatabase>())));
        await h.ConnectAsync(Customer, Email);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");

        var result = await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T10:00:00-03:00", key: "k-lease"));
        Assert.Equal("calendar_unavailable", ErrorCode(result));
        Assert.Equal(0, Ours(h));
        await using var connection = await h.Database.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM appointments"));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task An_idempotency_key_reused_for_another_booking_is_refused(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync(Customer, Email);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        var first = Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T10:00:00-03:00", "Ana", key: "k-1", minutes: 60)));

        foreach (var other in new[]
                 {
                     BookArgs($"{d}T14:00:00-03:00", "Ana", key: "k-1", minutes: 60),
                     BookArgs($"{d}T10:00:00-03:00", "Ana", key: "k-1", minutes: 30),
                     BookArgs($"{d}T10:00:00-03:00", "Luis", key: "k-1", minutes: 60),
                 })
        {
            var refused = await h.CallAsync(Customer, "book_appointment", other);
            Assert.Equal("invalid_argument", ErrorCode(refused));
            Assert.Contains("already used for a different booking", McpServerHarness.TextOf(refused));
        }

        // The true retry still gets its booking, also after the appointment was moved.
        var eventId = first.GetProperty("event_id").GetString();
        Assert.Equal(eventId, Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T10:00:00-03:00", "Ana", key: "k-1", minutes: 60)))
            .GetProperty("event_id").GetString());
        Ok(await h.CallAsync(Customer, "reschedule_appointment", new() { ["event_id"] = eventId, ["new_start_iso"] = $"{d}T12:00:00-03:00" }));
        Assert.Equal(eventId, Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T10:00:00-03:00", "Ana", key: "k-1", minutes: 60)))
            .GetProperty("event_id").GetString());
        Assert.Equal(1, Ours(h));
    }

    /// <summary>A booking in flight (fresh pending row) is busy for the slot tools too; a stale one Google never got blocks nothing.</summary>
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Slot_tools_see_bookings_in_flight_and_stale_rows_are_resolved(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync(Customer, Email);
        var day = McpServerHarness.NextWeekday();
        var d = day.ToString("yyyy-MM-dd");
        await InsertRowAsync(h, "inflight00000", AppointmentStatus.Pending, $"{d}T15:00:00Z", $"{d}T16:00:00Z", DateTimeOffset.UtcNow);
        await InsertRowAsync(h, "crashed000000", AppointmentStatus.Pending, $"{d}T13:00:00Z", $"{d}T14:00:00Z", DateTimeOffset.UtcNow.AddMinutes(-10));

        var slots = await SlotsAsync(h, d);
        Assert.DoesNotContain($"{d}T12:00:00-03:00", slots); // 15:00Z, in flight
        Assert.Contains($"{d}T10:00:00-03:00", slots);      // 13:00Z, stale and unknown to Google
        await using (var connection = await h.Database.OpenAsync())
            Assert.Equal(["inflight00000"], await connection.QueryAsync<string>("SELECT event_id FROM appointments"));

        // Book and the slot tools agree: the time in flight is refused, and not offered as an alternative either.
        var taken = await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T12:00:00-03:00", minutes: 60));
        Assert.Equal("slot_taken", ErrorCode(taken));
        var alternatives = taken.Meta!["calendarconnect/alternatives"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.DoesNotContain($"{d}T12:00:00-03:00", alternatives);
        Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T10:00:00-03:00")));
    }

    /// <summary>A stale pending row whose event Google did create is confirmed at Google's times.</summary>
    [Fact]
    public async Task A_stale_pending_row_whose_event_exists_is_confirmed()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        await h.AddEventAsync(Email, new
        {
            id = "madeatgoogle1", start = new { dateTime = $"{d}T10:00:00-03:00" }, end = new { dateTime = $"{d}T11:00:00-03:00" },
            extendedProperties = new { @private = new Dictionary<string, string> { [BookingService.MarkerProperty] = Customer } },
        });
        await InsertRowAsync(h, "madeatgoogle1", AppointmentStatus.Pending, $"{d}T13:00:00Z", $"{d}T14:00:00Z", DateTimeOffset.UtcNow.AddMinutes(-10));

        Assert.DoesNotContain($"{d}T10:00:00-03:00", await SlotsAsync(h, d));
        await using var connection = await h.Database.OpenAsync();
        Assert.Equal("confirmed", await connection.QuerySingleAsync<string>("SELECT status FROM appointments WHERE event_id = 'madeatgoogle1'"));
    }

    /// <summary>An appointment deleted in Google Calendar, once list_appointments sees it, no longer blocks its time in our table.</summary>
    [Fact]
    public async Task An_appointment_deleted_in_google_is_recorded_when_listed()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        var eventId = Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T10:00:00-03:00"))).GetProperty("event_id").GetString()!;
        Assert.Null(h.Emulator.GetRequiredService<CalendarEvents>().Delete(Email, eventId));

        var listed = Ok(await h.CallAsync(Customer, "list_appointments", new() { ["from_iso"] = d, ["to_iso"] = d }));
        Assert.Equal("cancelled", listed.GetProperty("appointments")[0].GetProperty("status").GetString());
        await using var connection = await h.Database.OpenAsync();
        Assert.Equal("cancelled", await connection.QuerySingleAsync<string>("SELECT status FROM appointments WHERE event_id = @eventId", new { eventId }));
        Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T10:00:00-03:00", "Luis")));
    }

    /// <summary>The new time of a reschedule is held before Google is asked to move the event, and given back after.</summary>
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_reschedule_holds_its_new_time_while_google_moves_the_event(string engine)
    {
        var seen = new List<string>();
        var fail = new Flag(false);
        await using var h = await McpServerHarness.StartAsync(engine: engine, configureServices: services =>
            services.AddHttpClient<GoogleCalendarClient>().AddHttpMessageHandler(sp =>
                new ObservePatch(sp.GetRequiredService<TokenDatabase>(), seen, fail)));
        await h.ConnectAsync(Customer, Email);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        var eventId = Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T10:00:00-03:00"))).GetProperty("event_id").GetString()!;

        Ok(await h.CallAsync(Customer, "reschedule_appointment", new() { ["event_id"] = eventId, ["new_start_iso"] = $"{d}T14:00:00-03:00" }));
        Assert.Contains($"hold {d}T17:00:00Z", seen);

        // A move Google refuses gives the held time back and leaves the appointment where it is.
        fail.Value = true;
        var failed = await h.CallAsync(Customer, "reschedule_appointment", new() { ["event_id"] = eventId, ["new_start_iso"] = $"{d}T16:00:00-03:00" });
        Assert.Equal("calendar_unavailable", ErrorCode(failed));
        Assert.Contains($"hold {d}T19:00:00Z", seen);
        await using var connection = await h.Database.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM appointments WHERE status = 'hold'"));
        Assert.Equal($"{d}T17:00:00Z", await connection.QuerySingleAsync<string>("SELECT start_utc FROM appointments WHERE event_id = @eventId", new { eventId }));
        fail.Value = false;
        Assert.Contains($"{d}T16:00:00-03:00", await SlotsAsync(h, d));
    }

    /// <summary>With 30 minutes after each appointment, an appointment of ours blocks the 30 minutes after it for the next one.</summary>
    [Fact]
    public async Task Buffers_of_our_appointments_apply_both_ways()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        using (var http = h.ServiceClient())
        {
            using var put = await http.PutAsync($"/customers/{Customer}/booking-settings",
                new StringContent("""{"buffer_after_minutes": 30, "slot_minutes": 30}""", Encoding.UTF8, "application/json"));
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T10:00:00-03:00", minutes: 60)));
        Assert.Equal("slot_taken", ErrorCode(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T11:00:00-03:00", "Luis", minutes: 30))));
        var slots = await SlotsAsync(h, d);
        Assert.DoesNotContain($"{d}T11:00:00-03:00", slots);
        Assert.Contains($"{d}T11:30:00-03:00", slots);
        Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T11:30:00-03:00", "Luis", minutes: 30)));
    }

    /// <summary>Insert and lookup both fail: the outcome is unknown, so the time stays held and the caller is told to retry with the same key.</summary>
    [Fact]
    public async Task An_unknown_insert_outcome_keeps_the_time_and_a_retry_settles_it()
    {
        var down = new Flag(true);
        await using var h = await McpServerHarness.StartAsync(configureServices: services =>
            services.AddHttpClient<GoogleCalendarClient>().AddHttpMessageHandler(() => new EventsDown(down)));
        await h.ConnectAsync(Customer, Email);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");

        var unknown = await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T10:00:00-03:00", key: "k-unknown"));
        Assert.Equal("calendar_unavailable", ErrorCode(unknown));
        Assert.Contains("same idempotency_key", McpServerHarness.TextOf(unknown));
        Assert.DoesNotContain("Nothing was booked", McpServerHarness.TextOf(unknown));
        await using (var connection = await h.Database.OpenAsync())
            Assert.Equal("pending", await connection.QuerySingleAsync<string>("SELECT status FROM appointments"));

        down.Value = false;
        Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T10:00:00-03:00", key: "k-unknown")));
        Assert.Equal(1, Ours(h));
    }

    /// <summary>What the booking lease of the test company's calendar is keyed by.</summary>
    private static string LeaseKey => CalendarKeys.For(Email, Customer, "primary");

    /// <summary>
    /// A replica died holding the lease a moment ago: a booking waits its share of the budget in line, then answers
    /// "busy" itself (nothing booked), before the tool deadline could answer "may or may not", and says so in the log.
    /// </summary>
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_booking_that_waits_too_long_for_the_lease_answers_busy_within_its_budget_and_is_logged(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync(Customer, Email);
        await using (var connection = await h.Database.OpenAsync())
            await connection.ExecuteAsync("INSERT INTO booking_write_leases (lease_key, holder, expires_at) VALUES (@LeaseKey, 'dead-replica', @later)",
                new { LeaseKey, later = BookingLeases.LeaseTime(DateTimeOffset.UtcNow.AddMinutes(1)) });
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");

        var result = await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T10:00:00-03:00", key: "k-busy"));
        Assert.Equal("calendar_unavailable", ErrorCode(result));
        Assert.Contains("busy with other bookings", McpServerHarness.TextOf(result));
        Assert.Contains(h.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("gave up waiting", StringComparison.Ordinal) &&
            l.Contains(Customer, StringComparison.Ordinal) && l.Contains("number 1 in line", StringComparison.Ordinal));
        Assert.Equal(0, Ours(h));
        await using (var connection = await h.Database.OpenAsync())
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM appointments"));
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM booking_lease_queue"));
        }
    }

    /// <summary>
    /// Another company connected to the same Google account has a booking in flight (or of unknown outcome) there: its
    /// pending row takes the time for this company too, in the slot tools and in booking.
    /// </summary>
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Another_companys_booking_in_flight_on_the_same_google_calendar_takes_the_time(string engine)
    {
        const string other = "empresa-xyz-456";
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync(Customer, Email);
        var redirect = await GoogleConsent.DecideAsync((await h.AuthorizeAsync(other, Email)).GetProperty("authorization_url").GetString()!, Email, allow: true);
        using (var callback = await h.DeliverCallbackAsync(redirect))
            Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        await using (var connection = await h.Database.OpenAsync())
            await connection.ExecuteAsync(
                """
                INSERT INTO appointments (customer_id, event_id, calendar_id, start_utc, end_utc, status, idempotency_key, customer_name, created_at,
                    updated_at, calendar_key)
                VALUES (@other, 'otherinflight', 'primary', @start, @end, 'pending', NULL, 'Otro', @at, @at, @key)
                """,
                new { other, start = $"{d}T13:00:00Z", end = $"{d}T14:00:00Z", at = IsoUtc.Format(DateTimeOffset.UtcNow), key = CalendarKeys.For(Email, other, "primary") });

        Assert.DoesNotContain($"{d}T10:00:00-03:00", await SlotsAsync(h, d));
        Assert.Equal("slot_taken", ErrorCode(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T10:00:00-03:00", "Luis"))));
        Assert.Equal(0, Ours(h));
    }

    /// <summary>The caller goes away while its booking waits in line: the booking never takes the lease and asks Google nothing.</summary>
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_booking_whose_caller_went_away_while_it_waited_takes_no_lease_and_asks_google_nothing(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync(Customer, Email);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        var held = await h.Mcp.GetRequiredService<BookingLeases>().AcquireAsync(LeaseKey, "another-booking", TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.NotNull(held);
        await using var scope = h.Mcp.App.Services.CreateAsyncScope();
        var (context, _) = await scope.ServiceProvider.GetRequiredService<CompanyAvailability>().GetContextAsync(Customer, CancellationToken.None);
        var calendarCalls = (await h.EmulatorRequestsAsync()).EnumerateArray().Count(r => r.GetProperty("path").GetString()!.Contains("/calendar/"));

        using var caller = new CancellationTokenSource();
        var booking = scope.ServiceProvider.GetRequiredService<BookingService>().BookAsync(Customer, context!,
            NodaTime.Instant.FromDateTimeOffset(DateTimeOffset.Parse($"{d}T10:00:00-03:00", System.Globalization.CultureInfo.InvariantCulture)),
            NodaTime.Duration.FromHours(1), new AppointmentDetails("Ana", null, null, null), "k-gone", caller.Token);
        await Eventually.TrueAsync(async () =>
        {
            await using var connection = await h.Database.OpenAsync();
            return await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM booking_lease_queue") == 1;
        }, "the booking waits in line");
        await caller.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => booking);
        await held.DisposeAsync();

        await using (var connection = await h.Database.OpenAsync())
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM booking_lease_queue"));
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM booking_write_leases"));
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM appointments"));
        }

        Assert.Equal(calendarCalls, (await h.EmulatorRequestsAsync()).EnumerateArray().Count(r => r.GetProperty("path").GetString()!.Contains("/calendar/")));
        Assert.Equal(0, Ours(h));
    }

    /// <summary>A booking that crashed after writing its pending row, before Google got the event: its time is free again within 30 s.</summary>
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_crashed_pending_row_with_no_event_frees_its_slot_within_30_s(string engine)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await McpServerHarness.StartAsync(mcpTime: clock, engine: engine);
        await h.ConnectAsync(Customer, Email);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        await InsertRowAsync(h, "crashedbooking", AppointmentStatus.Pending, $"{d}T13:00:00Z", $"{d}T14:00:00Z", clock.GetUtcNow());
        // While it may still be a booking in flight, its time is taken.
        Assert.Equal("slot_taken", ErrorCode(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T10:00:00-03:00", "Luis"))));

        clock.Advance(TimeSpan.FromSeconds(30));
        var booked = Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T10:00:00-03:00", "Luis")));
        await using var connection = await h.Database.OpenAsync();
        Assert.Equal([booked.GetProperty("event_id").GetString()!], await connection.QueryAsync<string>("SELECT event_id FROM appointments"));
        Assert.Equal(1, Ours(h));
    }

    /// <summary>A booking that crashed after Google made its event, before its row was confirmed: the row is completed within 30 s.</summary>
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_crashed_pending_row_whose_event_exists_is_completed_within_30_s(string engine)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await McpServerHarness.StartAsync(mcpTime: clock, engine: engine);
        await h.ConnectAsync(Customer, Email);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        await h.AddEventAsync(Email, new
        {
            id = "crashedafterinsert", start = new { dateTime = $"{d}T10:00:00-03:00" }, end = new { dateTime = $"{d}T11:00:00-03:00" },
            extendedProperties = new { @private = new Dictionary<string, string> { [BookingService.MarkerProperty] = Customer } },
        });
        await InsertRowAsync(h, "crashedafterinsert", AppointmentStatus.Pending, $"{d}T13:00:00Z", $"{d}T14:00:00Z", clock.GetUtcNow());

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.DoesNotContain($"{d}T10:00:00-03:00", await SlotsAsync(h, d));
        await using var connection = await h.Database.OpenAsync();
        Assert.Equal("confirmed", await connection.QuerySingleAsync<string>("SELECT status FROM appointments WHERE event_id = 'crashedafterinsert'"));
        var listed = Ok(await h.CallAsync(Customer, "list_appointments", new() { ["from_iso"] = d, ["to_iso"] = d }));
        Assert.Equal("crashedafterinsert", listed.GetProperty("appointments")[0].GetProperty("event_id").GetString());
    }

    [Theory]
    [InlineData("T10:00:30-03:00")]
    [InlineData("T10:00:00.250-03:00")]
    public async Task A_start_off_the_whole_minute_is_refused(string time)
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        var result = await h.CallAsync(Customer, "book_appointment", BookArgs(d + time));
        Assert.Equal("invalid_argument", ErrorCode(result));
        Assert.Contains("whole minute", McpServerHarness.TextOf(result));
        Assert.Equal(0, Ours(h));
    }

    /// <summary>A switch a test flips while handlers on the server's HTTP threads read it.</summary>
    public sealed class Flag(bool value)
    {
        private volatile bool _value = value;
        public bool Value { get => _value; set => _value = value; }
    }

    private static bool IsEventsCall(HttpRequestMessage request) => request.RequestUri!.AbsolutePath.Contains("/events", StringComparison.Ordinal);

    /// <summary>During freeBusy, another holder takes the company's lease, as a replica would once this one's lease expired.</summary>
    private sealed class StealLeaseOnFreeBusy(TokenDatabase database) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/freeBusy", StringComparison.Ordinal))
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await connection.ExecuteAsync("UPDATE booking_write_leases SET holder = 'other-replica', expires_at = @later",
                    new { later = BookingLeases.LeaseTime(DateTimeOffset.UtcNow.AddMinutes(1)) });
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Records the holds present when Google is asked to move an event; fails moves (503) while told to.</summary>
    private sealed class ObservePatch(TokenDatabase database, List<string> seen, Flag fail) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Patch)
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                var holds = await connection.QueryAsync<string>("SELECT start_utc FROM appointments WHERE status = 'hold'");
                lock (seen) seen.AddRange(holds.Select(s => "hold " + s));
                if (fail.Value) return new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent("""{"error":{"code":400,"message":"bad"}}""") };
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>While down, every events call (insert and get) answers 503, as Google does in an outage.</summary>
    private sealed class EventsDown(Flag down) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            down.Value && IsEventsCall(request)
                ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("""{"error":{"code":503,"message":"backend"}}""") })
                : base.SendAsync(request, cancellationToken);
    }
}
