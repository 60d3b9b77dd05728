using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace CalendarConnect.GoogleEmulator.Tests;

/// <summary>The gaps Google's own client library found, each checked against ../shared/data/google/.</summary>
public class WireFidelityTests
{
    private const string Ana = "ana@example.com";

    private static JsonObject Event(string start, string end, string? startZone = null, string? endZone = null)
    {
        JsonObject Time(string dateTime, string? zone)
        {
            var time = new JsonObject { ["dateTime"] = dateTime };
            if (zone is not null) time["timeZone"] = zone;
            return time;
        }
        return new JsonObject { ["summary"] = "Cita", ["start"] = Time(start, startZone), ["end"] = Time(end, endZone ?? startZone) };
    }

    private static string Text(JsonNode? node, string path) =>
        path.Split('.').Aggregate(node, (n, part) => n?[part])!.GetValue<string>();

    [Fact]
    public async Task Date_times_come_back_with_an_offset_in_the_calendars_zone_keeping_the_events_own_time_zone()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana, "Europe/Madrid")).AccessToken;

        // UTC in, Madrid out; no timeZone field invented.
        var utc = await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", token, Event("2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z"));
        Assert.Equal("2026-03-02T10:00:00+01:00", Text(utc, "start.dateTime"));
        Assert.Equal("2026-03-02T11:00:00+01:00", Text(utc, "end.dateTime"));
        Assert.Null(utc["start"]!["timeZone"]);

        // A foreign offset and zone: Madrid's offset, New York's zone kept; a local time read in its own zone.
        var foreign = await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", token,
            Event("2026-07-01T09:00:00-04:00", "2026-07-01T10:00:00-04:00", "America/New_York"));
        Assert.Equal("2026-07-01T15:00:00+02:00", Text(foreign, "start.dateTime"));
        Assert.Equal("America/New_York", Text(foreign, "start.timeZone"));
        var local = await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", token,
            Event("2026-07-01T09:00:00", "2026-07-01T10:00:00", "America/New_York"));
        Assert.Equal("2026-07-01T15:00:00+02:00", Text(local, "start.dateTime"));

        // get and list answer the same, and the timeZone parameter moves every dateTime (and the list's timeZone).
        var id = foreign["id"]!.GetValue<string>();
        Assert.Equal("2026-07-01T15:00:00+02:00", Text(await google.ApiObjectAsync(HttpMethod.Get, $"calendars/primary/events/{id}", token), "start.dateTime"));
        var inBogota = await google.ApiObjectAsync(HttpMethod.Get, $"calendars/primary/events/{id}?timeZone=America/Bogota", token);
        Assert.Equal("2026-07-01T08:00:00-05:00", Text(inBogota, "start.dateTime"));
        Assert.Equal("America/New_York", Text(inBogota, "start.timeZone"));
        var list = await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events?timeZone=UTC", token);
        Assert.Equal("UTC", Text(list, "timeZone"));
        Assert.All(list["items"]!.AsArray(), i => Assert.EndsWith("Z", Text(i, "start.dateTime")));
        Assert.Equal(HttpStatusCode.BadRequest, (await google.ApiAsync(HttpMethod.Get, $"calendars/primary/events/{id}?timeZone=Mars/Base", token)).StatusCode);
    }

    [Fact]
    public async Task A_recorded_page_reads_back_as_recorded_and_moves_with_the_time_zone_parameter()
    {
        // nccc: a Europe/Stockholm calendar; its Helsinki-zoned instances read +02:00 in July (Stockholm's offset, not Helsinki's).
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync("camp@example.com", "Europe/Stockholm")).AccessToken;
        var recorded = EmulatorHarness.LoadRecorded("calendar", "events", "nccc_events_list_singleEvents_orderBy_startTime_80_items.json");
        var items = recorded["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        foreach (var item in items) await google.InsertEventAsync("camp@example.com", item);

        var listed = await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events?singleEvents=true&orderBy=startTime&maxResults=2500", token);
        var byId = listed["items"]!.AsArray().ToDictionary(i => Text(i, "id"));
        Assert.Equal(items.Count, byId.Count);
        foreach (var item in items)
            foreach (var field in new[] { "start", "end", "originalStartTime" })
                Assert.True(JsonNode.DeepEquals(item[field], byId[Text(item, "id")]![field]), $"{Text(item, "id")}.{field}");

        var helsinki = items.First(i => i["start"]!["timeZone"]?.GetValue<string>() == "Europe/Helsinki");
        var inHelsinki = await google.ApiObjectAsync(HttpMethod.Get, $"calendars/primary/events/{Text(helsinki, "id")}?timeZone=Europe/Helsinki", token);
        Assert.Equal("2015-07-06T18:50:00+03:00", Text(inHelsinki, "start.dateTime"));
    }

    [Theory]
    [InlineData("2026-03-02T10:00:00", null, "2026-03-02T11:00:00", null, "Missing time zone definition for start time.")]
    [InlineData("2026-03-02T10:00:00+01:00", null, "2026-03-02T11:00:00", null, "Missing time zone definition for end time.")]
    public async Task A_timed_event_with_neither_offset_nor_time_zone_is_refused(string start, string? startZone, string end, string? endZone, string message)
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        var refused = await google.ApiAsync(HttpMethod.Post, "calendars/primary/events", token, Event(start, end, startZone, endZone));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = (await EmulatorHarness.ReadObjectAsync(refused))["error"]!;
        Assert.Equal(message, error["message"]!.GetValue<string>());
        Assert.Equal("required", error["errors"]![0]!["reason"]!.GetValue<string>());

        // A patch that writes such a time is refused too; the control API's insert-as-given stays lenient.
        var created = await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", token, Event("2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"));
        var patch = await google.ApiAsync(HttpMethod.Patch, $"calendars/primary/events/{Text(created, "id")}", token,
            JsonNode.Parse("""{"start":{"dateTime":"2026-03-02T09:00:00"}}"""));
        Assert.Equal("Missing time zone definition for start time.", (await EmulatorHarness.ReadObjectAsync(patch))["error"]!["message"]!.GetValue<string>());
        var lenient = await google.InsertEventAsync(Ana, Event(start, end));
        Assert.Equal("2026-03-02T10:00:00+01:00", Text(lenient, "start.dateTime"));
    }

    [Fact]
    public async Task A_stale_if_match_is_412_condition_not_met_and_writes_nothing()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        var created = await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", token, Event("2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"));
        var id = Text(created, "id");
        var staleEtag = Text(created, "etag");
        var patched = await SendAsync(google, HttpMethod.Patch, id, token, JsonNode.Parse("""{"summary":"Primera"}"""), ifMatch: staleEtag);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var current = await EmulatorHarness.ReadObjectAsync(patched);

        var recorded = JsonNode.Parse(File.ReadAllText(CalendarConnect.Testing.RepositoryPaths.SharedFile("google", "recorded", "calendar", "errors", "northworld-normalized", "412.json")));
        foreach (var (method, body) in new (HttpMethod, JsonNode?)[]
                 {
                     (HttpMethod.Patch, JsonNode.Parse("""{"summary":"Segunda"}""")),
                     (HttpMethod.Put, Event("2026-03-02T12:00:00Z", "2026-03-02T13:00:00Z")),
                     (HttpMethod.Delete, null),
                 })
        {
            var refused = await SendAsync(google, method, id, token, body, ifMatch: staleEtag);
            Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
            Assert.True(JsonNode.DeepEquals(recorded, await EmulatorHarness.ReadObjectAsync(refused)), method.Method);
        }
        Assert.True(JsonNode.DeepEquals(current, await google.ApiObjectAsync(HttpMethod.Get, $"calendars/primary/events/{id}", token)));
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(google, HttpMethod.Delete, id, token, null, ifMatch: Text(current, "etag"))).StatusCode);
    }

    [Fact]
    public async Task If_none_match_with_the_current_etag_is_304_with_no_body()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        var created = await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", token, Event("2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"));
        var id = Text(created, "id");

        var notModified = await SendAsync(google, HttpMethod.Get, id, token, null, ifNoneMatch: Text(created, "etag"));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        var list = await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events", token);
        var listRequest = new HttpRequestMessage(HttpMethod.Get, "/calendar/v3/calendars/primary/events");
        listRequest.Headers.Authorization = new("Bearer", token);
        listRequest.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(Text(list, "etag")));
        Assert.Equal(HttpStatusCode.NotModified, (await google.Http.SendAsync(listRequest)).StatusCode);

        await google.ApiObjectAsync(HttpMethod.Patch, $"calendars/primary/events/{id}", token, JsonNode.Parse("""{"summary":"Otra"}"""));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(google, HttpMethod.Get, id, token, null, ifNoneMatch: Text(created, "etag"))).StatusCode);
    }

    [Fact]
    public async Task Extended_property_filters_must_all_match_and_are_refused_with_a_sync_token()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        async Task Add(string summary, string properties)
        {
            var body = Event("2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z");
            body["summary"] = summary;
            body["extendedProperties"] = JsonNode.Parse(properties);
            await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", token, body);
        }
        await Add("ours", """{"private":{"booking":"b-1","source":"calendarconnect"},"shared":{"customer":"acme"}}""");
        await Add("other booking", """{"private":{"booking":"b-2","source":"calendarconnect"}}""");
        await Add("shared only", """{"shared":{"booking":"b-1"}}""");

        async Task<List<string>> Summaries(string query) =>
            (await google.ApiObjectAsync(HttpMethod.Get, $"calendars/primary/events?{query}", token))["items"]!.AsArray()
                .Select(i => Text(i, "summary")).Order().ToList();
        Assert.Equal(["ours"], await Summaries("privateExtendedProperty=booking%3Db-1"));
        Assert.Equal(["other booking", "ours"], await Summaries("privateExtendedProperty=source%3Dcalendarconnect"));
        Assert.Equal(["ours"], await Summaries("privateExtendedProperty=source%3Dcalendarconnect&privateExtendedProperty=booking%3Db-1"));
        Assert.Empty(await Summaries("privateExtendedProperty=source%3Dcalendarconnect&privateExtendedProperty=booking%3Db-3"));
        Assert.Equal(["shared only"], await Summaries("sharedExtendedProperty=booking%3Db-1"));
        Assert.Equal(["ours"], await Summaries("sharedExtendedProperty=customer%3Dacme&privateExtendedProperty=booking%3Db-1"));
        Assert.Equal(HttpStatusCode.BadRequest, (await google.ApiAsync(HttpMethod.Get, "calendars/primary/events?privateExtendedProperty=booking", token)).StatusCode);

        var syncToken = (await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events", token))["nextSyncToken"]!.GetValue<string>();
        foreach (var filter in new[] { "privateExtendedProperty=booking%3Db-1", "sharedExtendedProperty=customer%3Dacme" })
            Assert.Equal(HttpStatusCode.BadRequest,
                (await google.ApiAsync(HttpMethod.Get, $"calendars/primary/events?syncToken={Uri.EscapeDataString(syncToken)}&{filter}", token)).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/calendar/v3/nothing/here")]
    [InlineData("GET", "/calendar/v3/calendars/primary/acl")]
    [InlineData("DELETE", "/calendar/v3/freeBusy")]
    [InlineData("POST", "/calendar/v3/calendars/primary")]
    [InlineData("GET", "/calendar/v2/calendars/primary")]
    public async Task Unknown_paths_and_methods_under_the_api_are_googles_json_404(string method, string path)
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new("Bearer", token);
        var response = await google.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json; charset=UTF-8", response.Content.Headers.ContentType!.ToString());
        var recorded = JsonNode.Parse(File.ReadAllText(CalendarConnect.Testing.RepositoryPaths.SharedFile("google", "recorded", "calendar", "errors", "northworld-normalized", "404.json")));
        Assert.True(JsonNode.DeepEquals(recorded, await EmulatorHarness.ReadObjectAsync(response)));
    }

    [Fact]
    public async Task Backend_errors_have_the_recorded_layout_without_a_status()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        var response = await google.ApiAsync(HttpMethod.Post, "calendars/primary/events", token,
            JsonNode.Parse("""{"id":"UPPER","start":{"date":"2026-03-02"},"end":{"date":"2026-03-03"}}"""));
        var recorded = EmulatorHarness.LoadRecorded("calendar", "errors", "captured", "issue_400_invalid_resource_id.json")["body"]!;
        Assert.True(JsonNode.DeepEquals(recorded, await EmulatorHarness.ReadObjectAsync(response)));
    }

    private static Task<HttpResponseMessage> SendAsync(EmulatorHarness google, HttpMethod method, string eventId, string token, JsonNode? body,
        string? ifMatch = null, string? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(method, $"/calendar/v3/calendars/primary/events/{eventId}");
        request.Headers.Authorization = new("Bearer", token);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        if (body is not null) request.Content = EmulatorHarness.Json(body);
        return google.Http.SendAsync(request);
    }
}
