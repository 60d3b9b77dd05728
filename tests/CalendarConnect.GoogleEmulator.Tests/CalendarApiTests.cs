using System.Net;
using System.Text.Json.Nodes;

namespace CalendarConnect.GoogleEmulator.Tests;

public class CalendarApiTests
{
    private const string Ana = "ana@example.com";

    private static JsonObject Timed(string start, string end, string? id = null, string summary = "Reunión") =>
        JsonNode.Parse($$"""
            { {{(id is null ? "" : $"\"id\":\"{id}\",")}} "summary": "{{summary}}",
              "start": {"dateTime": "{{start}}", "timeZone": "Europe/Madrid"},
              "end": {"dateTime": "{{end}}", "timeZone": "Europe/Madrid"} }
            """)!.AsObject();

    [Fact]
    public async Task Calendar_and_calendar_list_describe_the_primary_calendar()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;

        var calendar = await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary", token);
        Assert.Equal("calendar#calendar", calendar["kind"]!.GetValue<string>());
        Assert.Equal(Ana, calendar["id"]!.GetValue<string>());
        Assert.Equal("Europe/Madrid", calendar["timeZone"]!.GetValue<string>());
        Assert.Equal(Ana, (await google.ApiObjectAsync(HttpMethod.Get, "calendars/ana%40example.com", token))["id"]!.GetValue<string>());

        var list = await google.ApiObjectAsync(HttpMethod.Get, "users/me/calendarList", token);
        Assert.Equal("calendar#calendarList", list["kind"]!.GetValue<string>());
        var entry = Assert.Single(list["items"]!.AsArray())!.AsObject();
        Assert.True(entry["primary"]!.GetValue<bool>());
        Assert.Equal("owner", entry["accessRole"]!.GetValue<string>());

        var other = await google.ApiAsync(HttpMethod.Get, "calendars/someone-else%40example.com", token);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task Missing_and_invalid_tokens_get_googles_401_bodies()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var missing = await google.ApiAsync(HttpMethod.Get, "users/me/calendarList", null);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        var missingBody = await EmulatorHarness.ReadObjectAsync(missing);
        Assert.Equal("required", missingBody["error"]!["errors"]![0]!["reason"]!.GetValue<string>());

