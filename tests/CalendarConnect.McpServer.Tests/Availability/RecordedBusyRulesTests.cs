using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CalendarConnect.McpServer.Configuration;
using CalendarConnect.McpServer.GoogleCalendar;
using CalendarConnect.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Protocol;

namespace CalendarConnect.McpServer.Tests.Availability;

/// <summary>
/// Google's busy rules, checked against recorded real responses: the recorded freeBusy bodies parse into the
/// right intervals, and recorded events (plus variants of them for the rules the recordings lack) inserted into
/// the emulator block exactly the slots Google would block.
/// </summary>
public class RecordedBusyRulesTests
{
    private static JsonObject Recorded(params string[] parts) =>
        JsonNode.Parse(File.ReadAllText(RepositoryPaths.SharedFile(["google", "recorded", "calendar", .. parts])))!.AsObject();

    /// <summary>Serves one recorded body for any request, so only parsing is under test.</summary>
    private sealed class RecordedBody(string body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") });
    }

    private static GoogleCalendarClient ClientServing(string file)
    {
        var body = File.ReadAllText(RepositoryPaths.SharedFile("google", "recorded", "calendar", "freebusy", file));
        var settings = new McpServerSettings { GoogleCalendarApiBase = "https://www.googleapis.com/calendar/v3/" };
        return new GoogleCalendarClient(new HttpClient(new RecordedBody(body)), Options.Create(settings));
    }

    [Fact]
    public async Task Recorded_dhbw_freebusy_parses_into_its_intervals()
    {
        var response = await ClientServing("dhbw_freebusy_primary.json").QueryFreeBusyAsync("token",
            DateTimeOffset.Parse("2020-02-08T13:22:09Z"), DateTimeOffset.Parse("2020-04-18T13:22:09Z"), ["primary"], null, CancellationToken.None);
        Assert.Equal("calendar#freeBusy", response.Kind);
        var busy = response.Calendars!["primary"].Busy!.Select(b => (b.Start, b.End)).ToList();
        Assert.Equal([
            (DateTimeOffset.Parse("2020-02-11T12:00:00Z"), DateTimeOffset.Parse("2020-02-11T12:30:00Z")),
            (DateTimeOffset.Parse("2020-02-11T16:30:00Z"), DateTimeOffset.Parse("2020-02-12T17:15:00Z")),
            (DateTimeOffset.Parse("2020-02-15T19:00:00Z"), DateTimeOffset.Parse("2020-02-15T22:55:00Z")),
        ], busy);
        Assert.Null(response.Calendars["primary"].Errors);
    }

    [Fact]
    public async Task Recorded_northworld_freebusy_keeps_each_calendar_and_empty_intervals()
    {
        var response = await ClientServing("northworld_freebusy_query.json").QueryFreeBusyAsync("token",
            DateTimeOffset.Parse("2015-03-06T00:00:00Z"), DateTimeOffset.Parse("2015-03-06T23:59:59Z"), ["busy-calendar-id", "not-busy-calendar-id"], null,
            CancellationToken.None);
        Assert.Null(response.Kind); // this recording has no "kind": it must still parse
        Assert.Equal(DateTimeOffset.Parse("2015-03-06T00:00:00Z"), response.TimeMin);
        var busy = response.Calendars!["busy-calendar-id"].Busy!;
        Assert.Equal(2, busy.Count);
        Assert.Equal((DateTimeOffset.Parse("2015-03-06T10:00:00Z"), DateTimeOffset.Parse("2015-03-06T11:00:00Z")), (busy[0].Start, busy[0].End));
        Assert.Equal(busy[1].Start, busy[1].End); // a zero-length interval blocks nothing (half-open)
        Assert.Empty(response.Calendars["not-busy-calendar-id"].Busy!);
    }

    private const string Erik = "erik.littwin@gmail.com";
    private const string ErikCompany = "dhbw-company";

    private static async Task<string[]> SlotStartsAsync(McpServerHarness h, string customer, string date)
    {
        var result = await h.CallAsync(customer, "get_available_slots", new() { ["date_iso"] = date });
        Assert.True(result.IsError != true, McpServerHarness.TextOf(result));
        return result.StructuredContent!.Value.GetProperty("slots").EnumerateArray()
            .Select(s => s.GetProperty("start").GetString()!["yyyy-MM-ddT".Length..]).ToArray();
    }

