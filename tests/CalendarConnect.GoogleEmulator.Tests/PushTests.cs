using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CalendarConnect.GoogleEmulator.Tests;

public class PushTests
{
    private const string Ana = "ana@example.com";

    private static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static JsonObject Channel(string id, Uri address, string? token = "secret-channel-token", string? ttl = null)
    {
        var body = new JsonObject { ["id"] = id, ["type"] = "web_hook", ["address"] = address.ToString() };
        if (token is not null) body["token"] = token;
        if (ttl is not null) body["params"] = new JsonObject { ["ttl"] = ttl };
        return body;
    }

    private static JsonObject Timed(string summary, string start, string end) => new()
    {
        ["summary"] = summary,
        ["start"] = new JsonObject { ["dateTime"] = start },
        ["end"] = new JsonObject { ["dateTime"] = end },
    };

    private static async Task<JsonObject> WatchAsync(EmulatorHarness google, string token, JsonObject channel, string calendarId = "primary") =>
        await google.ApiObjectAsync(HttpMethod.Post, $"calendars/{Uri.EscapeDataString(calendarId)}/events/watch", token, channel);

    [Fact]
    public async Task A_watch_answers_a_channel_then_posts_sync_and_exists_on_every_change_with_googles_headers()
    {
        await using var google = await EmulatorHarness.StartAsync(Now);
        await using var receiver = await PushReceiver.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;

        var channel = await WatchAsync(google, token, Channel("01234567-89ab-cdef-0123-456789abcdef", receiver.Address));
        Assert.Equal(["kind", "id", "resourceId", "resourceUri", "token", "expiration"], channel.Select(p => p.Key));
        Assert.Equal("api#channel", channel["kind"]!.GetValue<string>());
        Assert.Equal("01234567-89ab-cdef-0123-456789abcdef", channel["id"]!.GetValue<string>());
        Assert.Equal("secret-channel-token", channel["token"]!.GetValue<string>());
        Assert.Equal(google.Server.Url("/calendar/v3/calendars/primary/events?alt=json"), channel["resourceUri"]!.GetValue<string>());
        // A week by default, in milliseconds since the epoch, as a string.
        var expiration = Now.AddSeconds(604800);
        Assert.Equal(expiration.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), channel["expiration"]!.GetValue<string>());

        var sync = await receiver.NextAsync();
        Assert.Equal("sync", sync.State);
        Assert.Equal(1, sync.Number);
        Assert.Equal("01234567-89ab-cdef-0123-456789abcdef", sync["X-Goog-Channel-ID"]);
        Assert.Equal("secret-channel-token", sync["X-Goog-Channel-Token"]);
        Assert.Equal("Sun, 08 Mar 2026 09:00:00 GMT", sync["X-Goog-Channel-Expiration"]);
        Assert.Equal(channel["resourceId"]!.GetValue<string>(), sync["X-Goog-Resource-ID"]);
        Assert.Equal(channel["resourceUri"]!.GetValue<string>(), sync["X-Goog-Resource-URI"]);
        Assert.Equal("", sync.Body);
        Assert.StartsWith("APIs-Google", sync["User-Agent"]);

