using System.Net;
using CalendarConnect.McpServer.Mirror;
using CalendarConnect.Testing;
using NodaTime;
using static CalendarConnect.McpServer.Tests.Mirror.MirrorHarness;
using static CalendarConnect.McpServer.Tests.Mirror.MirrorReplicaTests;

namespace CalendarConnect.McpServer.Tests.Mirror;

/// <summary>
/// <c>POST /google/notifications</c> is public: only a notification with the channel's own token counts, every other
/// request is answered without telling a stranger anything, and nothing it sends can change what a company sees.
/// </summary>
public class GoogleNotificationTests
{
    private const string Token = "the-secret-token-of-channel-1";

    /// <summary>Channels are wanted; the tests open theirs by hand, so the emulator is never asked to deliver.</summary>
    private static readonly Dictionary<string, string?> PushWanted = new() { ["GOOGLE_PUSH_URL"] = "http://127.0.0.1:1/google/notifications" };

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Only_a_notification_with_the_channels_token_marks_the_calendar_changed(string engine)
    {
        await using var h = await MirrorHarness.StartAsync(engine, PushOnlyPolicy, PushWanted);
        await h.ConnectAsync(Customer, Email);
        await h.SyncedAsync();
        await OpenConfirmedChannelAsync(h.Store(), "channel-1", Token);
        var lists = await h.GoogleRequestsAsync("/events", "GET");

        using var http = h.Mcp.CreateClient();
        foreach (var (request, expected) in new (HttpRequestMessage, HttpStatusCode)[]
                 {
                     (Notification("channel-1", "a-guessed-token", "exists"), HttpStatusCode.NotFound),
                     (Notification("channel-1", null, "exists"), HttpStatusCode.NotFound),
                     (Notification("no-such-channel", Token, "exists"), HttpStatusCode.NotFound),
                     (Notification("channel-1", Token, "exists", resourceId: "another-resource"), HttpStatusCode.NotFound),
                     (Notification("channel-1", Token, "drop tables"), HttpStatusCode.BadRequest),
                     (Notification(new string('x', 5000), Token, "exists"), HttpStatusCode.BadRequest),
                     (new HttpRequestMessage(HttpMethod.Post, "/google/notifications"), HttpStatusCode.BadRequest),
                 })
        {
            using (request)
            using (var response = await http.SendAsync(request))
            {
                Assert.Equal(expected, response.StatusCode);
                var body = await response.Content.ReadAsStringAsync();
                Assert.DoesNotContain(Customer, body);
                Assert.DoesNotContain("primary", body);
            }
        }

        // None of those was believed: the calendar is not dirty and was not synced again.
        var state = (await h.Store().LoadCompanyAsync(Customer, Instant.MinValue, CancellationToken.None)).Calendars.Single();
        Assert.Null(state.DirtySince);
        Assert.Equal(lists, await h.GoogleRequestsAsync("/events", "GET"));

        // The channel's first message ("sync") changes nothing; "exists" makes the calendar sync.
        using (var sync = Notification("channel-1", Token, "sync"))
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(sync)).StatusCode);
        Assert.Equal(lists, await h.GoogleRequestsAsync("/events", "GET"));
        var before = state.SyncedAt!.Value;
        using (var exists = Notification("channel-1", Token, "exists"))
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(exists)).StatusCode);
        await h.SyncedAsync(after: before);
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_notification_without_its_sync_makes_reads_go_live_after_the_grace()
    {
        // The notification is believed, but every sync fails: reads must not keep trusting the mirror.
        await using var h = await MirrorHarness.StartAsync(policy: PushOnlyPolicy with { NotificationGrace = TimeSpan.FromMilliseconds(300) }, settings: PushWanted);
        await h.ConnectAsync(Customer, Email);
        await h.SyncedAsync();
        await OpenConfirmedChannelAsync(h.Store(), "channel-1", Token);
        var day = McpServerHarness.NextWeekday();
        await h.FaultAsync("/calendar/v3/calendars/primary/events", 500, 10_000);
        await h.AddEventAsync(Email, Timed("staff1", day, "10:00", "11:00"));
        using var http = h.Mcp.CreateClient();
        using (var exists = Notification("channel-1", Token, "exists"))
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(exists)).StatusCode);

        await Eventually.TrueAsync(async () => !(await h.SlotStartsAsync(day)).Contains("10:00"), "reads go live and see the event");
    }
}
