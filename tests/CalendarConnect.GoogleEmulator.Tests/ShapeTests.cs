using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarConnect.Testing;

namespace CalendarConnect.GoogleEmulator.Tests;

/// <summary>Every field the emulator emits exists in Google's discovery document with the same JSON type.</summary>
public class ShapeTests
{
    private static readonly JsonObject Schemas =
        JsonNode.Parse(File.ReadAllText(RepositoryPaths.SharedFile("google", "calendar-v3-discovery.json")))!["schemas"]!.AsObject();

    private static void AssertConforms(JsonNode? value, JsonObject schema, string path)
    {
        if (schema["$ref"] is { } reference)
        {
            AssertConforms(value, Schemas[reference.GetValue<string>()]!.AsObject(), path);
            return;
        }
        var type = schema["type"]?.GetValue<string>();
        switch (value)
        {
            case JsonObject obj:
                Assert.True(type is "object" or null, $"{path} is an object but the schema says {type}");
                foreach (var (name, child) in obj)
                {
                    if (schema["properties"]?[name] is JsonObject property) AssertConforms(child, property, $"{path}.{name}");
                    else if (schema["additionalProperties"] is JsonObject additional) AssertConforms(child, additional, $"{path}.{name}");
                    else Assert.Fail($"{path}.{name} is not in the discovery schema");
                }
                break;
            case JsonArray array:
                Assert.True(type == "array", $"{path} is an array but the schema says {type}");
                foreach (var item in array) AssertConforms(item, schema["items"]!.AsObject(), path + "[]");
                break;
            case JsonValue scalar:
                var kind = scalar.GetValueKind();
                var expected = type switch
                {
                    "string" => [JsonValueKind.String],
                    "boolean" => [JsonValueKind.True, JsonValueKind.False],
                    "integer" or "number" => new[] { JsonValueKind.Number },
                    _ => [],
                };
                Assert.True(expected.Contains(kind), $"{path} is {kind} but the schema says {type}");
                break;
        }
    }