        var invalid = await google.ApiAsync(HttpMethod.Get, "users/me/calendarList", "ya29.nope");
        Assert.Equal(HttpStatusCode.Unauthorized, invalid.StatusCode);
        Assert.Equal("application/json; charset=UTF-8", invalid.Content.Headers.ContentType!.ToString());
        var recorded = EmulatorHarness.LoadRecorded("calendar", "errors", "captured", "issue_401_invalid_credentials_modern_with_status.json")["body"]!;
        Assert.True(JsonNode.DeepEquals(recorded, await EmulatorHarness.ReadObjectAsync(invalid)));
    }

    [Fact]
    public async Task Token_without_calendar_scope_is_403_insufficient_permissions()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana, scope: "openid email")).AccessToken;
        var response = await google.ApiAsync(HttpMethod.Get, "users/me/calendarList", token);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var recorded = EmulatorHarness.LoadRecorded("calendar", "errors", "captured", "issue_403_insufficientPermissions_scope_modern.json")["body"]!;
        Assert.True(JsonNode.DeepEquals(recorded, await EmulatorHarness.ReadObjectAsync(response)));

        var readOnly = (await google.SignInAsync("ro@example.com", scope: "https://www.googleapis.com/auth/calendar.readonly")).AccessToken;
        Assert.Equal(HttpStatusCode.OK, (await google.ApiAsync(HttpMethod.Get, "calendars/primary/events", readOnly)).StatusCode);
        var write = await google.ApiAsync(HttpMethod.Post, "calendars/primary/events", readOnly, Timed("2026-03-02T10:00:00+01:00", "2026-03-02T11:00:00+01:00"));
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
    }

    [Fact]
    public async Task Insert_get_patch_delete_lifecycle()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;

        var created = await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", token,
            Timed("2026-03-02T10:00:00+01:00", "2026-03-02T11:00:00+01:00", id: "cc0123456789abcdefuv"));
        Assert.Equal("cc0123456789abcdefuv", created["id"]!.GetValue<string>());
        Assert.Equal("calendar#event", created["kind"]!.GetValue<string>());
        Assert.Equal("confirmed", created["status"]!.GetValue<string>());
        Assert.Equal("default", created["eventType"]!.GetValue<string>());
        Assert.True(created["organizer"]!["self"]!.GetValue<bool>());
        Assert.Equal(Ana, created["creator"]!["email"]!.GetValue<string>());
        Assert.Equal("cc0123456789abcdefuv@google.com", created["iCalUID"]!.GetValue<string>());

        var duplicate = await google.ApiAsync(HttpMethod.Post, "calendars/primary/events", token,
            Timed("2026-03-02T10:00:00+01:00", "2026-03-02T11:00:00+01:00", id: "cc0123456789abcdefuv"));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        var duplicateBody = await EmulatorHarness.ReadObjectAsync(duplicate);
        Assert.Equal("duplicate", duplicateBody["error"]!["errors"]![0]!["reason"]!.GetValue<string>());
        Assert.Equal("The requested identifier already exists.", duplicateBody["error"]!["message"]!.GetValue<string>());

        var fetched = await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events/cc0123456789abcdefuv", token);
        Assert.True(JsonNode.DeepEquals(created, fetched));

        var patched = await google.ApiObjectAsync(HttpMethod.Patch, "calendars/primary/events/cc0123456789abcdefuv", token,
            JsonNode.Parse("""{"summary":"Cambiada","start":{"dateTime":"2026-03-02T12:00:00+01:00"},"end":{"dateTime":"2026-03-02T13:00:00+01:00"}}"""));
        Assert.Equal("Cambiada", patched["summary"]!.GetValue<string>());
        Assert.Equal(1, patched["sequence"]!.GetValue<int>());
        Assert.NotEqual(created["etag"]!.GetValue<string>(), patched["etag"]!.GetValue<string>());

        var delete = await google.ApiAsync(HttpMethod.Delete, "calendars/primary/events/cc0123456789abcdefuv", token);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        var deleted = await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events/cc0123456789abcdefuv", token);
        Assert.Equal("cancelled", deleted["status"]!.GetValue<string>());
        var again = await google.ApiAsync(HttpMethod.Delete, "calendars/primary/events/cc0123456789abcdefuv", token);
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Equal("deleted", (await EmulatorHarness.ReadObjectAsync(again))["error"]!["errors"]![0]!["reason"]!.GetValue<string>());

        var list = await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events", token);
        Assert.Empty(list["items"]!.AsArray());
        var withDeleted = await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events?showDeleted=true", token);
        Assert.Single(withDeleted["items"]!.AsArray());

        var missing = await google.ApiAsync(HttpMethod.Get, "calendars/primary/events/doesnotexist1", token);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("abc")]                       // too short
    [InlineData("UPPERCASE123")]              // outside base32hex
    [InlineData("hello-world")]               // dash
    [InlineData("wxyz12345")]                 // w-z are not base32hex
    public async Task Client_ids_outside_base32hex_are_rejected(string id)
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        var response = await google.ApiAsync(HttpMethod.Post, "calendars/primary/events", token,
            Timed("2026-03-02T10:00:00+01:00", "2026-03-02T11:00:00+01:00", id: id));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Invalid resource id value.", (await EmulatorHarness.ReadObjectAsync(response))["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Time_min_bounds_the_end_and_time_max_the_start_both_exclusive()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        // 10:00–11:00 Madrid = 09:00–10:00Z
        await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", token,
            Timed("2026-03-02T10:00:00+01:00", "2026-03-02T11:00:00+01:00", summary: "A"));

        async Task<int> CountAsync(string min, string max) =>
            (await google.ApiObjectAsync(HttpMethod.Get, $"calendars/primary/events?timeMin={Uri.EscapeDataString(min)}&timeMax={Uri.EscapeDataString(max)}", token))["items"]!.AsArray().Count;

        Assert.Equal(0, await CountAsync("2026-03-02T10:00:00Z", "2026-03-02T12:00:00Z")); // ends exactly at timeMin
        Assert.Equal(1, await CountAsync("2026-03-02T09:59:59Z", "2026-03-02T12:00:00Z"));
        Assert.Equal(0, await CountAsync("2026-03-02T07:00:00Z", "2026-03-02T09:00:00Z")); // starts exactly at timeMax
        Assert.Equal(1, await CountAsync("2026-03-02T07:00:00Z", "2026-03-02T09:00:01Z"));
        Assert.Equal(1, await CountAsync("2026-03-02T09:30:00+00:00", "2026-03-02T09:31:00-00:00"));

        var noOffset = await google.ApiAsync(HttpMethod.Get, "calendars/primary/events?timeMin=2026-03-02T00:00:00", token);
        Assert.Equal(HttpStatusCode.BadRequest, noOffset.StatusCode);
        var empty = await google.ApiAsync(HttpMethod.Get, "calendars/primary/events?timeMin=2026-03-03T00:00:00Z&timeMax=2026-03-02T00:00:00Z", token);
        Assert.Equal("timeRangeEmpty", (await EmulatorHarness.ReadObjectAsync(empty))["error"]!["errors"]![0]!["reason"]!.GetValue<string>());
        var order = await google.ApiAsync(HttpMethod.Get, "calendars/primary/events?orderBy=startTime", token);
        Assert.Equal(HttpStatusCode.BadRequest, order.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await google.ApiAsync(HttpMethod.Get, "calendars/primary/events?orderBy=startTime&singleEvents=true", token)).StatusCode);
    }

    [Fact]
    public async Task Paging_search_and_sync_tokens()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        for (var day = 1; day <= 5; day++)
            await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", token,
                Timed($"2026-03-0{day}T10:00:00+01:00", $"2026-03-0{day}T11:00:00+01:00", summary: day == 3 ? "Dentista" : "Trabajo"));

        var first = await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events?singleEvents=true&orderBy=startTime&maxResults=2", token);
        Assert.Equal(2, first["items"]!.AsArray().Count);
        Assert.Null(first["nextSyncToken"]);
        var pageToken = first["nextPageToken"]!.GetValue<string>();
        var seen = first["items"]!.AsArray().Select(i => i!["start"]!["dateTime"]!.GetValue<string>()).ToList();
        string? syncToken = null;
        while (pageToken is not null)
        {
            var page = await google.ApiObjectAsync(HttpMethod.Get, $"calendars/primary/events?singleEvents=true&orderBy=startTime&maxResults=2&pageToken={Uri.EscapeDataString(pageToken)}", token);
            seen.AddRange(page["items"]!.AsArray().Select(i => i!["start"]!["dateTime"]!.GetValue<string>()));
            pageToken = page["nextPageToken"]?.GetValue<string>();
            syncToken = page["nextSyncToken"]?.GetValue<string>();
        }
        Assert.Equal(5, seen.Count);
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Equal("2026-03-01T10:00:00+01:00", seen[0]);

        var search = await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events?q=dentista", token);
        Assert.Equal("Dentista", Assert.Single(search["items"]!.AsArray())!["summary"]!.GetValue<string>());

        var nothingNew = await google.ApiObjectAsync(HttpMethod.Get, $"calendars/primary/events?syncToken={Uri.EscapeDataString(syncToken!)}", token);
        Assert.Empty(nothingNew["items"]!.AsArray());
        var id = search["items"]![0]!["id"]!.GetValue<string>();
        await google.ApiAsync(HttpMethod.Delete, $"calendars/primary/events/{id}", token);
        var changes = await google.ApiObjectAsync(HttpMethod.Get, $"calendars/primary/events?syncToken={Uri.EscapeDataString(syncToken!)}", token);
        Assert.Equal("cancelled", Assert.Single(changes["items"]!.AsArray())!["status"]!.GetValue<string>());

        var bogus = await google.ApiAsync(HttpMethod.Get, "calendars/primary/events?syncToken=x", token);
        Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
        await google.Http.PostAsync("/emulator/reset", null);
        var fresh = (await google.SignInAsync(Ana)).AccessToken;
        var stale = await google.ApiAsync(HttpMethod.Get, $"calendars/primary/events?syncToken={Uri.EscapeDataString(syncToken!)}", fresh);
        Assert.Equal(HttpStatusCode.Gone, stale.StatusCode);
        Assert.Equal("fullSyncRequired", (await EmulatorHarness.ReadObjectAsync(stale))["error"]!["errors"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_bodies_are_parse_errors_and_huge_bodies_are_refused()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        foreach (var body in new[] { "{not json", "[1,2]", "", "\"text\"" })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/calendar/v3/calendars/primary/events")
            {
                Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new("Bearer", token);
            var response = await google.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("parseError", (await EmulatorHarness.ReadObjectAsync(response))["error"]!["errors"]![0]!["reason"]!.GetValue<string>());
        }

        var huge = Timed("2026-03-02T10:00:00+01:00", "2026-03-02T11:00:00+01:00");
        huge["description"] = new string('x', 2 * 1024 * 1024);
        // Announced with Expect: 100-continue (as curl does for a large body): the 413 comes before the body is sent, so the
        // server's answer and closed connection cannot cut the client's sending (a broken pipe, not an answer).
        using (var announced = new HttpRequestMessage(HttpMethod.Post, "/calendar/v3/calendars/primary/events") { Content = EmulatorHarness.Json(huge) })
        {
            announced.Headers.Authorization = new("Bearer", token);
            announced.Headers.ExpectContinue = true;
            using var tooBig = await google.Http.SendAsync(announced);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        }

        var noEnd = await google.ApiAsync(HttpMethod.Post, "calendars/primary/events", token, JsonNode.Parse("""{"start":{"date":"2026-03-02"}}"""));
        Assert.Equal("Missing end time.", (await EmulatorHarness.ReadObjectAsync(noEnd))["error"]!["message"]!.GetValue<string>());
        var backwards = await google.ApiAsync(HttpMethod.Post, "calendars/primary/events", token, Timed("2026-03-02T11:00:00+01:00", "2026-03-02T10:00:00+01:00"));
        Assert.Equal("timeRangeEmpty", (await EmulatorHarness.ReadObjectAsync(backwards))["error"]!["errors"]![0]!["reason"]!.GetValue<string>());
        var oddPath = await google.ApiAsync(HttpMethod.Get, "calendars/primary/events/%3Cscript%3E", token);
        Assert.Equal(HttpStatusCode.NotFound, oddPath.StatusCode);
    }
}
