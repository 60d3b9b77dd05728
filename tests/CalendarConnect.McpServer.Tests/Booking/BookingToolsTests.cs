using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;

namespace CalendarConnect.McpServer.Tests.Booking;

/// <summary>book_appointment, cancel_appointment, reschedule_appointment and list_appointments against the emulator.</summary>
public class BookingToolsTests(BookingToolsTests.Connected connected) : IClassFixture<BookingToolsTests.Connected>
{
    private const string Email = "contacto@empresa-abc.com";
    private const string Customer = "empresa-abc-123";
    private const string OtherEmail = "agenda@empresa-xyz.com";
    private const string OtherCustomer = "empresa-xyz-9";

    /// <summary>The company connected, for the tests whose arguments are refused before anything is booked or Google is asked.</summary>
    public sealed class Connected : ClassServers
    {
        protected override Task SeedAsync(McpServerHarness harness) => harness.ConnectAsync(Customer, Email);
    }

    internal static Dictionary<string, object?> BookArgs(string start, string name = "Ana Pérez", string? key = null, int? minutes = null)
    {
        var args = new Dictionary<string, object?> { ["start_iso"] = start, ["customer_name"] = name };
        if (key is not null) args["idempotency_key"] = key;
        if (minutes is not null) args["duration_minutes"] = minutes;
        return args;
    }

    internal static JsonElement Ok(CallToolResult result)
    {
        Assert.True(result.IsError != true, McpServerHarness.TextOf(result));
        return result.StructuredContent!.Value;
    }

    internal static string ErrorCode(CallToolResult result)
    {
        Assert.True(result.IsError, "expected an error, got " + McpServerHarness.TextOf(result));
        return result.Meta!["calendarconnect/error_code"]!.GetValue<string>();
    }

