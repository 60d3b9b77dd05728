using System.Net;
using System.Text.Json.Nodes;
using CalendarConnect.GoogleEmulator.OAuth;
using CalendarConnect.GoogleEmulator.Persistence;

namespace CalendarConnect.GoogleEmulator.Tests;

/// <summary>EMULATOR_STATE_FILE: a restarted emulator still honours what it handed out.</summary>
public sealed class PersistenceTests : IDisposable
{
    private const string Ana = "ana@example.com";
    private const string Bob = "bob@example.com";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cc-emulator-state-" + Guid.NewGuid().ToString("N"));
    private string StateFile => Path.Combine(_folder, "emulator-state.json");

    [Fact]
    public async Task A_restart_on_the_same_file_keeps_accounts_events_grants_and_tokens()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        TokenSet ana, bob;
        string syncToken;
        await using (var before = await EmulatorHarness.StartAsync(stateFile: StateFile, clock: clock))
        {
            ana = await before.SignInAsync(Ana, timeZone: "America/Argentina/Buenos_Aires");
            await before.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", ana.AccessToken, Timed("Dentista"));
            await before.InsertEventAsync(Ana, Timed("Sembrado", id: "seeded1"));
            var list = await before.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events", ana.AccessToken);
            syncToken = list["nextSyncToken"]!.GetValue<string>();

            bob = await before.SignInAsync(Bob);
            Assert.Equal(HttpStatusCode.OK, (await before.Http.PostAsync($"/emulator/accounts/{Bob}/revoke", null)).StatusCode);
        }

        clock.Advance(TimeSpan.FromMinutes(30));
        await using var after = await EmulatorHarness.StartAsync(stateFile: StateFile, clock: clock);

        var accounts = await (await after.Http.GetAsync("/emulator/accounts")).Content.ReadAsStringAsync();
        Assert.Contains(Ana, accounts);
        var calendar = await after.ApiObjectAsync(HttpMethod.Get, "calendars/primary", ana.AccessToken);
        Assert.Equal("America/Argentina/Buenos_Aires", calendar["timeZone"]!.GetValue<string>());

        var events = await after.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events", ana.AccessToken);
        Assert.Equal(new[] { "Dentista", "Sembrado" }, events["items"]!.AsArray().Select(e => e!["summary"]!.GetValue<string>()).Order());
        // Sync tokens from before the restart still work: nothing changed since.
        var sync = await after.ApiObjectAsync(HttpMethod.Get, $"calendars/primary/events?syncToken={Uri.EscapeDataString(syncToken)}", ana.AccessToken);
        Assert.Empty(sync["items"]!.AsArray());

        var refreshed = await after.RefreshAsync(ana.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var newAccess = (await EmulatorHarness.ReadObjectAsync(refreshed))["access_token"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await after.ApiAsync(HttpMethod.Get, "calendars/primary", newAccess)).StatusCode);