    private static async Task PutSettingsAsync(McpServerHarness h, string customer, object settings)
    {
        using var http = h.ServiceClient();
        using var response = await http.PutAsJsonAsync($"/customers/{customer}/booking-settings", settings);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Open every day from 00:00 to 24:00, no notice: every hour of a day is a slot unless something blocks it.</summary>
    private static object AllDayEveryDay(string zone) => new
    {
        time_zone = zone,
        weekly_hours = new[] { "mon", "tue", "wed", "thu", "fri", "sat", "sun" }.ToDictionary(d => d, _ => new[] { new[] { "00:00", "24:00" } }),
        min_notice_minutes = 0,
    };

    private static string[] Hours(string offset, params int[] hours) => hours.Select(hh => $"{hh:00}:00:00{offset}").ToArray();

    private static string[] AllHoursExcept(string offset, params int[] blocked) => Hours(offset, Enumerable.Range(0, 24).Except(blocked).ToArray());

    [Fact]
    public async Task Recorded_events_block_exactly_what_Google_blocks()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2020-04-20T00:00:00Z"));
        await using var h = await McpServerHarness.StartAsync(clock);
        await h.ConnectAsync(ErikCompany, Erik, "Europe/Berlin");
        await PutSettingsAsync(h, ErikCompany, AllDayEveryDay("Europe/Berlin"));

        // As recorded: Kochkurs 18:00-21:00 (opaque), a transparent all-day birthday (a recurring instance) and a transparent concert.
        var items = Recorded("events", "dhbw_events_list_allday_recurring_transparent_attendee.json")["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        foreach (var item in items) await h.AddEventAsync(Erik, item);
        Assert.Equal(AllHoursExcept("+02:00", 18, 19, 20), await SlotStartsAsync(h, ErikCompany, "2020-04-25"));
        Assert.Equal(AllHoursExcept("+02:00"), await SlotStartsAsync(h, ErikCompany, "2020-05-17")); // transparent all-day
        Assert.Equal(AllHoursExcept("+02:00"), await SlotStartsAsync(h, ErikCompany, "2020-05-30")); // transparent, accepted

        // The rules the recordings lack, as variants of the recorded Kochkurs event (same shape, other fields changed).
        var kochkurs = items[0];
        JsonObject Variant(string id, string start, string end, Action<JsonObject>? change = null)
        {
            var copy = kochkurs.DeepClone().AsObject();
            copy["id"] = id;
            copy.Remove("iCalUID");
            copy["start"] = start.Length == 10 ? new JsonObject { ["date"] = start } : new JsonObject { ["dateTime"] = start };
            copy["end"] = end.Length == 10 ? new JsonObject { ["date"] = end } : new JsonObject { ["dateTime"] = end };
            change?.Invoke(copy);
            return copy;
        }

        await h.AddEventAsync(Erik, Variant("tentative01", "2020-04-27T10:00:00+02:00", "2020-04-27T11:00:00+02:00", e => e["status"] = "tentative"));
        await h.AddEventAsync(Erik, Variant("declined01", "2020-04-27T12:00:00+02:00", "2020-04-27T13:00:00+02:00", e => e["attendees"] = new JsonArray(
            new JsonObject { ["email"] = "boss@example.com", ["organizer"] = true, ["responseStatus"] = "accepted" },
            new JsonObject { ["email"] = Erik, ["self"] = true, ["responseStatus"] = "declined" })));
        await h.AddEventAsync(Erik, Variant("cancelled01", "2020-04-27T14:00:00+02:00", "2020-04-27T15:00:00+02:00", e => e["status"] = "cancelled"));
        await h.AddEventAsync(Erik, Variant("transparent01", "2020-04-27T16:00:00+02:00", "2020-04-27T17:00:00+02:00", e => e["transparency"] = "transparent"));
        Assert.Equal(AllHoursExcept("+02:00", 10), await SlotStartsAsync(h, ErikCompany, "2020-04-27"));

        // All-day, exclusive end date: 28 April (local days of the calendar's zone) is blocked whole, 29 April is not.
        await h.AddEventAsync(Erik, Variant("allday01", "2020-04-28", "2020-04-29"));
        Assert.Empty(await SlotStartsAsync(h, ErikCompany, "2020-04-28"));

        // Crossing midnight: 29 April 22:00 to 30 April 02:00.
        await h.AddEventAsync(Erik, Variant("midnight01", "2020-04-29T22:00:00+02:00", "2020-04-30T02:00:00+02:00"));
        Assert.Equal(AllHoursExcept("+02:00", 22, 23), await SlotStartsAsync(h, ErikCompany, "2020-04-29"));
        Assert.Equal(AllHoursExcept("+02:00", 0, 1), await SlotStartsAsync(h, ErikCompany, "2020-04-30"));
    }

    [Fact]
    public async Task Recorded_recurring_series_blocks_each_instance_and_not_after_until()
    {
        const string Foo = "foo@gmail.com";
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2025-09-01T00:00:00Z"));
        await using var h = await McpServerHarness.StartAsync(clock);
        await h.ConnectAsync("compass-company", Foo, "Africa/Lagos");
        await PutSettingsAsync(h, "compass-company", AllDayEveryDay("Africa/Lagos"));
        // The composite recording: a daily series 02:30-03:30 Lagos time UNTIL 16 September, its instances, cancelled items, a transparent all-day.
        foreach (var item in Recorded("events", "compass_events_list_composite_cancelled_timed_allday_recurring.json")["items"]!.AsArray())
            await h.AddEventAsync(Foo, item!);

        Assert.Equal(AllHoursExcept("+01:00"), await SlotStartsAsync(h, "compass-company", "2025-09-06"));
        Assert.Equal(AllHoursExcept("+01:00", 2, 3), await SlotStartsAsync(h, "compass-company", "2025-09-07"));
        Assert.Equal(AllHoursExcept("+01:00", 2, 3), await SlotStartsAsync(h, "compass-company", "2025-09-16"));
        Assert.Equal(AllHoursExcept("+01:00"), await SlotStartsAsync(h, "compass-company", "2025-09-17"));
    }

    [Fact]
    public async Task A_calendar_freeBusy_cannot_read_fails_the_whole_answer()
    {
        await using var h = await McpServerHarness.StartAsync();
        await h.ConnectAsync("two-calendars", "two@example.com");
        await PutSettingsAsync(h, "two-calendars", new { calendar_ids = new[] { "primary", "someone-else@example.com" } });
        var result = await h.CallAsync("two-calendars", "get_available_slots", new() { ["date_iso"] = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd") });
        Assert.True(result.IsError);
        Assert.Equal("calendar_unavailable", result.Meta?["calendarconnect/error_code"]?.GetValue<string>());
        Assert.Contains("could not be read", McpServerHarness.TextOf(result));
    }
}
