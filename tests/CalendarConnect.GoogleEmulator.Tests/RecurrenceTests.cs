using System.Text.Json.Nodes;

namespace CalendarConnect.GoogleEmulator.Tests;

public class RecurrenceTests
{
    private const string Ana = "ana@example.com";

    private static async Task<List<JsonObject>> InstancesAsync(EmulatorHarness google, string token, string timeMin, string timeMax) =>
        (await google.ApiObjectAsync(HttpMethod.Get,
            $"calendars/primary/events?singleEvents=true&orderBy=startTime&timeMin={Uri.EscapeDataString(timeMin)}&timeMax={Uri.EscapeDataString(timeMax)}", token))
        ["items"]!.AsArray().Select(i => i!.AsObject()).ToList();

    [Fact]
    public async Task Weekly_series_keeps_local_time_across_dst()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana, "America/New_York")).AccessToken;
        // Mondays 09:00 New York; DST starts Sunday 2026-03-08.
        await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", token, JsonNode.Parse("""{"id":"standup001","summary":"Standup","recurrence":["RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4"], "start":{"dateTime":"2026-02-23T09:00:00-05:00","timeZone":"America/New_York"}, "end":{"dateTime":"2026-02-23T09:30:00-05:00","timeZone":"America/New_York"}}"""));
        var instances = await InstancesAsync(google, token, "2026-01-01T00:00:00Z", "2026-12-31T00:00:00Z");
        Assert.Equal(["standup001_20260223T140000Z", "standup001_20260302T140000Z", "standup001_20260309T130000Z", "standup001_20260316T130000Z"],
            instances.Select(i => i["id"]!.GetValue<string>()));
        Assert.Equal("2026-03-09T09:00:00-04:00", instances[2]["start"]!["dateTime"]!.GetValue<string>());
        Assert.Equal("America/New_York", instances[2]["start"]!["timeZone"]!.GetValue<string>());
        Assert.Equal("standup001", instances[2]["recurringEventId"]!.GetValue<string>());
        Assert.Equal("2026-03-09T09:00:00-04:00", instances[2]["originalStartTime"]!["dateTime"]!.GetValue<string>());
        Assert.Null(instances[2]["recurrence"]);

        var busy = await google.ApiObjectAsync(HttpMethod.Post, "freeBusy", token, JsonNode.Parse("""{"timeMin":"2026-03-01T00:00:00Z","timeMax":"2026-03-20T00:00:00Z","items":[{"id":"primary"}]}"""));
        Assert.Equal(["2026-03-02T14:00:00Z", "2026-03-09T13:00:00Z", "2026-03-16T13:00:00Z"],
            busy["calendars"]!["primary"]!["busy"]!.AsArray().Select(b => b!["start"]!.GetValue<string>()));

        // Masters only without singleEvents.
        var masters = await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events", token);
        Assert.Equal("standup001", Assert.Single(masters["items"]!.AsArray())!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Daily_interval_until_byday_and_instance_delete()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana, "Europe/Madrid")).AccessToken;
        await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", token, JsonNode.Parse("""{"id":"morning001","recurrence":["RRULE:FREQ=DAILY;INTERVAL=2;UNTIL=20260312T235959Z;BYDAY=MO,TU,WE,TH,FR"], "start":{"dateTime":"2026-03-02T08:00:00+01:00","timeZone":"Europe/Madrid"}, "end":{"dateTime":"2026-03-02T09:00:00+01:00","timeZone":"Europe/Madrid"}}"""));
        // Every 2nd day from Mon 2 March: 2, 4, 6, (8 Sun skipped), 10, 12.
        var ids = (await InstancesAsync(google, token, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z")).Select(i => i["id"]!.GetValue<string>()).ToList();
        Assert.Equal(["morning001_20260302T070000Z", "morning001_20260304T070000Z", "morning001_20260306T070000Z",
            "morning001_20260310T070000Z", "morning001_20260312T070000Z"], ids);

        var instance = await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events/morning001_20260304T070000Z", token);
        Assert.Equal("morning001", instance["recurringEventId"]!.GetValue<string>());
        Assert.Equal(System.Net.HttpStatusCode.NoContent,
            (await google.ApiAsync(HttpMethod.Delete, "calendars/primary/events/morning001_20260304T070000Z", token)).StatusCode);
        var after = (await InstancesAsync(google, token, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z")).Select(i => i["id"]!.GetValue<string>());
        Assert.DoesNotContain("morning001_20260304T070000Z", after);
        Assert.Equal(4, after.Count());
    }

    [Fact]
    public async Task Recurring_all_day_events_are_named_by_date()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana, "Europe/Berlin")).AccessToken;
        await google.InsertEventAsync(Ana, JsonNode.Parse("""{"id":"nipdmajsfuvt7frcq4ec0uukoc","summary":"Geburtstag","recurrence":["RRULE:FREQ=YEARLY"], "start":{"date":"2014-05-17"},"end":{"date":"2014-05-18"}}""")!.AsObject());
        var instance = Assert.Single(await InstancesAsync(google, token, "2020-05-01T00:00:00Z", "2020-06-01T00:00:00Z"));
        Assert.Equal("nipdmajsfuvt7frcq4ec0uukoc_20200517", instance["id"]!.GetValue<string>());
        Assert.Equal("2020-05-17", instance["originalStartTime"]!["date"]!.GetValue<string>());
        Assert.Equal("2020-05-18", instance["end"]!["date"]!.GetValue<string>());
    }

    [Fact]
    public async Task Recurring_insert_needs_a_time_zone_and_a_valid_rule()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        var noZone = await google.ApiAsync(HttpMethod.Post, "calendars/primary/events", token, JsonNode.Parse("""{"recurrence":["RRULE:FREQ=DAILY"],"start":{"dateTime":"2026-03-02T08:00:00+01:00"},"end":{"dateTime":"2026-03-02T09:00:00+01:00"}}"""));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, noZone.StatusCode);
        var badRule = await google.ApiAsync(HttpMethod.Post, "calendars/primary/events", token, JsonNode.Parse("""{"recurrence":["RRULE:FREQ=HOURLY"],"start":{"dateTime":"2026-03-02T08:00:00+01:00","timeZone":"Europe/Madrid"},"end":{"dateTime":"2026-03-02T09:00:00+01:00","timeZone":"Europe/Madrid"}}"""));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badRule.StatusCode);
    }
}
