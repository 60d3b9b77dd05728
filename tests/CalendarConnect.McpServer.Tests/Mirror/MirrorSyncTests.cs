using System.Net.Http.Json;
using CalendarConnect.McpServer.Mirror;
using CalendarConnect.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static CalendarConnect.McpServer.Tests.Mirror.MirrorHarness;

namespace CalendarConnect.McpServer.Tests.Mirror;

/// <summary>
/// The busy-time mirror without push: a full sync after the company connects, incremental syncs with Google's syncToken
/// after that, reads answered from it with no Google request while it is fresh and live when it is not, on both engines.
/// </summary>
public class MirrorSyncTests
{
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_fresh_mirror_answers_reads_without_asking_Google(string engine)
    {
        await using var h = await MirrorHarness.StartAsync(engine);
        var day = McpServerHarness.NextWeekday();
        await h.CreateAccountAsync(Email);
        await h.AddEventAsync(Email, Timed("busy1", day, "10:00", "11:30"));
        await h.AddEventAsync(Email, Timed("free1", day, "14:00", "15:00", transparency: "transparent"));
        await h.ConnectAsync(Customer, Email);
        await h.SyncedAsync();

        var freeBusyBefore = await h.GoogleRequestsAsync("/freeBusy");
        for (var i = 0; i < 5; i++)
            Assert.Equal(["09", "12", "13", "14", "15", "16", "17"], (await h.SlotStartsAsync(day)).Select(s => s[..2]));
        Assert.Equal(freeBusyBefore, await h.GoogleRequestsAsync("/freeBusy"));

        var mirrored = await h.Store().EventsOfAsync(Customer, "primary", CancellationToken.None);
        Assert.True(Assert.Single(mirrored, e => e.EventId == "busy1").Busy);
        Assert.False(Assert.Single(mirrored, e => e.EventId == "free1").Busy);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_change_at_Google_reaches_the_answers_through_an_incremental_sync(string engine)
    {
        await using var h = await MirrorHarness.StartAsync(engine);
        var day = McpServerHarness.NextWeekday();
        await h.ConnectAsync(Customer, Email);
        await h.SyncedAsync();
        var fullSyncs = await FullSyncsAsync(h);

        await h.AddEventAsync(Email, Timed("late1", day, "16:00", "17:00"));
        await Eventually.TrueAsync(async () => (await h.Store().EventsOfAsync(Customer, "primary", CancellationToken.None)).Any(e => e.EventId == "late1" && e.Busy),
            "the new event is mirrored");
        Assert.DoesNotContain("16:00", await h.SlotStartsAsync(day));
        // It came through the sync token: no second full sync.
        Assert.Equal(fullSyncs, await FullSyncsAsync(h));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task An_expired_sync_token_starts_a_full_sync_again(string engine)
    {
        await using var h = await MirrorHarness.StartAsync(engine);
        var day = McpServerHarness.NextWeekday();
        await h.ConnectAsync(Customer, Email);
        await h.SyncedAsync();
        var fullSyncs = await FullSyncsAsync(h);

        await h.FaultAsync("/calendar/v3/calendars/primary/events", 410, 1);
        await h.AddEventAsync(Email, Timed("after410", day, "11:00", "12:00"));
        await Eventually.TrueAsync(async () => (await h.Store().EventsOfAsync(Customer, "primary", CancellationToken.None)).Any(e => e.EventId == "after410"),
            "the event is mirrored after a full sync");
        Assert.True(await FullSyncsAsync(h) > fullSyncs);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_mirror_that_cannot_sync_is_not_trusted_and_reads_go_live(string engine)
    {
        await using var h = await MirrorHarness.StartAsync(engine);
        var day = McpServerHarness.NextWeekday();
        await h.ConnectAsync(Customer, Email);
        await h.SyncedAsync();

        // Every events.list fails from now on; the event is visible only to freeBusy.
        await h.FaultAsync("/calendar/v3/calendars/primary/events", 503, 10_000);
        await h.AddEventAsync(Email, Timed("unsynced", day, "09:00", "10:00"));
        await Eventually.TrueAsync(async () => !(await h.SlotStartsAsync(day)).Contains("09:00"), "the live answer shows the event once the mirror is stale");
        var freeBusy = await h.GoogleRequestsAsync("/freeBusy");
        Assert.DoesNotContain("09:00", await h.SlotStartsAsync(day));
        Assert.True(await h.GoogleRequestsAsync("/freeBusy") > freeBusy, "a stale mirror is read live");
        await Eventually.TrueAsync(() => Task.FromResult(h.Logs.Lines.Any(l => l.Contains("Sync of calendar primary of customer empresa-abc-123 failed", StringComparison.Ordinal))),
            "the failed sync is logged");
    }

    [Fact]
    public async Task A_booking_is_in_the_mirror_at_once_and_a_cancellation_frees_it_at_once()
    {
        // Long intervals: nothing but our own writes can change the mirror during the test.
        await using var h = await MirrorHarness.StartAsync(policy: PushOnlyPolicy);
        var day = McpServerHarness.NextWeekday();
        await h.ConnectAsync(Customer, Email);
        await h.SyncedAsync();
        var lists = await h.GoogleRequestsAsync("/events", "GET");

        // Nothing reads before the booking, and polls are minutes apart: only our own write can put it in the mirror.
        var booked = await h.CallAsync(Customer, "book_appointment", new()
        {
            ["start_iso"] = $"{day:yyyy-MM-dd}T11:00:00-03:00", ["customer_name"] = "Ana Pérez", ["idempotency_key"] = "mirror-own-write",
        });
        Assert.NotEqual(true, booked.IsError);
        var eventId = booked.StructuredContent!.Value.GetProperty("event_id").GetString()!;
        Assert.Contains(await h.Store().EventsOfAsync(Customer, "primary", CancellationToken.None), e => e.EventId == eventId && e.Busy);
        Assert.Equal(lists, await h.GoogleRequestsAsync("/events", "GET"));
        Assert.DoesNotContain("11:00", await h.SlotStartsAsync(day));

        // (That read may wake a sync of the calendar now; the cancellation below must not wait for one.)
        var cancelled = await h.CallAsync(Customer, "cancel_appointment", new() { ["event_id"] = eventId });
        Assert.NotEqual(true, cancelled.IsError);
        Assert.Contains(await h.Store().EventsOfAsync(Customer, "primary", CancellationToken.None), e => e.EventId == eventId && !e.Busy);
        Assert.Contains("11:00", await h.SlotStartsAsync(day));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_slot_taken_at_Google_that_the_mirror_still_offers_is_refused_with_alternatives(string engine)
    {
        // A mirror that is behind Google (no push, polls minutes apart): reads may offer a taken time, a booking never takes it.
        await using var h = await MirrorHarness.StartAsync(engine, PushOnlyPolicy);
        var day = McpServerHarness.NextWeekday();
        await h.ConnectAsync(Customer, Email);
        await h.SyncedAsync();
        await h.AddEventAsync(Email, Timed("staff1", day, "11:00", "12:00"));
        Assert.Contains("11:00", await h.SlotStartsAsync(day));

        var booked = await h.CallAsync(Customer, "book_appointment", new()
        {
            ["start_iso"] = $"{day:yyyy-MM-dd}T11:00:00-03:00", ["customer_name"] = "Ana Pérez", ["idempotency_key"] = "taken-a-moment-ago",
        });
        Assert.True(booked.IsError);
        Assert.Equal("slot_taken", booked.Meta!["calendarconnect/error_code"]!.GetValue<string>());
        Assert.NotEmpty(booked.Meta!["calendarconnect/alternatives"]!.AsArray());
        Assert.Equal(["staff1"], h.EmulatorEvents(Email).Select(e => e["id"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Disconnecting_deletes_the_mirror(string engine)
    {
        await using var h = await MirrorHarness.StartAsync(engine);
        await h.CreateAccountAsync(Email);
        await h.AddEventAsync(Email, Timed("busy1", McpServerHarness.NextWeekday(), "10:00", "11:00"));
        await h.ConnectAsync(Customer, Email);
        await h.SyncedAsync();
        Assert.NotEmpty(await h.Store().EventsOfAsync(Customer, "primary", CancellationToken.None));

        using var http = h.ServiceClient();
        (await http.DeleteAsync($"/customers/{Customer}/calendar")).EnsureSuccessStatusCode();
        Assert.Empty(await h.Store().EventsOfAsync(Customer, "primary", CancellationToken.None));
        Assert.Empty((await h.Store().LoadCompanyAsync(Customer, Instant.MinValue, CancellationToken.None)).Calendars);
        var result = await h.CallAsync(Customer, "get_available_slots", new() { ["date_iso"] = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd") });
        Assert.True(result.IsError);
    }

    [Fact]
    public async Task Calendars_added_to_the_settings_are_mirrored_and_removed_ones_forgotten()
    {
        await using var h = await MirrorHarness.StartAsync();
        await h.ConnectAsync(Customer, Email);
        await h.SyncedAsync();

        using var http = h.ServiceClient();
        (await http.PutAsJsonAsync($"/customers/{Customer}/booking-settings", new { calendar_ids = new[] { "primary", Email } })).EnsureSuccessStatusCode();
        await h.SyncedAsync(calendarId: Email);
        (await http.PutAsJsonAsync($"/customers/{Customer}/booking-settings", new { calendar_ids = new[] { Email } })).EnsureSuccessStatusCode();
        await Eventually.TrueAsync(async () =>
            (await h.Store().LoadCompanyAsync(Customer, Instant.MinValue, CancellationToken.None)).Calendars.Select(c => c.CalendarId).SequenceEqual([Email]),
            "only the calendar still in calendar_ids is mirrored");
    }

    private static Task<int> FullSyncsAsync(McpServerHarness h) =>
        Task.FromResult(h.Logs.Lines.Count(l => l.Contains("fully synced", StringComparison.Ordinal)));
}