    private static string[] Alternatives(CallToolResult result) =>
        result.Meta!["calendarconnect/alternatives"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    private static List<JsonObject> Ours(McpServerHarness h, string email = Email) =>
        h.EmulatorEvents(email).Where(e => e["extendedProperties"]?["private"]?["calendarconnect_customer_id"] is not null).ToList();

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Booking_creates_the_event_at_the_local_time_with_the_details_and_our_marker(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync(Customer, Email);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        var args = BookArgs($"{d}T15:00:00-03:00", "Ana Pérez");
        args["customer_phone"] = "+54 11 5555-1234";
        args["customer_email"] = "ana@example.com";
        args["notes"] = "Primera consulta.\nTrae estudios.";

        var booked = Ok(await h.CallAsync(Customer, "book_appointment", args));
        var eventId = booked.GetProperty("event_id").GetString()!;
        Assert.Matches("^[a-v0-9]{52}$", eventId);
        Assert.Equal($"{d}T15:00:00-03:00", booked.GetProperty("start").GetString());
        Assert.Equal($"{d}T16:00:00-03:00", booked.GetProperty("end").GetString());
        Assert.Equal($"{d}T18:00:00Z", booked.GetProperty("start_utc").GetString());
        Assert.Equal($"{d}T19:00:00Z", booked.GetProperty("end_utc").GetString());
        Assert.Equal(McpServerHarness.TimeZone, booked.GetProperty("time_zone").GetString());

        var stored = Assert.Single(h.EmulatorEvents(Email));
        Assert.Equal(eventId, stored["id"]!.GetValue<string>());
        Assert.Equal("Cita: Ana Pérez", stored["summary"]!.GetValue<string>());
        var description = stored["description"]!.GetValue<string>();
        Assert.Contains("+54 11 5555-1234", description);
        Assert.Contains("ana@example.com", description);
        Assert.Contains("Primera consulta.\nTrae estudios.", description);
        Assert.Equal($"{d}T15:00:00-03:00", stored["start"]!["dateTime"]!.GetValue<string>());
        Assert.Equal(McpServerHarness.TimeZone, stored["start"]!["timeZone"]!.GetValue<string>());
        Assert.Equal(Customer, stored["extendedProperties"]!["private"]!["calendarconnect_customer_id"]!.GetValue<string>());

        // The slot is gone from availability, and the appointment is in our table.
        var slots = Ok(await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = d }));
        Assert.DoesNotContain(slots.GetProperty("slots").EnumerateArray(), s => s.GetProperty("start").GetString() == $"{d}T15:00:00-03:00");
        await using var connection = await h.Database.OpenAsync();
        var status = await connection.QuerySingleAsync<string>("SELECT status FROM appointments WHERE customer_id = @c AND event_id = @e",
            new { c = Customer, e = eventId });
        Assert.Equal("confirmed", status);
    }

    [Fact]
    public async Task Busy_outside_hours_too_soon_and_beyond_horizon_answer_their_codes_with_alternatives()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        var day = McpServerHarness.NextWeekday();
        var d = day.ToString("yyyy-MM-dd");
        await h.AddEventAsync(Email, new { id = "busy10", start = new { dateTime = $"{d}T10:00:00-03:00" }, end = new { dateTime = $"{d}T11:00:00-03:00" } });

        var busy = await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T10:00:00-03:00"));
        Assert.Equal("slot_taken", ErrorCode(busy));
        var alternatives = Alternatives(busy);
        Assert.NotEmpty(alternatives);
        Assert.Contains($"{d}T09:00:00-03:00", alternatives);
        Assert.DoesNotContain($"{d}T10:00:00-03:00", alternatives);
        Assert.All(alternatives, a => Assert.Contains(a, McpServerHarness.TextOf(busy)));

        var evening = await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T17:30:00-03:00"));
        Assert.Equal("outside_business_hours", ErrorCode(evening));
        Assert.NotEmpty(Alternatives(evening));

        // Default minimum notice is 60 minutes: a start 10 minutes from now is too soon.
        var soon = DateTimeOffset.UtcNow.AddMinutes(10).ToOffset(TimeSpan.FromHours(-3));
        var tooSoon = await h.CallAsync(Customer, "book_appointment", BookArgs(soon.ToString("yyyy-MM-dd'T'HH:mm:00zzz")));
        Assert.Equal("too_soon", ErrorCode(tooSoon));

        var far = McpServerHarness.NextWeekday(90).ToString("yyyy-MM-dd");
        var beyond = await h.CallAsync(Customer, "book_appointment", BookArgs($"{far}T10:00:00-03:00"));
        Assert.Equal("beyond_horizon", ErrorCode(beyond));

        Assert.Empty(Ours(h));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_retry_returns_the_same_event_and_creates_no_second_one(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync(Customer, Email);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");

        var first = Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T11:00:00-03:00", key: "conv-42-turn-7")));
        var again = Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T11:00:00-03:00", key: "conv-42-turn-7")));
        Assert.Equal(first.GetRawText(), again.GetRawText());

        // Without a key, the same person and slot is the same booking too; another person meets "slot taken".
        var noKey = Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T14:00:00-03:00", "Luis")));
        var noKeyAgain = Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T14:00:00-03:00", "Luis")));
        Assert.Equal(noKey.GetProperty("event_id").GetString(), noKeyAgain.GetProperty("event_id").GetString());
        Assert.Equal("slot_taken", ErrorCode(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T14:00:00-03:00", "Marta"))));

        Assert.Equal(2, Ours(h).Count);
        var inserts = (await h.EmulatorRequestsAsync()).EnumerateArray()
            .Count(r => r.GetProperty("method").GetString() == "POST" && r.GetProperty("path").GetString()!.EndsWith("/events"));
        Assert.Equal(2, inserts);
    }

    /// <summary>Google created the event but its answer never arrived: the retry's insert meets 409 duplicate and returns that event.</summary>
    [Fact]
    public async Task A_lost_insert_answer_is_retried_into_409_duplicate_and_the_existing_event_returned()
    {
        var lost = new LostAnswers();
        await using var h = await McpServerHarness.StartAsync(configureServices: services =>
            services.AddHttpClient<GoogleCalendarClient>().AddHttpMessageHandler(() => new LoseFirstInsertAnswer(lost)));
        await h.ConnectAsync(Customer, Email);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");

        var booked = Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T12:00:00-03:00", key: "k-lost")));
        Assert.Equal(2, lost.Count); // the insert whose answer was lost, and the retry that met 409
        var stored = Assert.Single(h.EmulatorEvents(Email));
        Assert.Equal(stored["id"]!.GetValue<string>(), booked.GetProperty("event_id").GetString());
        var eventRequests = (await h.EmulatorRequestsAsync()).EnumerateArray()
            .Where(r => r.GetProperty("path").GetString()!.Contains("/events")).Select(r => r.GetProperty("method").GetString()).ToList();
        Assert.Equal(["POST", "POST", "GET"], eventRequests); // insert (answer lost), insert again → 409, get the existing one
    }

    /// <summary>The event exists at Google but our record of it is gone (a restored database): the retry finds it, never books again.</summary>
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_retry_after_a_lost_record_adopts_the_event_at_google(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync(Customer, Email);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        var first = Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T16:00:00-03:00", key: "k-restore")));
        await using (var connection = await h.Database.OpenAsync()) await connection.ExecuteAsync("DELETE FROM appointments");

        var again = Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T16:00:00-03:00", key: "k-restore")));
        Assert.Equal(first.GetProperty("event_id").GetString(), again.GetProperty("event_id").GetString());
        Assert.Single(h.EmulatorEvents(Email));
        // And it is ours again: it can be cancelled.
        Ok(await h.CallAsync(Customer, "cancel_appointment", new() { ["event_id"] = again.GetProperty("event_id").GetString() }));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Own_appointments_can_be_moved_and_cancelled(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync(Customer, Email);
        // Starts between the slots (15:30 below) are this company's choice.
        using (var http = h.ServiceClient())
            (await http.PutAsync($"/customers/{Customer}/booking-settings",
                new StringContent("""{"allow_off_grid_starts":true}""", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        var eventId = Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T15:00:00-03:00", minutes: 60)))
            .GetProperty("event_id").GetString()!;
        Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T17:00:00-03:00", "Otra persona")));

        // 15:30 overlaps the appointment's own current time, which does not count as busy.
        var moved = Ok(await h.CallAsync(Customer, "reschedule_appointment", new() { ["event_id"] = eventId, ["new_start_iso"] = $"{d}T15:30:00-03:00" }));
        Assert.Equal($"{d}T15:30:00-03:00", moved.GetProperty("start").GetString());
        Assert.Equal($"{d}T16:30:00-03:00", moved.GetProperty("end").GetString());
        var stored = h.EmulatorEvents(Email).Single(e => e["id"]!.GetValue<string>() == eventId);
        Assert.Equal($"{d}T15:30:00-03:00", stored["start"]!["dateTime"]!.GetValue<string>());

        // Onto the other appointment: refused, and the appointment stays where it was.
        var clash = await h.CallAsync(Customer, "reschedule_appointment", new() { ["event_id"] = eventId, ["new_start_iso"] = $"{d}T16:30:00-03:00" });
        Assert.Equal("slot_taken", ErrorCode(clash));
        Assert.NotEmpty(Alternatives(clash));
        Assert.Equal("outside_business_hours",
            ErrorCode(await h.CallAsync(Customer, "reschedule_appointment", new() { ["event_id"] = eventId, ["new_start_iso"] = $"{d}T20:00:00-03:00" })));
        stored = h.EmulatorEvents(Email).Single(e => e["id"]!.GetValue<string>() == eventId);
        Assert.Equal($"{d}T15:30:00-03:00", stored["start"]!["dateTime"]!.GetValue<string>());

        var cancelled = Ok(await h.CallAsync(Customer, "cancel_appointment", new() { ["event_id"] = eventId }));
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal("cancelled", h.EmulatorEvents(Email).Single(e => e["id"]!.GetValue<string>() == eventId)["status"]!.GetValue<string>());
        // Cancelling again is harmless; moving a cancelled appointment is not possible.
        Assert.Equal("cancelled", Ok(await h.CallAsync(Customer, "cancel_appointment", new() { ["event_id"] = eventId })).GetProperty("status").GetString());
        Assert.Equal("not_found",
            ErrorCode(await h.CallAsync(Customer, "reschedule_appointment", new() { ["event_id"] = eventId, ["new_start_iso"] = $"{d}T10:00:00-03:00" })));

        // The freed times can be booked again by the same person: new events, never the cancelled or moved one.
        var rebooked = Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T15:30:00-03:00", minutes: 60)));
        Assert.NotEqual(eventId, rebooked.GetProperty("event_id").GetString());
        var early = Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T09:00:00-03:00", minutes: 60))).GetProperty("event_id").GetString();
        Ok(await h.CallAsync(Customer, "reschedule_appointment", new() { ["event_id"] = early, ["new_start_iso"] = $"{d}T11:00:00-03:00" }));
        var again = Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T09:00:00-03:00", minutes: 60)));
        Assert.NotEqual(early, again.GetProperty("event_id").GetString());
        Assert.Equal($"{d}T09:00:00-03:00", again.GetProperty("start").GetString());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Another_companys_event_and_an_event_made_in_google_cannot_be_touched(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync(Customer, Email);
        await h.ConnectAsync(OtherCustomer, OtherEmail);
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        var theirs = Ok(await h.CallAsync(OtherCustomer, "book_appointment", BookArgs($"{d}T10:00:00-03:00")))
            .GetProperty("event_id").GetString()!;
        await h.AddEventAsync(Email, new { id = "directingoogle1", summary = "Reunión interna",
            start = new { dateTime = $"{d}T12:00:00-03:00" }, end = new { dateTime = $"{d}T13:00:00-03:00" } });

        foreach (var id in new[] { theirs, "directingoogle1" })
        {
            var cancel = await h.CallAsync(Customer, "cancel_appointment", new() { ["event_id"] = id });
            Assert.Equal("not_found", ErrorCode(cancel));
            Assert.DoesNotContain("Reunión", McpServerHarness.TextOf(cancel));
            Assert.Equal("not_found",
                ErrorCode(await h.CallAsync(Customer, "reschedule_appointment", new() { ["event_id"] = id, ["new_start_iso"] = $"{d}T15:00:00-03:00" })));
        }

        Assert.Equal("confirmed", h.EmulatorEvents(OtherEmail).Single()["status"]!.GetValue<string>());
        var direct = h.EmulatorEvents(Email).Single(e => e["id"]!.GetValue<string>() == "directingoogle1");
        Assert.Equal("confirmed", direct["status"]!.GetValue<string>());
        Assert.Equal($"{d}T12:00:00-03:00", direct["start"]!["dateTime"]!.GetValue<string>());
        var listed = Ok(await h.CallAsync(Customer, "list_appointments", new() { ["from_iso"] = d, ["to_iso"] = d }));
        Assert.Empty(listed.GetProperty("appointments").EnumerateArray());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task List_shows_our_appointments_in_the_range_in_the_companys_zone(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync(Customer, Email);
        var day = McpServerHarness.NextWeekday();
        var d = day.ToString("yyyy-MM-dd");
        var next = day.AddDays(day.DayOfWeek == DayOfWeek.Friday ? 3 : 1).ToString("yyyy-MM-dd");
        var a = Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T09:00:00-03:00", "Ana"))).GetProperty("event_id").GetString();
        // Given in UTC, shown in the company's zone.
        var b = Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{d}T14:00:00Z", "Bruno"))).GetProperty("event_id").GetString();
        Ok(await h.CallAsync(Customer, "book_appointment", BookArgs($"{next}T10:00:00-03:00", "Carla")));
        Ok(await h.CallAsync(Customer, "cancel_appointment", new() { ["event_id"] = b }));
        await h.AddEventAsync(Email, new { id = "notours1", start = new { dateTime = $"{d}T16:00:00-03:00" }, end = new { dateTime = $"{d}T17:00:00-03:00" } });

        var listed = Ok(await h.CallAsync(Customer, "list_appointments", new() { ["from_iso"] = d, ["to_iso"] = d }));
        Assert.Equal(McpServerHarness.TimeZone, listed.GetProperty("time_zone").GetString());
        var items = listed.GetProperty("appointments").EnumerateArray().ToList();
        Assert.Equal([a, b], items.Select(i => i.GetProperty("event_id").GetString()));
        Assert.Equal($"{d}T11:00:00-03:00", items[1].GetProperty("start").GetString());
        Assert.Equal(["confirmed", "cancelled"], items.Select(i => i.GetProperty("status").GetString()));
        Assert.Equal(["Ana", "Bruno"], items.Select(i => i.GetProperty("customer_name").GetString()));

        var wide = Ok(await h.CallAsync(Customer, "list_appointments", new() { ["from_iso"] = d, ["to_iso"] = next }));
        Assert.Equal(3, wide.GetProperty("appointments").GetArrayLength());
        Assert.Equal("invalid_argument", ErrorCode(await h.CallAsync(Customer, "list_appointments",
            new() { ["from_iso"] = d, ["to_iso"] = day.AddDays(100).ToString("yyyy-MM-dd") })));
        Assert.Equal("invalid_argument", ErrorCode(await h.CallAsync(Customer, "list_appointments", new() { ["from_iso"] = next, ["to_iso"] = d })));
    }

    public static TheoryData<string, object?> HostileBookings()
    {
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        return new()
        {
            { "customer_name", "" },
            { "customer_name", new string('A', 101) },
            { "customer_name", "Ana\u0000Pérez" },
            { "customer_name", "Ana\nPérez" },
            { "customer_name", "Ana\u202ePérez" },
            { "customer_phone", "+54 11 5555 1234 5555 1234 5555 1234" },
            { "customer_phone", "call me maybe" },
            { "customer_email", "not-an-email" },
            { "customer_email", "ana@example.com\r\nBcc: x@y.z" },
            { "notes", new string('x', 1001) },
            { "notes", "bell\u0007" },
            { "idempotency_key", new string('k', 201) },
            { "idempotency_key", "key\u001b[31m" },
            { "start_iso", "mañana a las 3" },
            { "start_iso", d },
            { "start_iso", $"{d}T25:00:00-03:00" },
            { "start_iso", new string('9', 5000) },
            { "start_iso", "2020-01-15T10:00:00-03:00" },
            { "duration_minutes", 0 },
            { "duration_minutes", 100000 },
        };
    }

    [Theory]
    [MemberData(nameof(HostileBookings))]
    public async Task Hostile_booking_arguments_answer_invalid_argument_and_book_nothing(string argument, object? value)
    {
        var h = await connected.ForAsync();
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        var args = BookArgs($"{d}T10:00:00-03:00");
        args[argument] = value;
        var result = await h.CallAsync(Customer, "book_appointment", args);
        Assert.Equal("invalid_argument", ErrorCode(result));
        Assert.Contains(argument, McpServerHarness.TextOf(result));
        Assert.Empty(h.EmulatorEvents(Email));
    }

    [Theory]
    [InlineData("")]
    [InlineData("../../calendars/primary")]
    [InlineData("ABCDEF")]
    [InlineData("abc")]
    [InlineData("wxyz12345")]
    public async Task Hostile_event_ids_answer_invalid_argument(string eventId)
    {
        var h = await connected.ForAsync();
        var d = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd");
        Assert.Equal("invalid_argument", ErrorCode(await h.CallAsync(Customer, "cancel_appointment", new() { ["event_id"] = eventId })));
        Assert.Equal("invalid_argument", ErrorCode(await h.CallAsync(Customer, "reschedule_appointment",
            new() { ["event_id"] = eventId, ["new_start_iso"] = $"{d}T10:00:00-03:00" })));
    }

    [Fact]
    public async Task Booking_tools_are_annotated_for_what_they_do()
    {
        var h = await connected.ForAsync();
        await using var client = await h.McpClientAsync(customerId: null);
        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name, t => t.ProtocolTool.Annotations!);
        Assert.False(tools["book_appointment"].ReadOnlyHint);
        Assert.False(tools["book_appointment"].DestructiveHint);
        Assert.True(tools["book_appointment"].IdempotentHint);
        Assert.True(tools["cancel_appointment"].DestructiveHint);
        Assert.True(tools["reschedule_appointment"].DestructiveHint);
        Assert.True(tools["list_appointments"].ReadOnlyHint);
    }

    public sealed class LostAnswers
    {
        public int Count;
    }

    /// <summary>Lets the first events.insert reach Google, then drops its answer, as a connection reset after sending would.</summary>
    private sealed class LoseFirstInsertAnswer(LostAnswers lost) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.EndsWith("/events", StringComparison.Ordinal) &&
                Interlocked.Increment(ref lost.Count) == 1)
            {
                response.Dispose();
                throw new HttpRequestException("The connection was reset after the request was sent.");
            }

            return response;
        }
    }
}
