using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.McpServer.Mirror;
using CalendarConnect.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CalendarConnect.McpServer.Tests.Mirror;

/// <summary>The MCP server with its busy-time mirror on, on short intervals, and ways to look into the mirror and the emulator.</summary>
public static class MirrorHarness
{
    public const string Email = "contacto@empresa-abc.com";
    public const string Customer = "empresa-abc-123";

    /// <summary>Seconds instead of minutes, so tests see a poll, a stale copy or a back-off happen.</summary>
    public static readonly MirrorPolicy FastPolicy = MirrorPolicy.Default with
    {
        PollInterval = TimeSpan.FromMilliseconds(500),
        IdleSyncInterval = TimeSpan.FromMilliseconds(500),
        MaxAgeWithoutPush = TimeSpan.FromSeconds(2),
        WorkerTick = TimeSpan.FromMilliseconds(100),
        ReconcileEvery = TimeSpan.FromSeconds(1),
        VersionCheckEvery = TimeSpan.FromMilliseconds(100),
        FirstBackoff = TimeSpan.FromMilliseconds(200),
        MaxBackoff = TimeSpan.FromSeconds(1),
    };

    /// <summary>Polls and safety syncs minutes apart, reads trusting the mirror for minutes: only notifications and our own writes change it.</summary>
    public static readonly MirrorPolicy PushOnlyPolicy = FastPolicy with
    {
        PollInterval = TimeSpan.FromMinutes(5),
        IdleSyncInterval = TimeSpan.FromMinutes(5),
        SafetySyncWithPush = TimeSpan.FromMinutes(5),
        MaxAgeWithoutPush = TimeSpan.FromMinutes(10),
    };

    /// <param name="push">GOOGLE_PUSH_URL set to this server's own /google/notifications: the emulator delivers there.</param>
    public static Task<McpServerHarness> StartAsync(string engine = Engines.Sqlite, MirrorPolicy? policy = null,
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null, bool push = false)
    {
        var all = new Dictionary<string, string?> { ["BUSY_MIRROR"] = "on" };
        if (push)
        {
            var url = $"http://127.0.0.1:{LoopbackServer.FreePort()}";
            all["urls"] = url;
            all["GOOGLE_PUSH_URL"] = url + "/google/notifications";
        }

        foreach (var (name, value) in settings ?? new Dictionary<string, string?>()) all[name] = value;
        return McpServerHarness.StartAsync(engine: engine, settings: all, configureServices: services =>
        {
            services.AddSingleton(policy ?? FastPolicy);
            configureServices?.Invoke(services);
        });
    }

    public static MirrorStore Store(this McpServerHarness h) => h.Mcp.GetRequiredService<MirrorStore>();

    /// <summary>Waits until the calendar has been synced at least once after <paramref name="after"/>.</summary>
    public static Task SyncedAsync(this McpServerHarness h, string customerId = Customer, string calendarId = "primary", Instant? after = null) =>
        Eventually.TrueAsync(async () =>
        {
            var rows = await h.Store().LoadCompanyAsync(customerId, Instant.MinValue, CancellationToken.None);
            return rows.Calendars.Any(c => c.CalendarId == calendarId && c.HasSyncToken && c.SyncedAt > (after ?? Instant.MinValue));
        }, $"calendar {calendarId} of {customerId} synced");

    /// <summary>How many requests of this kind the emulator received so far.</summary>
    public static async Task<int> GoogleRequestsAsync(this McpServerHarness h, string pathContains, string method = "")
    {
        var requests = await h.EmulatorRequestsAsync();
        return requests.EnumerateArray().Count(r => r.GetProperty("path").GetString()!.Contains(pathContains, StringComparison.Ordinal) &&
            (method.Length == 0 || r.GetProperty("method").GetString() == method));
    }

    public static async Task FaultAsync(this McpServerHarness h, string pathPrefix, int status, int count)
    {
        using var http = h.Emulator.CreateClient();
        (await http.PostAsJsonAsync("/emulator/faults", new { path_prefix = pathPrefix, status, count })).EnsureSuccessStatusCode();
    }

    public static object Timed(string id, DateOnly day, string from, string to, string? transparency = null) => new
    {
        id,
        summary = "ocupado",
        start = new { dateTime = $"{day:yyyy-MM-dd}T{from}:00-03:00" },
        end = new { dateTime = $"{day:yyyy-MM-dd}T{to}:00-03:00" },
        transparency,
    };

    public static async Task<IReadOnlyList<string>> SlotStartsAsync(this McpServerHarness h, DateOnly day, string customerId = Customer)
    {
        var result = await h.CallAsync(customerId, "get_available_slots", new() { ["date_iso"] = day.ToString("yyyy-MM-dd") });
        Assert.NotEqual(true, result.IsError);
        return result.StructuredContent!.Value.GetProperty("slots").EnumerateArray()
            .Select(s => s.GetProperty("start").GetString()![11..16]).ToList();
    }

    /// <summary>The emulator's open channels (GET /emulator/channels).</summary>
    public static async Task<IReadOnlyList<JsonElement>> EmulatorChannelsAsync(this McpServerHarness h)
    {
        using var http = h.Emulator.CreateClient();
        return (await http.GetFromJsonAsync<JsonElement>("/emulator/channels")).EnumerateArray().ToList();
    }
}
