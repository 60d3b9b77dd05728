using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CalendarConnect.Benchmark.Google;

/// <summary>Google requests the emulator has received so far (OAuth: /token, /o/oauth2, /revoke; Calendar API: /calendar).</summary>
public readonly record struct RequestCount(long Total, long OAuth, long Calendar)
{
    public static RequestCount operator -(RequestCount a, RequestCount b) => new(a.Total - b.Total, a.OAuth - b.OAuth, a.Calendar - b.Calendar);
}

/// <summary>One entry of GET /emulator/requests.</summary>
public sealed record EmulatorRequest(string Method, string Path, string? GrantType, int Status);

/// <summary>
/// The emulator's control API (DESIGN.md, "Google emulator"). Latency, delay/hang faults and the request count are
/// newer than the rest: <see cref="ProbeAsync"/> finds out what the running emulator supports, so the benchmark prints
/// "n/a" for what it lacks instead of failing.
/// </summary>
public sealed class EmulatorControl(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    public bool SupportsLatency { get; private set; }
    public bool SupportsHang { get; private set; }
    public bool SupportsCount { get; private set; }

    public async Task ProbeAsync()
    {
        using (var latency = await _http.PutAsJsonAsync("/emulator/latency", new { ms = 0, jitter_ms = 0 }))
            SupportsLatency = latency.IsSuccessStatusCode;
        // A hang fault on a path nobody calls: accepted only by an emulator that knows "hang" (today's answers 400
        // because it has no status). It never fires.
        using (var hang = await _http.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/benchmark-probe/never-called", hang = true, count = 1 }))
            SupportsHang = hang.IsSuccessStatusCode;
        using (var count = await _http.GetAsync("/emulator/requests/count"))
            SupportsCount = count.IsSuccessStatusCode;
    }

    /// <summary>Every OAuth and Calendar API request is answered after <paramref name="ms"/> ± <paramref name="jitterMs"/>.</summary>
    public async Task SetLatencyAsync(int ms, int jitterMs)
    {
        using var response = await _http.PutAsJsonAsync("/emulator/latency", new { ms, jitter_ms = jitterMs });
        await EnsureAsync(response, "PUT /emulator/latency");
    }

    public async Task AddFaultAsync(string pathPrefix, int count, int? status = null, int? delayMs = null, bool? hang = null)
    {
        var body = new JsonObject { ["path_prefix"] = pathPrefix, ["count"] = count };
        if (status is { } s) body["status"] = s;
        if (delayMs is { } d) body["delay_ms"] = d;
        if (hang is { } h) body["hang"] = h;
        using var response = await _http.PostAsJsonAsync("/emulator/faults", body);
        await EnsureAsync(response, "POST /emulator/faults");
    }

    public async Task ExpireAccessTokensAsync()
    {
        using var response = await _http.PostAsync("/emulator/expire-access-tokens", null);
        await EnsureAsync(response, "POST /emulator/expire-access-tokens");
    }

    public async Task CreateAccountAsync(string email, string timeZone)
    {
        using var response = await _http.PostAsJsonAsync("/emulator/accounts", new { email, time_zone = timeZone });
        await EnsureAsync(response, "POST /emulator/accounts");
    }

    /// <summary>Inserts a Google Event resource into the account's primary calendar, as a person editing it would.</summary>
    public async Task AddEventAsync(string email, object googleEvent)
    {
        using var response = await _http.PostAsJsonAsync($"/emulator/accounts/{Uri.EscapeDataString(email)}/events", googleEvent);
        await EnsureAsync(response, "POST /emulator/accounts/{email}/events");
    }

    /// <summary>From GET /emulator/requests/count when the emulator has it, else by counting GET /emulator/requests.</summary>
    public async Task<RequestCount> RequestCountAsync()
    {
        if (SupportsCount)
        {
            var count = await _http.GetFromJsonAsync<JsonElement>("/emulator/requests/count");
            return new RequestCount(Number(count, "total"), Number(count, "oauth"), Number(count, "calendar"));
        }
        long total = 0, oauth = 0, calendar = 0;
        foreach (var entry in await RequestsAsync())
        {
            total++;
            if (entry.Path.StartsWith("/calendar", StringComparison.Ordinal)) calendar++;
            else oauth++;
        }
        return new RequestCount(total, oauth, calendar);
    }

    public async Task<IReadOnlyList<EmulatorRequest>> RequestsAsync()
    {
        await using var stream = await _http.GetStreamAsync("/emulator/requests");
        using var document = await JsonDocument.ParseAsync(stream);
        return document.RootElement.EnumerateArray().Select(e => new EmulatorRequest(
            e.GetProperty("method").GetString() ?? "",
            e.GetProperty("path").GetString() ?? "",
            e.TryGetProperty("grant_type", out var grant) && grant.ValueKind == JsonValueKind.String ? grant.GetString() : null,
            e.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Number ? status.GetInt32() : 0)).ToList();
    }

    private static long Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync();
        throw new InvalidOperationException($"{what} answered {(int)response.StatusCode} {(response.StatusCode == HttpStatusCode.NotFound ? "(not supported by this emulator)" : "")}: {body}");
    }

    public void Dispose() => _http.Dispose();
}