    [Fact]
    public async Task Emitted_resources_match_the_discovery_document()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync("ana@example.com", "Europe/Madrid")).AccessToken;
        await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", token, JsonNode.Parse("""
            {"summary":"Serie","description":"d","location":"l","transparency":"opaque","visibility":"default",
             "attendees":[{"email":"ana@example.com","responseStatus":"accepted"},{"email":"bob@example.com","responseStatus":"needsAction"}],
             "recurrence":["RRULE:FREQ=WEEKLY;COUNT=3"],
             "reminders":{"useDefault":false,"overrides":[{"method":"popup","minutes":10}]},
             "start":{"dateTime":"2026-03-02T10:00:00+01:00","timeZone":"Europe/Madrid"},
             "end":{"dateTime":"2026-03-02T11:00:00+01:00","timeZone":"Europe/Madrid"}}
            """));
        var allDay = await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", token,
            JsonNode.Parse("""{"summary":"Día","start":{"date":"2026-03-03"},"end":{"date":"2026-03-04"}}"""));
        AssertConforms(allDay, Schemas["Event"]!.AsObject(), "Event");

        var masters = await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events", token);
        AssertConforms(masters, Schemas["Events"]!.AsObject(), "Events");
        var instances = await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events?singleEvents=true&orderBy=startTime&maxResults=2", token);
        Assert.NotNull(instances["nextPageToken"]);
        AssertConforms(instances, Schemas["Events"]!.AsObject(), "Events");
        Assert.Contains(instances["items"]!.AsArray(), i => i!["recurringEventId"] is not null);

        AssertConforms(await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary", token), Schemas["Calendar"]!.AsObject(), "Calendar");
        AssertConforms(await google.ApiObjectAsync(HttpMethod.Get, "users/me/calendarList", token), Schemas["CalendarList"]!.AsObject(), "CalendarList");
        AssertConforms(await google.ApiObjectAsync(HttpMethod.Get, "users/me/calendarList/primary", token), Schemas["CalendarListEntry"]!.AsObject(), "CalendarListEntry");
        var freeBusy = await google.ApiObjectAsync(HttpMethod.Post, "freeBusy", token, JsonNode.Parse(
            """{"timeMin":"2026-03-01T00:00:00Z","timeMax":"2026-03-31T00:00:00Z","items":[{"id":"primary"},{"id":"x@example.com"}]}"""));
        AssertConforms(freeBusy, Schemas["FreeBusyResponse"]!.AsObject(), "FreeBusyResponse");
    }

    [Fact]
    public async Task Channels_and_cancelled_instances_match_the_discovery_document()
    {
        await using var google = await EmulatorHarness.StartAsync();
        await using var receiver = await PushReceiver.StartAsync();
        var token = (await google.SignInAsync("ana@example.com", "Europe/Madrid")).AccessToken;
        var channel = await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events/watch", token, new JsonObject
        {
            ["id"] = "shape-channel", ["type"] = "web_hook", ["address"] = receiver.Address.ToString(), ["token"] = "t",
            ["params"] = new JsonObject { ["ttl"] = "3600" },
        });
        AssertConforms(channel, Schemas["Channel"]!.AsObject(), "Channel");

        await google.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", token, JsonNode.Parse("""
            {"id":"series0001","recurrence":["RRULE:FREQ=DAILY;COUNT=2"],
             "start":{"dateTime":"2026-03-02T10:00:00+01:00","timeZone":"Europe/Madrid"},"end":{"dateTime":"2026-03-02T11:00:00+01:00","timeZone":"Europe/Madrid"}}
            """));
        await google.ApiAsync(HttpMethod.Delete, "calendars/primary/events/series0001_20260302T090000Z", token);
        AssertConforms(await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events?singleEvents=true&showDeleted=true", token),
            Schemas["Events"]!.AsObject(), "Events");
        AssertConforms(await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events", token), Schemas["Events"]!.AsObject(), "Events");
    }

    [Theory]
    [InlineData("calendar/errors/northworld-normalized/404.json", 404)]
    [InlineData("calendar/errors/northworld-normalized/409.json", 409)]
    [InlineData("calendar/errors/northworld-normalized/410.json", 410)]
    [InlineData("calendar/errors/northworld-normalized/500.json", 500)]
    [InlineData("calendar/errors/captured/issue_403_rateLimitExceeded.json", 403)]
    [InlineData("calendar/errors/captured/issue_401_invalid_credentials_modern_with_status.json", 401)]
    public void Error_bodies_have_the_recorded_key_structure(string file, int status)
    {
        var recorded = JsonNode.Parse(File.ReadAllText(RepositoryPaths.SharedFile(["google", "recorded", .. file.Split('/')])))!.AsObject();
        var recordedBody = (recorded["body"] ?? recorded).AsObject();
        var emitted = Calendar.ApiError.ForStatus(status).ToJson();
        // Modern Google bodies add "status"; older recordings predate it.
        var allowedExtra = new HashSet<string> { "status" };
        AssertSameKeys(recordedBody["error"]!.AsObject(), emitted["error"]!.AsObject(), allowedExtra);
        AssertSameKeys(recordedBody["error"]!["errors"]![0]!.AsObject(), emitted["error"]!["errors"]![0]!.AsObject(), []);
        Assert.Equal(recordedBody["error"]!["errors"]![0]!["reason"]!.GetValue<string>(), emitted["error"]!["errors"]![0]!["reason"]!.GetValue<string>());
    }

    private static void AssertSameKeys(JsonObject recorded, JsonObject emitted, HashSet<string> allowedExtra)
    {
        var recordedKeys = recorded.Select(p => p.Key).ToHashSet();
        var emittedKeys = emitted.Select(p => p.Key).ToHashSet();
        Assert.Subset(emittedKeys, recordedKeys);
        Assert.Empty(emittedKeys.Except(recordedKeys).Except(allowedExtra));
    }

    [Fact]
    public async Task Token_responses_have_the_recorded_keys()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var tokens = await google.SignInAsync("ana@example.com");
        var recordedExchange = EmulatorHarness.LoadRecorded("oauth", "google_doc_sample_token_response_code_exchange.json")["body"]!.AsObject();
        Assert.Equal(recordedExchange.Select(p => p.Key).Order(), tokens.Body.Select(p => p.Key).Order());
        var observed = EmulatorHarness.LoadRecorded("oauth", "observed_token_response_testing_mode_calendar_readonly.json")["body"]!.AsObject();
        // Same key order as observed; refresh_token_expires_in only exists for Testing-mode apps.
        Assert.Equal(observed.Select(p => p.Key).Where(k => k != "refresh_token_expires_in"), tokens.Body.Select(p => p.Key));

        var refreshed = await EmulatorHarness.ReadObjectAsync(await google.RefreshAsync(tokens.RefreshToken!));
        var recordedRefresh = EmulatorHarness.LoadRecorded("oauth", "google_doc_sample_refresh_response.json")["body"]!.AsObject();
        Assert.Equal(recordedRefresh.Select(p => p.Key).Order(), refreshed.Select(p => p.Key).Order());

        var recordedError = EmulatorHarness.LoadRecorded("oauth", "issue_400_invalid_grant_token_expired_or_revoked_with_headers.json")["body"]!.AsObject();
        var emittedError = await EmulatorHarness.ReadObjectAsync(await google.RefreshAsync("1//0unknown"));
        Assert.True(JsonNode.DeepEquals(recordedError, emittedError), emittedError.ToJsonString());
    }
}
