using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.McpServer.Mirror;
using CalendarConnect.McpServer.TokenVault;
using CalendarConnect.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static CalendarConnect.McpServer.Tests.Mirror.MirrorHarness;

namespace CalendarConnect.McpServer.Tests.Mirror;

/// <summary>
/// Two MCP server replicas on one PostgreSQL database share one mirror: a notification may reach either, one of them
/// syncs the calendar (the lease), and both answer from the result without asking Google.
/// </summary>
public class MirrorReplicaTests
{

    [Fact]
    public async Task A_notification_on_replica_B_is_synced_once_and_both_replicas_answer_from_the_mirror()
    {
        await using var db = await TestDatabase.CreateAsync(Engines.PostgreSql);
        await using var emulator = await LoopbackServer.StartAsync(CalendarConnect.GoogleEmulator.Program.BuildApp);
        var settings = McpServerHarness.Settings(emulator, db.Location, FernetKey.Generate(), "replica-mirror-service-key");
        settings["BUSY_MIRROR"] = "on";
        settings["GOOGLE_PUSH_URL"] = "http://127.0.0.1:1/google/notifications"; // channels wanted (the tests open theirs by hand)
        await using var a = await LoopbackServer.StartAsync((args, s) => Program.BuildApp(args, s, services => services.AddSingleton(PushOnlyPolicy)), settings);
        await using var b = await LoopbackServer.StartAsync((args, s) => Program.BuildApp(args, s, services => services.AddSingleton(PushOnlyPolicy)), settings);
        var replicas = new Replicas(emulator, a, b, "replica-mirror-service-key");
        await replicas.ConnectAsync();
        var store = a.GetRequiredService<MirrorStore>();
        await Eventually.TrueAsync(async () => (await store.LoadCompanyAsync(Customer, Instant.MinValue, CancellationToken.None)).Calendars.Any(c => c.HasSyncToken),
            "the calendar is synced");
        const string token = "a-channel-token-only-google-and-we-know";
        await OpenConfirmedChannelAsync(store, "channel-1", token);

        var day = McpServerHarness.NextWeekday();
        var warmedAt = SystemClock.Instance.GetCurrentInstant();
        Assert.Contains("15:00", await replicas.SlotStartsAsync(a, day));
        Assert.Contains("15:00", await replicas.SlotStartsAsync(b, day));
        // The first reads of an idle calendar make it due once (it is polled from then on); let that sync pass.
        await Eventually.TrueAsync(async () => (await store.LoadCompanyAsync(Customer, Instant.MinValue, CancellationToken.None)).Calendars
            .Any(c => c.SyncedAt > warmedAt), "the sync woken by the first reads");
        var lists = await replicas.RequestsAsync("/events", "GET");
        var freeBusy = await replicas.RequestsAsync("/freeBusy", "POST");

        // Someone books 15:00 in Google Calendar; Google tells replica B.
        using (var control = emulator.CreateClient())
            (await control.PostAsJsonAsync($"/emulator/accounts/{Email}/events", Timed("staff1", day, "15:00", "16:00"))).EnsureSuccessStatusCode();
        using (var notification = Notification("channel-1", token, "exists"))
        using (var google = b.CreateClient())
            Assert.Equal(HttpStatusCode.OK, (await google.SendAsync(notification)).StatusCode);

        await Eventually.TrueAsync(async () => !(await replicas.SlotStartsAsync(a, day)).Contains("15:00"), "replica A sees the change");
        await Eventually.TrueAsync(async () => !(await replicas.SlotStartsAsync(b, day)).Contains("15:00"), "replica B sees the change");
        Assert.Equal(lists + 1, await replicas.RequestsAsync("/events", "GET"));
        Assert.Equal(freeBusy, await replicas.RequestsAsync("/freeBusy", "POST"));
    }

    internal static async Task OpenConfirmedChannelAsync(MirrorStore store, string channelId, string token, string resourceId = "resource-1")
    {
        // As the sync does it: under the calendar's lease (waiting out a sync that holds it).
        const string holder = "test-opening-a-channel";
        await Eventually.TrueAsync(async () => await store.TryLeaseAsync(Customer, "primary", holder, SystemClock.Instance.GetCurrentInstant(),
            SystemClock.Instance.GetCurrentInstant() + Duration.FromMinutes(1), CancellationToken.None) is not null, "the calendar's lease");
        var now = SystemClock.Instance.GetCurrentInstant();
        var channel = new MirrorChannel(channelId, Customer, "primary", PushChannels.HashToken(token), null, null, null, now);
        Assert.True(await store.AddChannelAsync(channel, holder, CancellationToken.None));
        Assert.True(await store.OpenedChannelAsync(channel, resourceId, now + Duration.FromDays(7), CancellationToken.None));
        await store.SetChannelConfirmedAsync(channel, now, CancellationToken.None);
        await store.ReleaseLeaseAsync(Customer, "primary", holder);
    }

    internal static HttpRequestMessage Notification(string channelId, string? token, string state, string resourceId = "resource-1")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/google/notifications");
        request.Headers.Add("X-Goog-Channel-ID", channelId);
        if (token is not null) request.Headers.Add("X-Goog-Channel-Token", token);
        request.Headers.Add("X-Goog-Resource-ID", resourceId);
        request.Headers.Add("X-Goog-Resource-URI", "https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json");
        request.Headers.Add("X-Goog-Resource-State", state);
        request.Headers.Add("X-Goog-Message-Number", "2");
        return request;
    }

    private sealed class Replicas(LoopbackServer emulator, LoopbackServer a, LoopbackServer b, string apiKey)
    {
        public async Task ConnectAsync()
        {
            using var control = emulator.CreateClient();
            (await control.PostAsJsonAsync("/emulator/accounts", new { email = Email, time_zone = McpServerHarness.TimeZone })).EnsureSuccessStatusCode();
            using var service = a.CreateClient();
            service.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
            var authorization = await (await service.PostAsJsonAsync("/oauth/authorize", new { customer_id = Customer, customer_email = Email }))
                .Content.ReadFromJsonAsync<JsonElement>();
            var redirect = await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, Email, allow: true);
            using var browser = b.CreateClient();
            using var callback = await browser.GetAsync("/oauth/callback" + redirect.Query);
            Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        }

        public async Task<IReadOnlyList<string>> SlotStartsAsync(LoopbackServer replica, DateOnly day)
        {
            await using var client = await ModelContextProtocol.Client.McpClient.CreateAsync(new ModelContextProtocol.Client.HttpClientTransport(new()
            {
                Endpoint = new Uri(replica.BaseAddress, "mcp"),
                TransportMode = ModelContextProtocol.Client.HttpTransportMode.StreamableHttp,
                AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + apiKey, ["X-Customer-Id"] = Customer },
            }));
            var result = await client.CallToolAsync("get_available_slots", new Dictionary<string, object?> { ["date_iso"] = day.ToString("yyyy-MM-dd") });
            Assert.NotEqual(true, result.IsError);
            return result.StructuredContent!.Value.GetProperty("slots").EnumerateArray().Select(s => s.GetProperty("start").GetString()![11..16]).ToList();
        }

        public async Task<int> RequestsAsync(string pathContains, string method)
        {
            using var control = emulator.CreateClient();
            var requests = await control.GetFromJsonAsync<JsonElement>("/emulator/requests");
            return requests.EnumerateArray().Count(r => r.GetProperty("path").GetString()!.Contains(pathContains, StringComparison.Ordinal) &&
                r.GetProperty("method").GetString() == method);
        }
    }
}
