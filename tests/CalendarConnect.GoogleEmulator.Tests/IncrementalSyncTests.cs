using System.Net;
using System.Text.Json.Nodes;

namespace CalendarConnect.GoogleEmulator.Tests;

/// <summary>Cancelled instances in listings and incremental sync, as the discovery document and the recordings describe them.</summary>
public class IncrementalSyncTests
{
    private const string Ana = "ana@example.com";

    /// <summary>Daily 08:00–09:00 Chicago (14:00Z), five times from Monday 2 March 2026.</summary>
    private const string Series = """
        {"id":"breakfast01","summary":"Breakfast","recurrence":["RRULE:FREQ=DAILY;COUNT=5"],
         "start":{"dateTime":"2026-03-02T08:00:00-06:00","timeZone":"America/Chicago"},
         "end":{"dateTime":"2026-03-02T09:00:00-06:00","timeZone":"America/Chicago"}}
        """;

    private static readonly string[] InstanceIds =
        ["breakfast01_20260302T140000Z", "breakfast01_20260303T140000Z", "breakfast01_20260304T140000Z", "breakfast01_20260305T140000Z", "breakfast01_20260306T140000Z"];

    private static async Task<(EmulatorHarness Google, string Token)> StartWithSeriesAsync()
    {
        var google = await EmulatorHarness.StartAsync(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var token = (await google.SignInAsync(Ana, "America/Chicago")).AccessToken;
        await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", token, JsonNode.Parse(Series));
        return (google, token);
    }

    private static async Task<List<JsonObject>> ItemsAsync(EmulatorHarness google, string token, string query) =>
        (await google.ApiObjectAsync(HttpMethod.Get, $"calendars/primary/events?{query}", token))["items"]!.AsArray().Select(i => i!.AsObject()).ToList();

    private static async Task<string> SyncTokenAsync(EmulatorHarness google, string token, string query = "")
    {
        var page = await google.ApiObjectAsync(HttpMethod.Get, $"calendars/primary/events?{query}", token);
        while (page["nextPageToken"] is { } next)
            page = await google.ApiObjectAsync(HttpMethod.Get, $"calendars/primary/events?{query}&pageToken={Uri.EscapeDataString(next.GetValue<string>())}", token);
        return page["nextSyncToken"]!.GetValue<string>();
    }

    private static string Id(JsonObject item) => item["id"]!.GetValue<string>();
    private static string Status(JsonObject item) => item["status"]!.GetValue<string>();

    [Fact]
    public async Task A_deleted_instance_is_listed_cancelled_by_the_discovery_documents_rules_in_googles_shape()
    {
        var (google, token) = await StartWithSeriesAsync();
        await using var _ = google;
        var before = await SyncTokenAsync(google, token);
        Assert.Equal(HttpStatusCode.NoContent, (await google.ApiAsync(HttpMethod.Delete, $"calendars/primary/events/{InstanceIds[2]}", token)).StatusCode);

        // singleEvents=true: gone, unless deleted ones are asked for.
        Assert.Equal(InstanceIds.Except([InstanceIds[2]]), (await ItemsAsync(google, token, "singleEvents=true&orderBy=startTime")).Select(Id));
        var withDeleted = await ItemsAsync(google, token, "singleEvents=true&showDeleted=true&orderBy=startTime");
        Assert.Equal(InstanceIds, withDeleted.Select(Id));
        var cancelled = withDeleted[2];
        var recorded = EmulatorHarness.LoadRecorded("calendar", "events", "compass_incremental_sync_cancelled_instance.json")["items"]![1]!.AsObject();
        Assert.Equal(recorded.Select(p => p.Key), cancelled.Select(p => p.Key));
        Assert.Equal("cancelled", Status(cancelled));
        Assert.Equal("breakfast01", cancelled["recurringEventId"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"dateTime":"2026-03-04T08:00:00-06:00","timeZone":"America/Chicago"}"""), cancelled["originalStartTime"]));

        // singleEvents=false: the master and the cancelled exception, with or without showDeleted.
        foreach (var query in new[] { "", "showDeleted=true" })
        {
            var items = await ItemsAsync(google, token, query);
            Assert.Equal(["breakfast01", InstanceIds[2]], items.Select(Id).Order());
        }
        // A window without the cancelled instance leaves it out.
        Assert.DoesNotContain(InstanceIds[2], (await ItemsAsync(google, token,
            "showDeleted=true&timeMin=2026-03-05T00:00:00Z&timeMax=2026-03-07T00:00:00Z")).Select(Id));

        // Incremental, masters: the touched master and the cancelled exception sharing its etag, as recorded.
        var changes = (await google.ApiObjectAsync(HttpMethod.Get, $"calendars/primary/events?syncToken={Uri.EscapeDataString(before)}", token))["items"]!
            .AsArray().Select(i => i!.AsObject()).ToList();
        Assert.Equal(["breakfast01", InstanceIds[2]], changes.Select(Id).Order());
        Assert.Equal(changes[0]["etag"]!.GetValue<string>(), changes[1]["etag"]!.GetValue<string>());

        // Incremental, instances: the cancelled one among them.
        var singleBefore = await ItemsAsync(google, token, $"singleEvents=true&syncToken={Uri.EscapeDataString(before)}");
        Assert.Contains(singleBefore, i => Id(i) == InstanceIds[2] && Status(i) == "cancelled");
        Assert.DoesNotContain(singleBefore, i => Id(i) == "breakfast01");
    }

    [Fact]
    public async Task A_deleted_series_comes_back_as_its_cancelled_instances_with_single_events()
    {
        var (google, token) = await StartWithSeriesAsync();
        await using var _ = google;
        var masters = await SyncTokenAsync(google, token);
        var instances = await SyncTokenAsync(google, token, "singleEvents=true");
        await google.ApiObjectAsync(HttpMethod.Patch, $"calendars/primary/events/{InstanceIds[1]}", token, JsonNode.Parse("""{"summary":"Late breakfast"}"""));
        await google.ApiAsync(HttpMethod.Delete, "calendars/primary/events/breakfast01", token);

        Assert.Empty(await ItemsAsync(google, token, "singleEvents=true"));
        var deleted = await ItemsAsync(google, token, "singleEvents=true&showDeleted=true");
        Assert.Equal(InstanceIds, deleted.Select(Id).Order());
        Assert.All(deleted, i => Assert.Equal("cancelled", Status(i)));

        var singleChanges = await ItemsAsync(google, token, $"singleEvents=true&syncToken={Uri.EscapeDataString(instances)}");
        Assert.Equal(InstanceIds, singleChanges.Select(Id).Order());
        Assert.All(singleChanges, i => Assert.Equal("cancelled", Status(i)));

        var masterChanges = await ItemsAsync(google, token, $"syncToken={Uri.EscapeDataString(masters)}");
        Assert.Equal(["breakfast01", InstanceIds[1]], masterChanges.Select(Id).Order());
        Assert.All(masterChanges, i => Assert.Equal("cancelled", Status(i)));
    }

    [Fact]
    public async Task Shortening_a_series_answers_the_instances_it_took_away_as_cancelled()
    {
        var (google, token) = await StartWithSeriesAsync();
        await using var _ = google;
        var before = await SyncTokenAsync(google, token, "singleEvents=true");
        await google.ApiObjectAsync(HttpMethod.Patch, "calendars/primary/events/breakfast01", token, JsonNode.Parse("""{"recurrence":["RRULE:FREQ=DAILY;COUNT=3"]}"""));

        var changes = await ItemsAsync(google, token, $"singleEvents=true&syncToken={Uri.EscapeDataString(before)}");
        Assert.Equal(InstanceIds, changes.Select(Id).Order());
        Assert.Equal(["confirmed", "confirmed", "confirmed", "cancelled", "cancelled"], changes.OrderBy(Id).Select(Status));

        // Moving the series to 10:00: every old instance cancelled, every new one confirmed.
        var moved = await SyncTokenAsync(google, token, "singleEvents=true");
        await google.ApiObjectAsync(HttpMethod.Patch, "calendars/primary/events/breakfast01", token, JsonNode.Parse("""
            {"start":{"dateTime":"2026-03-02T10:00:00-06:00","timeZone":"America/Chicago"},"end":{"dateTime":"2026-03-02T11:00:00-06:00","timeZone":"America/Chicago"}}
            """));
        var afterMove = await ItemsAsync(google, token, $"singleEvents=true&syncToken={Uri.EscapeDataString(moved)}");
        Assert.Equal(InstanceIds.Take(3), afterMove.Where(i => Status(i) == "cancelled").Select(Id).Order());
        Assert.Equal(["breakfast01_20260302T160000Z", "breakfast01_20260303T160000Z", "breakfast01_20260304T160000Z"],
            afterMove.Where(i => Status(i) == "confirmed").Select(Id).Order());
    }

    [Fact]
    public async Task Sync_tokens_refuse_filters_and_show_deleted_false_and_answer_410_once_expired()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        var syncToken = Uri.EscapeDataString(await SyncTokenAsync(google, token));
        foreach (var extra in new[] { "showDeleted=false", "orderBy=updated", "timeMin=2026-03-01T00:00:00Z", "timeMax=2026-03-01T00:00:00Z",
                     "updatedMin=2026-03-01T00:00:00Z", "q=x", "iCalUID=x%40google.com" })
            Assert.Equal(HttpStatusCode.BadRequest, (await google.ApiAsync(HttpMethod.Get, $"calendars/primary/events?syncToken={syncToken}&{extra}", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await google.ApiAsync(HttpMethod.Get, $"calendars/primary/events?syncToken={syncToken}&showDeleted=true&singleEvents=true", token)).StatusCode);

        var bogus = await google.ApiAsync(HttpMethod.Get, "calendars/primary/events?syncToken=x", token);
        var recordedBogus = EmulatorHarness.LoadRecorded("calendar", "errors", "captured", "compass_400_invalid_value_bad_syncToken.json")["body"]!;
        Assert.True(JsonNode.DeepEquals(recordedBogus, await EmulatorHarness.ReadObjectAsync(bogus)));

        Assert.Equal(HttpStatusCode.NoContent, (await google.Http.PostAsync($"/emulator/accounts/{Ana}/expire-sync-tokens", null)).StatusCode);
        var gone = await google.ApiAsync(HttpMethod.Get, $"calendars/primary/events?syncToken={syncToken}", token);
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        var recorded = EmulatorHarness.LoadRecorded("calendar", "errors", "captured", "compass_410_fullSyncRequired_events_watch.json")["body"]!;
        Assert.True(JsonNode.DeepEquals(recorded, await EmulatorHarness.ReadObjectAsync(gone)));
        // A full sync starts over.
        Assert.Equal(HttpStatusCode.OK, (await google.ApiAsync(HttpMethod.Get, $"calendars/primary/events?syncToken={Uri.EscapeDataString(await SyncTokenAsync(google, token))}", token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await google.Http.PostAsync("/emulator/accounts/nobody%40example.com/expire-sync-tokens", null)).StatusCode);
    }

    [Fact]
    public async Task Deleting_events_between_pages_never_skips_one_and_the_next_sync_has_every_change()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        var ids = new List<string>();
        for (var day = 1; day <= 6; day++)
            ids.Add((await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", token, new JsonObject
            {
                ["summary"] = $"E{day}",
                ["start"] = new JsonObject { ["dateTime"] = $"2026-03-0{day}T10:00:00Z" },
                ["end"] = new JsonObject { ["dateTime"] = $"2026-03-0{day}T11:00:00Z" },
            }))["id"]!.GetValue<string>());

        var first = await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events?maxResults=2", token);
        var seen = first["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
        // The two already read are deleted, and one is added before the cursor: nothing after it shifts.
        await google.ApiAsync(HttpMethod.Delete, $"calendars/primary/events/{ids[0]}", token);
        await google.ApiAsync(HttpMethod.Delete, $"calendars/primary/events/{ids[1]}", token);
        var early = (await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", token, JsonNode.Parse("""
            {"summary":"Early","start":{"dateTime":"2026-02-01T10:00:00Z"},"end":{"dateTime":"2026-02-01T11:00:00Z"}}
            """)))["id"]!.GetValue<string>();
        var pageToken = first["nextPageToken"]!.GetValue<string>();
        string? syncToken = null;
        while (pageToken is not null)
        {
            var page = await google.ApiObjectAsync(HttpMethod.Get, $"calendars/primary/events?maxResults=2&pageToken={Uri.EscapeDataString(pageToken)}", token);
            seen.AddRange(page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
            pageToken = page["nextPageToken"]?.GetValue<string>();
            syncToken = page["nextSyncToken"]?.GetValue<string>();
        }
        Assert.Equal(ids, seen);

        // The sync token is from before those changes: all three come in the next sync.
        var changes = await ItemsAsync(google, token, $"syncToken={Uri.EscapeDataString(syncToken!)}");
        Assert.Equal(new[] { ids[0], ids[1], early }.Order(), changes.Select(Id).Order());
    }
}
