using System.Net;
using System.Text.Json.Nodes;

namespace CalendarConnect.GoogleEmulator.Tests;

public class FreeBusyTests
{
    private const string Ana = "ana@example.com";

    private static JsonObject Query(string timeMin, string timeMax, params string[] ids) => new()
    {
        ["timeMin"] = timeMin,
        ["timeMax"] = timeMax,
        ["timeZone"] = "UTC",
        ["items"] = new JsonArray(ids.Select(id => (JsonNode)new JsonObject { ["id"] = id }).ToArray()),
    };

    private static List<(string Start, string End)> Busy(JsonObject response, string id = "primary") =>
        response["calendars"]![id]!["busy"]!.AsArray()
            .Select(b => (b!["start"]!.GetValue<string>(), b["end"]!.GetValue<string>())).ToList();

    [Fact]
    public async Task Recorded_dhbw_events_transparent_ones_are_free()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync("erik.littwin@gmail.com", "Europe/Berlin")).AccessToken;
        var recorded = EmulatorHarness.LoadRecorded("calendar", "events", "dhbw_events_list_allday_recurring_transparent_attendee.json");
        foreach (var item in recorded["items"]!.AsArray()) await google.InsertEventAsync("erik.littwin@gmail.com", item!.AsObject());

        var response = await google.ApiObjectAsync(HttpMethod.Post, "freeBusy", token, Query("2020-04-01T00:00:00Z", "2020-07-01T00:00:00Z", "primary"));
        Assert.Equal("calendar#freeBusy", response["kind"]!.GetValue<string>());
        Assert.Equal("2020-04-01T00:00:00.000Z", response["timeMin"]!.GetValue<string>());
        // Kochkurs 18:00–21:00 +02:00 is busy; the transparent birthday and the transparent concert are not.
        Assert.Equal([("2020-04-25T16:00:00Z", "2020-04-25T19:00:00Z")], Busy(response));
    }

    [Fact]
    public async Task Recorded_compass_series_expands_to_the_recorded_instances()
    {
        await using var google = await EmulatorHarness.StartAsync();
        // The bag's series was captured in a calendar at +01:00 (Google writes every dateTime in the calendar's zone).
        var token = (await google.SignInAsync("foo@gmail.com", "Africa/Lagos")).AccessToken;
        var recorded = EmulatorHarness.LoadRecorded("calendar", "events", "compass_events_list_composite_cancelled_timed_allday_recurring.json");
        var items = recorded["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        var master = items.Single(i => i["id"]!.GetValue<string>() == "15chil19v5nskedvmo93ei4nl8");
        await google.InsertEventAsync("foo@gmail.com", master);

        var list = await google.ApiObjectAsync(HttpMethod.Get,
            "calendars/primary/events?singleEvents=true&orderBy=startTime&timeMin=2025-09-01T00:00:00Z&timeMax=2025-10-01T00:00:00Z", token);
        var expectedIds = items.Where(i => i["recurringEventId"]?.GetValue<string>() == "15chil19v5nskedvmo93ei4nl8").Select(i => i["id"]!.GetValue<string>()).ToList();
        Assert.Equal(10, expectedIds.Count);
        Assert.Equal(expectedIds, list["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
        var first = list["items"]![0]!.AsObject();
        var recordedFirst = items.Single(i => i["id"]!.GetValue<string>() == expectedIds[0]);
        Assert.True(JsonNode.DeepEquals(recordedFirst["start"], first["start"]));
        Assert.True(JsonNode.DeepEquals(recordedFirst["originalStartTime"], first["originalStartTime"]));
        Assert.Equal("15chil19v5nskedvmo93ei4nl8", first["recurringEventId"]!.GetValue<string>());

        // Now the rest of the composite bag (instances as exceptions, cancelled ones, timed, all-day transparent).
        foreach (var item in items.Where(i => i != master)) await google.InsertEventAsync("foo@gmail.com", item);
        var busy = Busy(await google.ApiObjectAsync(HttpMethod.Post, "freeBusy", token, Query("2025-09-01T00:00:00Z", "2025-10-01T00:00:00Z", "primary")));
        Assert.Equal(Enumerable.Range(7, 10).Select(d => ($"2025-09-{d:00}T01:30:00Z", $"2025-09-{d:00}T02:30:00Z")), busy);

        var old = Busy(await google.ApiObjectAsync(HttpMethod.Post, "freeBusy", token, Query("2012-10-26T00:00:00Z", "2012-10-27T00:00:00Z", "primary")));
        Assert.Equal([("2012-10-26T14:30:00Z", "2012-10-26T15:30:00Z"), ("2012-10-26T19:00:00Z", "2012-10-26T20:00:00Z")], old);
        var transparentAllDay = Busy(await google.ApiObjectAsync(HttpMethod.Post, "freeBusy", token, Query("2022-02-21T00:00:00Z", "2022-02-24T00:00:00Z", "primary")));
        Assert.Empty(transparentAllDay);
    }

    [Fact]
    public async Task All_day_declined_cancelled_clipping_merging_and_unknown_calendars()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana, "Europe/Madrid")).AccessToken;
        async Task Add(string json) => await google.InsertEventAsync(Ana, JsonNode.Parse(json)!.AsObject());

        await Add("""{"summary":"Vacaciones","start":{"date":"2026-03-02"},"end":{"date":"2026-03-03"}}""");
        await Add("""{"summary":"Declined","start":{"dateTime":"2026-03-04T10:00:00+01:00"},"end":{"dateTime":"2026-03-04T11:00:00+01:00"}, "attendees":[{"email":"boss@example.com","organizer":true,"responseStatus":"accepted"},{"email":"ana@example.com","responseStatus":"declined"}]}""");
        await Add("""{"summary":"Cancelled","status":"cancelled","start":{"dateTime":"2026-03-04T12:00:00+01:00"},"end":{"dateTime":"2026-03-04T13:00:00+01:00"}}""");
        await Add("""{"summary":"A","start":{"dateTime":"2026-03-05T09:00:00+01:00"},"end":{"dateTime":"2026-03-05T10:30:00+01:00"}}""");
        await Add("""{"summary":"B overlaps A","start":{"dateTime":"2026-03-05T10:00:00+01:00"},"end":{"dateTime":"2026-03-05T11:00:00+01:00"}}""");
        await Add("""{"summary":"C touches B","start":{"dateTime":"2026-03-05T11:00:00+01:00"},"end":{"dateTime":"2026-03-05T11:30:00+01:00"}, "attendees":[{"email":"ana@example.com","self":true,"responseStatus":"accepted"}]}""");
        await Add("""{"summary":"Tentative","start":{"dateTime":"2026-03-06T09:00:00+01:00"},"end":{"dateTime":"2026-03-06T10:00:00+01:00"}, "attendees":[{"email":"ana@example.com","responseStatus":"tentative"}]}""");

        var response = await google.ApiObjectAsync(HttpMethod.Post, "freeBusy", token,
            Query("2026-03-02T12:00:00Z", "2026-03-06T08:30:00Z", "primary", Ana, "stranger@example.com"));
        Assert.Equal([
            ("2026-03-02T12:00:00Z", "2026-03-02T23:00:00Z"), // all-day in Madrid, clipped at timeMin
            ("2026-03-05T08:00:00Z", "2026-03-05T10:30:00Z"), // A+B+C merged
            ("2026-03-06T08:00:00Z", "2026-03-06T08:30:00Z"), // clipped at timeMax
        ], Busy(response));
        Assert.Equal(Busy(response), Busy(response, Ana));
        var stranger = response["calendars"]!["stranger@example.com"]!.AsObject();
        Assert.Equal("notFound", stranger["errors"]![0]!["reason"]!.GetValue<string>());
        Assert.Empty(stranger["busy"]!.AsArray());
    }

    [Fact]
    public async Task Bad_freebusy_requests_are_400()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        Assert.Equal(HttpStatusCode.BadRequest, (await google.ApiAsync(HttpMethod.Post, "freeBusy", token, JsonNode.Parse("""{"items":[]}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await google.ApiAsync(HttpMethod.Post, "freeBusy", token, Query("2026-03-02T00:00:00", "2026-03-03T00:00:00Z", "primary"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await google.ApiAsync(HttpMethod.Post, "freeBusy", token, Query("2026-03-03T00:00:00Z", "2026-03-02T00:00:00Z", "primary"))).StatusCode);
    }
}