        // Every change, through the API or the control API, is one "exists" message, numbered on.
        var created = await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", token,
            Timed("Cita", "2026-03-02T10:00:00+01:00", "2026-03-02T11:00:00+01:00"));
        var id = created["id"]!.GetValue<string>();
        await google.InsertEventAsync(Ana, Timed("Fuera", "2026-03-03T10:00:00+01:00", "2026-03-03T11:00:00+01:00"));
        await google.ApiObjectAsync(HttpMethod.Patch, $"calendars/primary/events/{id}", token, JsonNode.Parse("""{"summary":"Cita movida"}"""));
        await google.ApiObjectAsync(HttpMethod.Put, $"calendars/primary/events/{id}", token,
            Timed("Cita", "2026-03-02T12:00:00+01:00", "2026-03-02T13:00:00+01:00"));
        Assert.Equal(HttpStatusCode.NoContent, (await google.ApiAsync(HttpMethod.Delete, $"calendars/primary/events/{id}", token)).StatusCode);
        for (var number = 2; number <= 6; number++)
        {
            var exists = await receiver.NextAsync();
            Assert.Equal("exists", exists.State);
            Assert.Equal(number, exists.Number);
            Assert.Equal(sync["X-Goog-Resource-ID"], exists["X-Goog-Resource-ID"]);
            Assert.Equal("", exists.Body);
        }

        // Reads, refused writes and an account revoke are no changes.
        await google.ApiAsync(HttpMethod.Get, "calendars/primary/events", token);
        await google.ApiAsync(HttpMethod.Delete, $"calendars/primary/events/{id}", token); // 410: already deleted
        await google.Http.PostAsync($"/emulator/accounts/{Ana}/revoke", null);
        await google.InsertEventAsync(Ana, Timed("Sentinel", "2026-03-04T10:00:00+01:00", "2026-03-04T11:00:00+01:00"));
        Assert.Equal(7, (await receiver.NextAsync()).Number);

        var open = Assert.Single((await google.Http.GetFromJsonAsync<JsonArray>("/emulator/channels"))!)!.AsObject();
        Assert.Equal("01234567-89ab-cdef-0123-456789abcdef", open["id"]!.GetValue<string>());
        Assert.Equal(Ana, open["account"]!.GetValue<string>());
        Assert.Equal("primary", open["calendar_id"]!.GetValue<string>());
        Assert.Equal(receiver.Address.ToString(), open["address"]!.GetValue<string>());
        Assert.Equal("2026-03-08T09:00:00.000Z", open["expiration"]!.GetValue<string>());
        Assert.Equal(7, open["last_message_number"]!.GetValue<long>());
        Assert.DoesNotContain("secret-channel-token", open.ToJsonString());
    }

    [Fact]
    public async Task Messages_arrive_in_order_on_each_channel_and_the_token_header_only_when_one_was_given()
    {
        await using var google = await EmulatorHarness.StartAsync(Now);
        await using var first = await PushReceiver.StartAsync();
        await using var second = await PushReceiver.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        var a = await WatchAsync(google, token, Channel("channel-a", first.Address));
        var b = await WatchAsync(google, token, Channel("channel-b", second.Address, token: null), calendarId: Ana);
        Assert.Null(b["token"]);
        Assert.Equal(a["resourceId"]!.GetValue<string>(), b["resourceId"]!.GetValue<string>()); // one calendar, one resource id
        Assert.Equal(google.Server.Url("/calendar/v3/calendars/ana%40example.com/events?alt=json"), b["resourceUri"]!.GetValue<string>());

        var changes = Enumerable.Range(1, 20).Select(day =>
            google.InsertEventAsync(Ana, Timed($"E{day}", $"2026-04-{day:00}T10:00:00Z", $"2026-04-{day:00}T11:00:00Z")));
        await Task.WhenAll(changes);
        foreach (var receiver in new[] { first, second })
        {
            var numbers = new List<long>();
            for (var i = 0; i < 21; i++) numbers.Add((await receiver.NextAsync()).Number);
            Assert.Equal(Enumerable.Range(1, 21).Select(n => (long)n), numbers);
        }
        await google.InsertEventAsync(Ana, Timed("Last", "2026-05-01T10:00:00Z", "2026-05-01T11:00:00Z"));
        Assert.Null((await second.NextAsync())["X-Goog-Channel-Token"]);
        Assert.Equal("secret-channel-token", (await first.NextAsync())["X-Goog-Channel-Token"]);
    }

    [Fact]
    public async Task A_stopped_channel_is_sent_nothing_more_and_cannot_be_stopped_again_or_reused()
    {
        await using var google = await EmulatorHarness.StartAsync(Now);
        await using var stopped = await PushReceiver.StartAsync();
        await using var sentinel = await PushReceiver.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        var channel = await WatchAsync(google, token, Channel("to-stop", stopped.Address));
        await WatchAsync(google, token, Channel("sentinel", sentinel.Address));
        Assert.Equal("sync", (await stopped.NextAsync()).State);
        Assert.Equal("sync", (await sentinel.NextAsync()).State);

        var stop = new JsonObject { ["id"] = "to-stop", ["resourceId"] = channel["resourceId"]!.GetValue<string>() };
        var stoppedAnswer = await google.ApiAsync(HttpMethod.Post, "channels/stop", token, stop);
        Assert.Equal(HttpStatusCode.NoContent, stoppedAnswer.StatusCode);
        Assert.Equal("", await stoppedAnswer.Content.ReadAsStringAsync());

        await google.InsertEventAsync(Ana, Timed("After stop", "2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"));
        Assert.Equal("exists", (await sentinel.NextAsync()).State); // the change was announced...
        Assert.False(stopped.TryTake(out _)); // ...to the open channel only

        var again = await google.ApiAsync(HttpMethod.Post, "channels/stop", token, stop);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        var error = (await EmulatorHarness.ReadObjectAsync(again))["error"]!;
        Assert.Equal("notFound", error["errors"]![0]!["reason"]!.GetValue<string>());
        Assert.StartsWith("Channel 'to-stop' not found for project '", error["message"]!.GetValue<string>());

        // Google takes a channel id once, even after the channel stopped.
        var reused = await google.ApiAsync(HttpMethod.Post, "calendars/primary/events/watch", token, Channel("to-stop", stopped.Address));
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        var reusedError = (await EmulatorHarness.ReadObjectAsync(reused))["error"]!;
        Assert.Equal("channelIdNotUnique", reusedError["errors"]![0]!["reason"]!.GetValue<string>());
        Assert.Equal("Channel id to-stop not unique", reusedError["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_the_same_user_with_the_channels_resource_id_can_stop_it()
    {
        await using var google = await EmulatorHarness.StartAsync(Now);
        await using var receiver = await PushReceiver.StartAsync();
        var ana = (await google.SignInAsync(Ana)).AccessToken;
        var bob = (await google.SignInAsync("bob@example.com")).AccessToken;
        var channel = await WatchAsync(google, ana, Channel("anas", receiver.Address));
        var resourceId = channel["resourceId"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.NotFound, (await google.ApiAsync(HttpMethod.Post, "channels/stop", bob,
            new JsonObject { ["id"] = "anas", ["resourceId"] = resourceId })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await google.ApiAsync(HttpMethod.Post, "channels/stop", ana,
            new JsonObject { ["id"] = "anas", ["resourceId"] = "not-its-resource" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await google.ApiAsync(HttpMethod.Post, "channels/stop", ana,
            new JsonObject { ["id"] = "anas" })).StatusCode);
        Assert.Single((await google.Http.GetFromJsonAsync<JsonArray>("/emulator/channels"))!);
        Assert.Equal(HttpStatusCode.NoContent, (await google.ApiAsync(HttpMethod.Post, "channels/stop", ana,
            new JsonObject { ["id"] = "anas", ["resourceId"] = resourceId })).StatusCode);
        Assert.Empty((await google.Http.GetFromJsonAsync<JsonArray>("/emulator/channels"))!);
    }

    [Fact]
    public async Task Channels_stop_delivering_at_their_expiration()
    {
        await using var google = await EmulatorHarness.StartAsync(Now);
        await using var shortLived = await PushReceiver.StartAsync();
        await using var sentinel = await PushReceiver.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        var channel = await WatchAsync(google, token, Channel("one-minute", shortLived.Address, ttl: "60"));
        Assert.Equal(Now.AddSeconds(60).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), channel["expiration"]!.GetValue<string>());
        await WatchAsync(google, token, Channel("long-lived", sentinel.Address));
        Assert.Equal("Sun, 01 Mar 2026 09:01:00 GMT", (await shortLived.NextAsync())["X-Goog-Channel-Expiration"]);
        await sentinel.NextAsync();

        google.Clock.Advance(TimeSpan.FromSeconds(60));
        await google.InsertEventAsync(Ana, Timed("Late", "2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"));
        Assert.Equal("exists", (await sentinel.NextAsync()).State);
        Assert.False(shortLived.TryTake(out _));
        Assert.Equal("long-lived", Assert.Single((await google.Http.GetFromJsonAsync<JsonArray>("/emulator/channels"))!)!["id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("3600", 3600)]
    [InlineData("99999999", 2592000)] // cut to 30 days
    public async Task Ttl_sets_the_expiration_up_to_thirty_days(string ttl, int seconds)
    {
        await using var google = await EmulatorHarness.StartAsync(Now);
        await using var receiver = await PushReceiver.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        var channel = await WatchAsync(google, token, Channel("ttl", receiver.Address, ttl: ttl));
        Assert.Equal(Now.AddSeconds(seconds).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), channel["expiration"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"type":"web_hook","address":"https://example.com/n"}""", "required")]
    [InlineData("""{"id":"c1","address":"https://example.com/n"}""", "required")]
    [InlineData("""{"id":"c1","type":"web_hook"}""", "required")]
    [InlineData("""{"id":"c1","type":"email","address":"https://example.com/n"}""", "invalid")]
    [InlineData("""{"id":"c1","type":"web_hook","address":"https://example.com/n","params":{"ttl":"a week"}}""", "invalid")]
    [InlineData("""{"id":"c1","type":"web_hook","address":"https://example.com/n","expiration":"1000"}""", "invalid")]
    [InlineData("""{"id":"0123456789012345678901234567890123456789012345678901234567890123456789","type":"web_hook","address":"https://example.com/n"}""", "invalid")]
    [InlineData("""{"id":"c1","type":"web_hook","address":"http://example.com/n"}""", "push.webhookUrlNotHttps")]
    [InlineData("""{"id":"c1","type":"web_hook","address":"not a url"}""", "push.webhookUrlNotHttps")]
    public async Task Bad_watches_are_400_with_googles_error_body(string body, string reason)
    {
        await using var google = await EmulatorHarness.StartAsync(Now);
        var token = (await google.SignInAsync(Ana)).AccessToken;
        var response = await google.ApiAsync(HttpMethod.Post, "calendars/primary/events/watch", token, JsonNode.Parse(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await EmulatorHarness.ReadObjectAsync(response))["error"]!.AsObject();
        Assert.Equal(["errors", "code", "message"], error.Select(p => p.Key));
        Assert.Equal(reason, error["errors"]![0]!["reason"]!.GetValue<string>());
        if (reason == "push.webhookUrlNotHttps")
            Assert.Equal($"WebHook callback must be HTTPS: {JsonNode.Parse(body)!["address"]}", error["message"]!.GetValue<string>());
        Assert.Empty((await google.Http.GetFromJsonAsync<JsonArray>("/emulator/channels"))!);
    }

    [Fact]
    public async Task A_watch_refuses_what_events_list_refuses_and_other_calendars()
    {
        await using var google = await EmulatorHarness.StartAsync(Now);
        await using var receiver = await PushReceiver.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        var syncToken = (await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events", token))["nextSyncToken"]!.GetValue<string>();
        await google.Http.PostAsync($"/emulator/accounts/{Ana}/expire-sync-tokens", null);
        var stale = await google.ApiAsync(HttpMethod.Post, $"calendars/primary/events/watch?syncToken={Uri.EscapeDataString(syncToken)}", token,
            Channel("stale", receiver.Address));
        Assert.Equal(HttpStatusCode.Gone, stale.StatusCode);
        var recorded = EmulatorHarness.LoadRecorded("calendar", "errors", "captured", "compass_410_fullSyncRequired_events_watch.json")["body"]!;
        Assert.True(JsonNode.DeepEquals(recorded, await EmulatorHarness.ReadObjectAsync(stale)));
        var bogus = await google.ApiAsync(HttpMethod.Post, "calendars/primary/events/watch?syncToken=x", token, Channel("bogus", receiver.Address));
        var recordedBogus = EmulatorHarness.LoadRecorded("calendar", "errors", "captured", "compass_400_invalid_value_bad_syncToken.json")["body"]!;
        Assert.True(JsonNode.DeepEquals(recordedBogus, await EmulatorHarness.ReadObjectAsync(bogus)));
        Assert.Equal(HttpStatusCode.NotFound,
            (await google.ApiAsync(HttpMethod.Post, "calendars/someone%40example.com/events/watch", token, Channel("other", receiver.Address))).StatusCode);
        var readOnlyNothing = (await google.SignInAsync("bob@example.com", scope: "openid email")).AccessToken;
        Assert.Equal(HttpStatusCode.Forbidden,
            (await google.ApiAsync(HttpMethod.Post, "calendars/primary/events/watch", readOnlyNothing, Channel("scope", receiver.Address))).StatusCode);
        Assert.Empty((await google.Http.GetFromJsonAsync<JsonArray>("/emulator/channels"))!);
    }

    [Fact]
    public async Task A_dropped_channel_goes_silent_like_a_lost_one()
    {
        await using var google = await EmulatorHarness.StartAsync(Now);
        await using var lost = await PushReceiver.StartAsync();
        await using var sentinel = await PushReceiver.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        var channel = await WatchAsync(google, token, Channel("lost", lost.Address));
        await WatchAsync(google, token, Channel("kept", sentinel.Address));
        await lost.NextAsync();
        await sentinel.NextAsync();

        var drop = await google.Http.PostAsJsonAsync("/emulator/channels/drop", new { id = "lost" });
        Assert.Equal(1, (await drop.Content.ReadFromJsonAsync<JsonObject>())!["dropped_channels"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await google.Http.PostAsJsonAsync("/emulator/channels/drop", new { id = "lost" })).StatusCode);
        await google.InsertEventAsync(Ana, Timed("Unheard", "2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"));
        await sentinel.NextAsync();
        Assert.False(lost.TryTake(out _));
        Assert.Equal(HttpStatusCode.NotFound, (await google.ApiAsync(HttpMethod.Post, "channels/stop", token,
            new JsonObject { ["id"] = "lost", ["resourceId"] = channel["resourceId"]!.GetValue<string>() })).StatusCode);

        // No body drops them all; so does a reset.
        var all = await google.Http.PostAsync("/emulator/channels/drop", null);
        Assert.Equal(1, (await all.Content.ReadFromJsonAsync<JsonObject>())!["dropped_channels"]!.GetValue<int>());
        await WatchAsync(google, token, Channel("after-drop", sentinel.Address));
        await google.Http.PostAsync("/emulator/reset", null);
        Assert.Empty((await google.Http.GetFromJsonAsync<JsonArray>("/emulator/channels"))!);
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_with_back_off_and_a_message_it_never_takes_does_not_stop_the_channel()
    {
        await using var google = await EmulatorHarness.StartAsync(Now);
        await using var receiver = await PushReceiver.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        receiver.AnswerNext(503, 500);
        await WatchAsync(google, token, Channel("flaky", receiver.Address));
        var attempts = new[] { await receiver.NextAsync(), await receiver.NextAsync(), await receiver.NextAsync() };
        Assert.Equal([503, 500, 200], attempts.Select(a => a.AnsweredWith));
        Assert.All(attempts, a => Assert.Equal(1, a.Number)); // the same message, tried again

        // A message answered 5xx on every try is given up; the next one still goes out. A 4xx is not retried.
        receiver.AnswerNext(500, 500, 500, 500, 404);
        await google.InsertEventAsync(Ana, Timed("Lost", "2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"));
        await google.InsertEventAsync(Ana, Timed("Refused", "2026-03-03T10:00:00Z", "2026-03-03T11:00:00Z"));
        await google.InsertEventAsync(Ana, Timed("Heard", "2026-03-04T10:00:00Z", "2026-03-04T11:00:00Z"));
        var received = new List<ReceivedPush>();
        for (var i = 0; i < 6; i++) received.Add(await receiver.NextAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal([2, 2, 2, 2, 3, 4], received.Select(r => r.Number));
        Assert.Equal([500, 500, 500, 500, 404, 200], received.Select(r => r.AnsweredWith));

        var open = Assert.Single((await google.Http.GetFromJsonAsync<JsonArray>("/emulator/channels"))!)!;
        Assert.Equal(2, open["messages_sent"]!.GetValue<long>());
        Assert.Equal(2, open["messages_failed"]!.GetValue<long>());
    }

    [Fact]
    public async Task An_unreachable_receiver_is_not_fatal()
    {
        await using var google = await EmulatorHarness.StartAsync(Now);
        var token = (await google.SignInAsync(Ana)).AccessToken;
        Uri nobody;
        await using (var gone = await PushReceiver.StartAsync()) nobody = gone.Address;
        await WatchAsync(google, token, Channel("nobody-home", nobody));
        await google.InsertEventAsync(Ana, Timed("Anyone?", "2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"));
        Assert.Equal(HttpStatusCode.OK, (await google.ApiAsync(HttpMethod.Get, "calendars/primary/events", token)).StatusCode);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await google.Http.GetFromJsonAsync<JsonArray>("/emulator/channels"))![0]!["messages_failed"]!.GetValue<long>() < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "both messages should have been given up");
            await Task.Delay(50);
        }
    }
}
