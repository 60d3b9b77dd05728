using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CalendarConnect.GoogleEmulator.Tests;

public class ControlApiTests
{
    private const string Ana = "ana@example.com";

    [Theory]
    [InlineData("""{"email":"not-an-email","time_zone":"UTC"}""")]
    [InlineData("""{"email":"<b>x</b>@example.com","time_zone":"UTC"}""")]
    [InlineData("""{"email":"ana@example.com","time_zone":"Mars/Olympus"}""")]
    [InlineData("""{"time_zone":"UTC"}""")]
    public async Task Bad_accounts_are_400(string body)
    {
        await using var google = await EmulatorHarness.StartAsync();
        var response = await google.Http.PostAsync("/emulator/accounts", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Accounts_are_created_then_updated_idempotently()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var created = await google.Http.PostAsJsonAsync("/emulator/accounts", new { email = Ana, time_zone = "Europe/Madrid" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var updated = await google.Http.PostAsJsonAsync("/emulator/accounts", new { email = Ana, time_zone = "America/Bogota" });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var list = await google.Http.GetFromJsonAsync<JsonArray>("/emulator/accounts");
        Assert.Equal("America/Bogota", Assert.Single(list!)!["time_zone"]!.GetValue<string>());
        var home = await google.Http.GetStringAsync("/");
        Assert.Contains(Ana, home);
    }

    [Fact]
    public async Task Account_revoke_kills_all_its_grants()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var tokens = await google.SignInAsync(Ana);
        var revoke = await google.Http.PostAsync($"/emulator/accounts/{Ana}/revoke", null);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await google.ApiAsync(HttpMethod.Get, "calendars/primary", tokens.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await google.RefreshAsync(tokens.RefreshToken!)).StatusCode);
    }

    [Fact]
    public async Task Expire_access_tokens_leaves_refresh_tokens_working()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var tokens = await google.SignInAsync(Ana);
        Assert.Equal(HttpStatusCode.OK, (await google.Http.PostAsync("/emulator/expire-access-tokens", null)).StatusCode);
        var expired = await google.ApiAsync(HttpMethod.Get, "calendars/primary", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("authError", (await EmulatorHarness.ReadObjectAsync(expired))["error"]!["errors"]![0]!["reason"]!.GetValue<string>());
        var refreshed = await EmulatorHarness.ReadObjectAsync(await google.RefreshAsync(tokens.RefreshToken!));
        Assert.Equal(HttpStatusCode.OK, (await google.ApiAsync(HttpMethod.Get, "calendars/primary", refreshed["access_token"]!.GetValue<string>())).StatusCode);
    }

    [Theory]
    [InlineData(401, "authError")]
    [InlineData(403, "rateLimitExceeded")]
    [InlineData(404, "notFound")]
    [InlineData(429, "rateLimitExceeded")]
    [InlineData(500, "backendError")]
    [InlineData(503, "backendError")]
    public async Task Faults_fail_the_next_requests_with_googles_body(int status, string reason)
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync(Ana)).AccessToken;
        var fault = await google.Http.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/calendar/v3/freeBusy", status, count = 2 });
        Assert.Equal(HttpStatusCode.Created, fault.StatusCode);
        var query = JsonNode.Parse("""{"timeMin":"2026-03-01T00:00:00Z","timeMax":"2026-03-02T00:00:00Z","items":[{"id":"primary"}]}""");
        for (var i = 0; i < 2; i++)
        {
            var failed = await google.ApiAsync(HttpMethod.Post, "freeBusy", token, query);
            Assert.Equal(status, (int)failed.StatusCode);
            var error = (await EmulatorHarness.ReadObjectAsync(failed))["error"]!;
            Assert.Equal(status, error["code"]!.GetValue<int>());
            Assert.Equal(reason, error["errors"]![0]!["reason"]!.GetValue<string>());
        }
        Assert.Equal(HttpStatusCode.OK, (await google.ApiAsync(HttpMethod.Post, "freeBusy", token, query)).StatusCode);
        // Other paths were never affected.
        Assert.Equal(HttpStatusCode.OK, (await google.ApiAsync(HttpMethod.Get, "calendars/primary", token)).StatusCode);
    }

    [Fact]
    public async Task Token_faults_use_the_oauth_error_shape_and_are_logged_with_grant_type()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var tokens = await google.SignInAsync(Ana);
        await google.Http.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/token", status = 503, count = 1 });
        var failed = await google.RefreshAsync(tokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        var body = await EmulatorHarness.ReadObjectAsync(failed);
        Assert.Equal(["error", "error_description"], body.Select(p => p.Key));
        Assert.Equal(HttpStatusCode.OK, (await google.RefreshAsync(tokens.RefreshToken!)).StatusCode);

        var log = (await google.Http.GetFromJsonAsync<JsonArray>("/emulator/requests"))!.Select(e => e!.AsObject()).ToList();
        var tokenCalls = log.Where(e => e["path"]!.GetValue<string>() == "/token").ToList();
        Assert.Equal(["authorization_code", "refresh_token", "refresh_token"], tokenCalls.Select(e => e["grant_type"]!.GetValue<string>()));
        Assert.Equal([200, 503, 200], tokenCalls.Select(e => e["status"]!.GetValue<int>()));
        Assert.Equal(Ana, tokenCalls[2]["account"]!.GetValue<string>());
        Assert.Equal(["method", "path", "grant_type", "account", "status", "at"], log[0].Select(p => p.Key));
        Assert.Equal("GET", log[0]["method"]!.GetValue<string>());
        Assert.Equal("/o/oauth2/v2/auth", log[0]["path"]!.GetValue<string>());

        var raw = await google.Http.GetStringAsync("/emulator/requests");
        Assert.DoesNotContain(tokens.RefreshToken!, raw);
        Assert.DoesNotContain(tokens.AccessToken, raw);
        Assert.DoesNotContain("ya29.", raw);
    }

    [Theory]
    [InlineData("""{"path_prefix":"calendar","status":500,"count":1}""")]
    [InlineData("""{"path_prefix":"/calendar","status":302,"count":1}""")]
    [InlineData("""{"path_prefix":"/calendar","status":500,"count":0}""")]
    public async Task Bad_faults_are_400(string body)
    {
        await using var google = await EmulatorHarness.StartAsync();
        var response = await google.Http.PostAsync("/emulator/faults", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Reset_forgets_everything()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var tokens = await google.SignInAsync(Ana);
        await google.InsertEventAsync(Ana, JsonNode.Parse("""{"start":{"date":"2026-03-02"},"end":{"date":"2026-03-03"}}""")!.AsObject());
        await google.Http.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/calendar", status = 500, count = 5 });

        Assert.Equal(HttpStatusCode.NoContent, (await google.Http.PostAsync("/emulator/reset", null)).StatusCode);
        Assert.Empty((await google.Http.GetFromJsonAsync<JsonArray>("/emulator/requests"))!);
        Assert.Empty((await google.Http.GetFromJsonAsync<JsonArray>("/emulator/accounts"))!);
        Assert.Empty((await google.Http.GetFromJsonAsync<JsonArray>("/emulator/faults"))!);
        Assert.Equal(HttpStatusCode.Unauthorized, (await google.ApiAsync(HttpMethod.Get, "calendars/primary", tokens.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await google.Http.PostAsync($"/emulator/accounts/{Ana}/events", EmulatorHarness.Json(new JsonObject()))).StatusCode);
    }

    [Fact]
    public async Task Control_events_are_stored_as_given()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var token = (await google.SignInAsync("test.user@gmail.com", "America/Chicago")).AccessToken;
        var recorded = EmulatorHarness.LoadRecorded("calendar", "events", "compass_incremental_sync_modified_instance.json");
        var master = recorded["items"]![0]!.AsObject();
        var stored = await google.InsertEventAsync("test.user@gmail.com", master);
        Assert.True(JsonNode.DeepEquals(master, stored), stored.ToJsonString());
        var modified = await google.InsertEventAsync("test.user@gmail.com", recorded["items"]![1]!.AsObject());

        var instances = await google.ApiObjectAsync(HttpMethod.Get,
            "calendars/primary/events?singleEvents=true&orderBy=startTime&timeMin=2025-03-24T00:00:00-05:00&timeMax=2025-03-26T00:00:00-05:00", token);
        var items = instances["items"]!.AsArray();
        Assert.Equal(2, items.Count);
        Assert.Equal("🍽️ Dishes (Modified)", items[0]!["summary"]!.GetValue<string>());
        Assert.Equal(modified["id"]!.GetValue<string>(), items[0]!["id"]!.GetValue<string>());
        Assert.Equal("68k0p6ackplecqs9fuvbs1fju0_20250325T123000Z", items[1]!["id"]!.GetValue<string>());
    }
}
