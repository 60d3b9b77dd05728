using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using CalendarConnect.McpServer.Mirror;
using CalendarConnect.Testing;
using NodaTime;
using static CalendarConnect.McpServer.Tests.Mirror.MirrorHarness;

namespace CalendarConnect.McpServer.Tests.Mirror;

/// <summary>
/// The mirror's bookkeeping where timing matters, driven step by step against the real tables on both engines: a
/// notification that comes in while a sync runs, a full sync overlapping our own write, our own deletion, a channel
/// opened for a calendar forgotten meanwhile.
/// </summary>
public class MirrorStoreTests
{
    private const string Holder = "test-holder";

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_notification_that_comes_in_while_a_sync_runs_keeps_the_calendar_dirty_and_due(string engine)
    {
        await using var h = await StartQuietAsync(engine);
        // This test plays the sync itself; the server's own worker, woken by the notifications below, would race it for
        // the calendar's lease and, holding it at the end, make the calendar rightly not due (a flake on a busy machine).
        await h.Mcp.App.Services.GetServices<IHostedService>().OfType<MirrorWorker>().Single().StopAsync(CancellationToken.None);
        var store = h.Store();
        var before = Now();
        await store.MarkDirtyAsync(Customer, "primary", before, CancellationToken.None);
        var state = await store.TryLeaseAsync(Customer, "primary", Holder, Now(), Now() + Duration.FromMinutes(1), CancellationToken.None);
        Assert.NotNull(state);
        var startedAt = Now();
        // The staff change the calendar again after the sync asked Google: its notification arrives before the save.
        var during = startedAt + Duration.FromMilliseconds(5);
        await store.MarkDirtyAsync(Customer, "primary", during, CancellationToken.None);
        Assert.True(await store.SaveSyncAsync(Holder, Customer, "primary", false, [], "token-2", null, null, startedAt,
            startedAt + Duration.FromMinutes(5), startedAt, null, CancellationToken.None));

        var calendar = (await store.LoadCompanyAsync(Customer, Instant.MinValue, CancellationToken.None)).Calendars.Single();
        Assert.Equal(MirrorTime.Parse(MirrorTime.Format(during)), calendar.DirtySince); // kept to the millisecond
        Assert.Contains((Customer, "primary"), await store.DueAsync(Now() + Duration.FromSeconds(1), 10, CancellationToken.None));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_full_sync_keeps_our_own_write_made_after_it_asked_Google(string engine)
    {
        await using var h = await StartQuietAsync(engine);
        var store = h.Store();
        var startedAt = Now();
        Assert.NotNull(await store.TryLeaseAsync(Customer, "primary", Holder, startedAt, startedAt + Duration.FromMinutes(1), CancellationToken.None));
        var slot = startedAt + Duration.FromDays(2);
        // While the full listing is read, we book: Google's answer is newer than the listing, which does not have the event.
        await store.ApplyOwnWriteAsync(Customer, "primary",
            new MirroredEvent("ours1", slot, slot + Duration.FromHours(1), true, MirrorTime.Format(startedAt + Duration.FromMilliseconds(50))),
            CancellationToken.None);
        Assert.True(await store.SaveSyncAsync(Holder, Customer, "primary", true,
            [new MirroredEvent("staff1", slot + Duration.FromHours(3), slot + Duration.FromHours(4), true, MirrorTime.Format(startedAt - Duration.FromHours(1)))],
            "token-full", startedAt - Duration.FromDays(1), startedAt + Duration.FromDays(399), startedAt, startedAt + Duration.FromMinutes(5), startedAt, null,
            CancellationToken.None));

        var events = await store.EventsOfAsync(Customer, "primary", CancellationToken.None);
        Assert.Equal(["ours1", "staff1"], events.Select(e => e.EventId).Order());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Our_own_deletion_wins_over_the_stored_copy_even_when_our_clock_is_behind_Googles(string engine)
    {
        await using var h = await StartQuietAsync(engine);
        var store = h.Store();
        var slot = Now() + Duration.FromDays(2);
        var googleUpdated = Now() + Duration.FromMinutes(10); // Google's clock ahead of ours
        await store.ApplyOwnWriteAsync(Customer, "primary", new MirroredEvent("ours1", slot, slot + Duration.FromHours(1), true, MirrorTime.Format(googleUpdated)),
            CancellationToken.None);
        await store.ApplyOwnWriteAsync(Customer, "primary", new MirroredEvent("ours1", null, null, false, MirrorTime.Format(Now()), Cancelled: true),
            CancellationToken.None);
        Assert.False(Assert.Single(await store.EventsOfAsync(Customer, "primary", CancellationToken.None)).Busy);

        // A listing made before the deletion (the event still busy, at Google's earlier `updated`) does not bring it back.
        var startedAt = Now();
        Assert.NotNull(await store.TryLeaseAsync(Customer, "primary", Holder, startedAt, startedAt + Duration.FromMinutes(1), CancellationToken.None));
        await store.SaveSyncAsync(Holder, Customer, "primary", false,
            [new MirroredEvent("ours1", slot, slot + Duration.FromHours(1), true, MirrorTime.Format(googleUpdated))], "token-2", null, null, startedAt,
            startedAt + Duration.FromMinutes(5), startedAt, null, CancellationToken.None);
        Assert.False(Assert.Single(await store.EventsOfAsync(Customer, "primary", CancellationToken.None)).Busy);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_channel_is_recorded_only_under_the_calendars_lease(string engine)
    {
        await using var h = await StartQuietAsync(engine);
        var store = h.Store();
        var channel = new MirrorChannel("channel-x", Customer, "primary", PushChannels.HashToken("t"), null, null, null, Now());
        Assert.False(await store.AddChannelAsync(channel, Holder, CancellationToken.None));
        Assert.NotNull(await store.TryLeaseAsync(Customer, "primary", Holder, Now(), Now() + Duration.FromMinutes(1), CancellationToken.None));
        Assert.True(await store.AddChannelAsync(channel, Holder, CancellationToken.None));

        // Forgotten while Google opened it: the caller learns it is not wanted.
        await store.ForgetCompanyAsync(Customer, CancellationToken.None);
        Assert.False(await store.OpenedChannelAsync(channel, "resource-x", Now() + Duration.FromDays(7), CancellationToken.None));
        Assert.False(await store.AddChannelAsync(channel with { ChannelId = "channel-y" }, Holder, CancellationToken.None));
    }

    /// <summary>A connected, synced company whose mirror nothing but the test changes afterwards.</summary>
    private static async Task<McpServerHarness> StartQuietAsync(string engine)
    {
        var h = await MirrorHarness.StartAsync(engine, PushOnlyPolicy);
        await h.ConnectAsync(Customer, Email);
        await h.SyncedAsync();
        return h;
    }

    private static Instant Now() => SystemClock.Instance.GetCurrentInstant();
}
