using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.GoogleEmulator;
using CalendarConnect.Testing;

namespace CalendarConnect.ScaleOut.Tests;

/// <summary>One event of a Google calendar as Google lists it.</summary>
public sealed record GoogleEvent(string Id, DateTimeOffset Start, string Status);

/// <summary>
/// Google's side of the story (the emulator as Google): creates the companies' Google accounts, and reads their
/// calendars through the Calendar API with a read-only consent of its own, so what the test sees does not depend on
/// anything CalendarConnect stored or answered.
/// </summary>
public sealed class GoogleSide(Uri emulator) : IDisposable
{
    private const string ReadOnlyScope = "https://www.googleapis.com/auth/calendar.readonly";
    // Google only compares it: the code is read from the consent's redirect, never delivered anywhere.
    private const string InspectorRedirect = "http://127.0.0.1:1/inspector";

    private readonly HttpClient _http = new() { BaseAddress = emulator, Timeout = TimeSpan.FromSeconds(30) };
    private readonly Dictionary<string, string> _tokens = new(StringComparer.OrdinalIgnoreCase);

    public async Task CreateAccountAsync(string email, string timeZone) =>
        (await _http.PostAsJsonAsync("/emulator/accounts", new { email, time_zone = timeZone })).EnsureSuccessStatusCode();

    /// <summary>Every event of the account's primary calendar that is not cancelled, as Google lists them (all pages).</summary>
    public async Task<IReadOnlyList<GoogleEvent>> EventsAsync(string email, DateTimeOffset from, DateTimeOffset to)
    {
        var token = await TokenAsync(email);
        var events = new List<GoogleEvent>();
        string? page = null;
        do
        {
            var query = $"calendar/v3/calendars/primary/events?singleEvents=true&maxResults=2500&timeMin={Uri.EscapeDataString(from.ToString("O"))}" +
                        $"&timeMax={Uri.EscapeDataString(to.ToString("O"))}" + (page is null ? "" : "&pageToken=" + Uri.EscapeDataString(page));
            using var request = new HttpRequestMessage(HttpMethod.Get, query);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await _http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            foreach (var item in body.GetProperty("items").EnumerateArray())
                events.Add(new GoogleEvent(item.GetProperty("id").GetString()!,
                    DateTimeOffset.Parse(item.GetProperty("start").GetProperty("dateTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                    item.GetProperty("status").GetString()!));
            page = body.TryGetProperty("nextPageToken", out var next) ? next.GetString() : null;
        } while (page is not null);

        return events.Where(e => e.Status != "cancelled").ToList();
    }

    /// <summary>The account's owner consents, on Google's page, to this inspector reading the calendar.</summary>
    private async Task<string> TokenAsync(string email)
    {
        if (_tokens.TryGetValue(email, out var known)) return known;
        var authorization = new Uri(_http.BaseAddress!, "o/oauth2/v2/auth?" + string.Join('&', new Dictionary<string, string>
        {
            ["client_id"] = EmulatorDefaults.ClientId,
            ["redirect_uri"] = InspectorRedirect,
            ["response_type"] = "code",
            ["scope"] = ReadOnlyScope,
            ["login_hint"] = email,
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")));
        var redirect = await GoogleConsent.DecideAsync(authorization.ToString(), email, allow: true);
        var code = System.Web.HttpUtility.ParseQueryString(redirect.Query)["code"]
            ?? throw new InvalidOperationException($"Google's consent for {email} redirected without a code: {redirect}");
        using var response = await _http.PostAsync("token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["client_id"] = EmulatorDefaults.ClientId,
            ["client_secret"] = EmulatorDefaults.ClientSecret,
            ["redirect_uri"] = InspectorRedirect,
        }));
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        _tokens[email] = token;
        return token;
    }

    public void Dispose() => _http.Dispose();
}