        // The revoked grant stays revoked.
        var bobRefresh = await after.RefreshAsync(bob.RefreshToken!);
        Assert.Equal(HttpStatusCode.BadRequest, bobRefresh.StatusCode);
        Assert.Equal("invalid_grant", (await EmulatorHarness.ReadObjectAsync(bobRefresh))["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await after.ApiAsync(HttpMethod.Get, "calendars/primary", bob.AccessToken)).StatusCode);

        // The old access token lives until its own expiry (3599 s after it was issued), not longer.
        clock.Advance(TimeSpan.FromSeconds(GrantStore.AccessTokenSeconds) - TimeSpan.FromMinutes(30));
        Assert.Equal(HttpStatusCode.Unauthorized, (await after.ApiAsync(HttpMethod.Get, "calendars/primary", ana.AccessToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await after.ApiAsync(HttpMethod.Get, "calendars/primary", newAccess)).StatusCode);
    }

    [Fact]
    public async Task Revoking_after_a_restart_is_saved_too()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        TokenSet ana;
        await using (var first = await EmulatorHarness.StartAsync(stateFile: StateFile, clock: clock))
            ana = await first.SignInAsync(Ana);
        await using (var second = await EmulatorHarness.StartAsync(stateFile: StateFile, clock: clock))
        {
            var revoke = await second.Http.PostAsync("/revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = ana.RefreshToken! }));
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }
        await using var third = await EmulatorHarness.StartAsync(stateFile: StateFile, clock: clock);
        Assert.Equal(HttpStatusCode.BadRequest, (await third.RefreshAsync(ana.RefreshToken!)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await third.ApiAsync(HttpMethod.Get, "calendars/primary", ana.AccessToken)).StatusCode);
    }

    [Fact]
    public async Task The_file_is_readable_by_its_owner_only()
    {
        if (OperatingSystem.IsWindows()) Assert.Skip("Unix permissions");
        await using var google = await EmulatorHarness.StartAsync(stateFile: StateFile);
        await google.SignInAsync(Ana);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(StateFile));
        Assert.Contains("1//0", await File.ReadAllTextAsync(StateFile));
        Assert.False(File.Exists(StateFile + ".tmp"));
    }

    [Theory]
    [InlineData("{ this is not json")]
    [InlineData("""{"version":1,"accounts":[{"email":"ana@example.com","time_zone":"Mars/Olympus","created":"2026-01-01T00:00:00Z","updated":"2026-01-01T00:00:00Z","change_count":0,"sync_epoch":"abcd1234","events":[]}],"grants":[]}""")]
    [InlineData("""{"version":1,"accounts":[],"grants":[{"account":null}]}""")]
    [InlineData("""{"version":7,"accounts":[],"grants":[]}""")]
    public async Task A_corrupt_file_stops_start_up_with_one_line_and_is_left_alone(string content)
    {
        Directory.CreateDirectory(_folder);
        await File.WriteAllTextAsync(StateFile, content);
        var error = await Assert.ThrowsAsync<CalendarConnect.Infrastructure.StartupException>(() => EmulatorHarness.StartAsync(stateFile: StateFile));
        Assert.StartsWith($"EMULATOR_STATE_FILE ({StateFile}) cannot be loaded: ", error.Message);
        Assert.EndsWith("Fix the file, or delete it to start the emulator empty.", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(content, await File.ReadAllTextAsync(StateFile));
    }

    [Fact]
    public async Task Without_the_setting_nothing_is_written()
    {
        await using var google = await EmulatorHarness.StartAsync();
        await google.SignInAsync(Ana);
        Assert.False(Directory.Exists(_folder));
    }

    [Fact]
    public async Task Seeding_an_event_id_again_through_the_control_api_replaces_it()
    {
        // What the AppHost's demo seed relies on when it runs again over a restored state.
        await using var google = await EmulatorHarness.StartAsync(stateFile: StateFile);
        await google.CreateAccountAsync(Ana);
        await google.CreateAccountAsync(Ana);
        await google.InsertEventAsync(Ana, Timed("Antes", id: "demo1"));
        var again = await google.InsertEventAsync(Ana, Timed("Después", id: "demo1"));
        Assert.Equal("Después", again["summary"]!.GetValue<string>());
        Assert.Contains("Después", await File.ReadAllTextAsync(StateFile));
        Assert.DoesNotContain("Antes", await File.ReadAllTextAsync(StateFile));
    }

    [Fact]
    public async Task A_series_earlier_schedule_survives_a_restart_so_old_sync_tokens_still_learn_what_went_away()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        TokenSet ana;
        string syncToken;
        await using (var before = await EmulatorHarness.StartAsync(stateFile: StateFile, clock: clock))
        {
            ana = await before.SignInAsync(Ana, timeZone: "Europe/Madrid");
            await before.ApiObjectAsync(HttpMethod.Post, "calendars/primary/events", ana.AccessToken, JsonNode.Parse("""
                {"id":"class0001","recurrence":["RRULE:FREQ=DAILY;COUNT=3"],
                 "start":{"dateTime":"2026-03-02T08:00:00+01:00","timeZone":"Europe/Madrid"},"end":{"dateTime":"2026-03-02T09:00:00+01:00","timeZone":"Europe/Madrid"}}
                """));
            syncToken = (await before.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events?singleEvents=true", ana.AccessToken))["nextSyncToken"]!.GetValue<string>();
            await before.ApiObjectAsync(HttpMethod.Patch, "calendars/primary/events/class0001", ana.AccessToken, JsonNode.Parse("""{"recurrence":["RRULE:FREQ=DAILY;COUNT=1"]}"""));
        }
        await using var after = await EmulatorHarness.StartAsync(stateFile: StateFile, clock: clock);
        var changes = (await after.ApiObjectAsync(HttpMethod.Get, $"calendars/primary/events?singleEvents=true&syncToken={Uri.EscapeDataString(syncToken)}", ana.AccessToken))
            ["items"]!.AsArray().ToDictionary(i => i!["id"]!.GetValue<string>(), i => i!["status"]!.GetValue<string>());
        Assert.Equal(new Dictionary<string, string>
        {
            ["class0001_20260302T070000Z"] = "confirmed",
            ["class0001_20260303T070000Z"] = "cancelled",
            ["class0001_20260304T070000Z"] = "cancelled",
        }, changes);
    }

    [Fact]
    public async Task A_state_file_written_before_events_kept_earlier_schedules_still_loads()
    {
        Directory.CreateDirectory(_folder);
        await File.WriteAllTextAsync(StateFile, """
            {"version":1,"accounts":[{"email":"ana@example.com","time_zone":"Europe/Madrid","created":"2026-01-01T00:00:00Z","updated":"2026-01-01T00:00:00Z",
              "change_count":1,"sync_epoch":"abcd1234","events":[{"change_number":1,"resource":{"id":"old00001","status":"confirmed",
              "start":{"dateTime":"2026-03-02T10:00:00+01:00"},"end":{"dateTime":"2026-03-02T11:00:00+01:00"}}}]}],"grants":[]}
            """);
        await using var google = await EmulatorHarness.StartAsync(stateFile: StateFile);
        var token = (await google.SignInAsync(Ana)).AccessToken;
        Assert.Equal("old00001", Assert.Single((await google.ApiObjectAsync(HttpMethod.Get, "calendars/primary/events", token))["items"]!.AsArray())!["id"]!.GetValue<string>());
    }

    private static JsonObject Timed(string summary, string? id = null)
    {
        var resource = new JsonObject
        {
            ["summary"] = summary,
            ["start"] = new JsonObject { ["dateTime"] = "2026-03-02T15:00:00-03:00" },
            ["end"] = new JsonObject { ["dateTime"] = "2026-03-02T16:00:00-03:00" },
        };
        if (id is not null) resource["id"] = id;
        return resource;
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
