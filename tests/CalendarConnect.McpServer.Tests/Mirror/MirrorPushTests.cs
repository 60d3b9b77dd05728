using System.Net.Http.Json;
using CalendarConnect.McpServer.Mirror;
using CalendarConnect.Testing;
using NodaTime;
using static CalendarConnect.McpServer.Tests.Mirror.MirrorHarness;

namespace CalendarConnect.McpServer.Tests.Mirror;

/// <summary>
/// The mirror with Google's push notifications, the emulator delivering them to the server's own
/// <c>/google/notifications</c>: a channel per calendar, confirmed by its first message, renewed before it expires,
/// reopened when it is lost, refused without harm, stopped when the company disconnects.
/// </summary>
public class MirrorPushTests
{

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_change_in_the_calendar_reaches_the_answers_through_a_notification(string engine)
    {
        await using var h = await MirrorHarness.StartAsync(engine, PushOnlyPolicy, push: true);
        var day = McpServerHarness.NextWeekday();
        await h.ConnectAsync(Customer, Email);
        await h.SyncedAsync();
        await ChannelConfirmedAsync(h);
        var channel = Assert.Single(await h.EmulatorChannelsAsync());
        Assert.Equal(h.Mcp.Url("google/notifications"), channel.GetProperty("address").GetString());
        Assert.True(channel.GetProperty("has_token").GetBoolean());

        Assert.Contains("15:00", await h.SlotStartsAsync(day));
        var freeBusy = await h.GoogleRequestsAsync("/freeBusy");
        await h.AddEventAsync(Email, Timed("staff1", day, "15:00", "16:00"));
        await Eventually.TrueAsync(async () => !(await h.SlotStartsAsync(day)).Contains("15:00"), "the notification's sync blocks 15:00",
            TimeSpan.FromSeconds(10));
        // Every answer came from the mirror.
        Assert.Equal(freeBusy, await h.GoogleRequestsAsync("/freeBusy"));
    }

    [Fact]
    public async Task A_channel_is_renewed_before_it_expires_and_the_old_one_stopped()
    {
        await using var h = await MirrorHarness.StartAsync(policy: PushOnlyPolicy with
        {
            ChannelTimeToLive = TimeSpan.FromSeconds(4),
            RenewChannelBefore = TimeSpan.FromSeconds(3),
            SafetySyncWithPush = TimeSpan.FromMilliseconds(500),
        }, push: true);
        await h.ConnectAsync(Customer, Email);
        await ChannelConfirmedAsync(h);
        var first = Assert.Single(await h.EmulatorChannelsAsync()).GetProperty("id").GetString();

        await Eventually.TrueAsync(async () => (await h.EmulatorChannelsAsync()) is [var only] && only.GetProperty("id").GetString() != first,
            "a new channel replaced the first before it expired");
        // Stopped at Google first, then forgotten here.
        await Eventually.TrueAsync(async () => (await h.Store().ChannelsOfAsync(Customer, "primary", CancellationToken.None)).All(c => c.ChannelId != first),
            "the first channel is forgotten");
    }

    [Fact]
    public async Task A_lost_channel_is_noticed_by_the_safety_sync_and_replaced()
    {
        await using var h = await MirrorHarness.StartAsync(policy: PushOnlyPolicy with { SafetySyncWithPush = TimeSpan.FromMilliseconds(500) }, push: true);
        var day = McpServerHarness.NextWeekday();
        await h.ConnectAsync(Customer, Email);
        await ChannelConfirmedAsync(h);
        var lost = Assert.Single(await h.EmulatorChannelsAsync()).GetProperty("id").GetString();
        using (var control = h.Emulator.CreateClient())
            (await control.PostAsJsonAsync("/emulator/channels/drop", new { id = lost })).EnsureSuccessStatusCode();

        // Google stopped telling us; the change is found by a safety sync, and a new channel is opened.
        await h.AddEventAsync(Email, Timed("unannounced", day, "12:00", "13:00"));
        await Eventually.TrueAsync(async () => !(await h.SlotStartsAsync(day)).Contains("12:00"), "the safety sync brings the change");
        await Eventually.TrueAsync(async () => (await h.EmulatorChannelsAsync()) is [var only] && only.GetProperty("id").GetString() != lost,
            "a new channel was opened");
        await Eventually.TrueAsync(() => Task.FromResult(h.Logs.Lines.Any(l => l.Contains("no push notification announced", StringComparison.Ordinal))),
            "the lost channel is logged");
    }

    [Fact]
    public async Task A_refused_channel_leaves_the_calendar_polled()
    {
        await using var h = await MirrorHarness.StartAsync(policy: FastPolicy, push: true);
        var day = McpServerHarness.NextWeekday();
        await h.FaultAsync("/calendar/v3/calendars/primary/events/watch", 403, 100);
        await h.ConnectAsync(Customer, Email);
        await h.SyncedAsync();
        Assert.Empty(await h.EmulatorChannelsAsync());
        Assert.Contains(h.Logs.Lines, l => l.Contains("did not open a push channel", StringComparison.Ordinal));

        await h.AddEventAsync(Email, Timed("polled", day, "10:00", "11:00"));
        await Eventually.TrueAsync(async () => (await h.Store().EventsOfAsync(Customer, "primary", CancellationToken.None)).Any(e => e.EventId == "polled"),
            "polling brings the change");
    }

    [Fact]
    public async Task Disconnecting_stops_the_channel_at_Google()
    {
        await using var h = await MirrorHarness.StartAsync(policy: PushOnlyPolicy, push: true);
        await h.ConnectAsync(Customer, Email);
        await ChannelConfirmedAsync(h);
        Assert.Single(await h.EmulatorChannelsAsync());

        using var http = h.ServiceClient();
        (await http.DeleteAsync($"/customers/{Customer}/calendar")).EnsureSuccessStatusCode();
        Assert.Empty(await h.EmulatorChannelsAsync());
        Assert.Empty(await h.Store().ChannelsOfCompanyAsync(Customer, CancellationToken.None));
    }

    private static Task ChannelConfirmedAsync(McpServerHarness h) =>
        Eventually.TrueAsync(async () => (await h.Store().ChannelsOfAsync(Customer, "primary", CancellationToken.None)).Any(c => c.ConfirmedAt is not null),
            "the channel's first message arrived");
}
