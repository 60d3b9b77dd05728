using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.Assistant.McpCalendar;
using CalendarConnect.AssistantEvaluation.Corpus;
using CalendarConnect.Testing;
using NodaTime;
using NodaTime.Text;

namespace CalendarConnect.AssistantEvaluation.Running;

/// <summary>An event in the company's calendar, at its local start.</summary>
public sealed record CalendarEvent(string Id, LocalDateTime Start);

/// <summary>
/// The scenario company's calendar as Google (the emulator) shows it, read with the company's own access token:
/// what the corpus's booked / moved / cancelled are judged on, and how each case's bookings are removed after it.
/// </summary>
public sealed class CompanyCalendar : IDisposable
{
    private static readonly OffsetDateTimePattern Rfc3339 = OffsetDateTimePattern.ExtendedIso;
    private readonly SystemHarness harness;
    private readonly HttpClient google;
    private readonly ICalendarAdapter mcp;
    private readonly DateTimeZone zone = DateTimeZoneProviders.Tzdb[Scenario.TimeZone];
    private readonly HashSet<string> companyOwn = Scenario.Busy.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);

    private CompanyCalendar(SystemHarness harness, HttpClient google, ICalendarAdapter mcp)
    {
        this.harness = harness;
        this.google = google;
        this.mcp = mcp;
    }

    /// <param name="mcp">The MCP client the cases' appointments are cancelled through afterwards.</param>
    public static async Task<CompanyCalendar> OpenAsync(SystemHarness harness, ICalendarAdapter mcp)
    {
        var google = harness.Emulator.CreateClient();
        google.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await harness.AccessTokenAsync(Scenario.CustomerId));
        return new CompanyCalendar(harness, google, mcp);
    }

    /// <summary>Every event over <see cref="Scenario.Watched"/>, cancelled ones left out.</summary>
    public async Task<IReadOnlyList<CalendarEvent>> EventsAsync()
    {
        var (first, end) = Scenario.Watched;
        var from = Uri.EscapeDataString(Rfc3339WithMinutes(first));
        var to = Uri.EscapeDataString(Rfc3339WithMinutes(end));
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get,
            $"/calendar/v3/calendars/primary/events?timeMin={from}&timeMax={to}&singleEvents=true&maxResults=2500"));
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("items").EnumerateArray()
            .Where(e => !e.TryGetProperty("status", out var status) || status.GetString() != "cancelled")
            .Select(e => new CalendarEvent(e.GetProperty("id").GetString()!,
                Rfc3339.Parse(e.GetProperty("start").GetProperty("dateTime").GetString()!).Value.InZone(zone).LocalDateTime))
            .ToList();
    }

    /// <summary>Google wants the offset's minutes too ("-03:00"), which NodaTime's ISO pattern leaves out when zero.</summary>
    private string Rfc3339WithMinutes(LocalDate day) =>
        day.AtStartOfDayInZone(zone).ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Removes what a case wrote, so the next case meets the scenario's calendar again. Through the MCP server's
    /// cancel_appointment, as a customer's cancellation: the server keeps its own record of the appointments it made
    /// (busy time next to Google's), which an event deleted at Google alone would leave behind.
    /// </summary>
    /// <exception cref="InvalidOperationException">One of the company's own events was changed: no case may do that, and later cases would be judged against another calendar.</exception>
    public async Task RestoreAsync()
    {
        var events = await EventsAsync();
        var written = events.Where(e => !companyOwn.Contains(e.Id)).ToList();
        if (written.Count > 0)
        {
            await using var session = mcp.OpenSession(Scenario.CustomerId);
            foreach (var appointment in written) await session.CancelAppointmentAsync(appointment.Id);
        }
        var own = events.Where(e => companyOwn.Contains(e.Id)).ToDictionary(e => e.Id, e => e.Start);
        foreach (var busy in Scenario.Busy)
            if (!own.TryGetValue(busy.Id, out var start) || start != busy.Date.At(busy.From))
                throw new InvalidOperationException($"The company's own event {busy.Id} was moved or removed by a case.");
    }

    /// <summary>Sends with the current access token, reading it again once if the emulator refuses the one held (refreshed meanwhile).</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request)
    {
        using (var first = request())
        {
            var response = await google.SendAsync(first);
            if (response.StatusCode != HttpStatusCode.Unauthorized) return response;
            response.Dispose();
        }
        google.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await harness.AccessTokenAsync(Scenario.CustomerId));
        using var again = request();
        return await google.SendAsync(again);
    }

    public void Dispose() => google.Dispose();
}

/// <summary>What one message changed in the calendar.</summary>
public sealed record CalendarChange(IReadOnlyList<CalendarEvent> Created, IReadOnlyList<(CalendarEvent From, CalendarEvent To)> Moved, IReadOnlyList<CalendarEvent> Removed)
{
    public bool None => Created.Count == 0 && Moved.Count == 0 && Removed.Count == 0;

    public static CalendarChange Between(IReadOnlyList<CalendarEvent> before, IReadOnlyList<CalendarEvent> after)
    {
        var old = before.ToDictionary(e => e.Id);
        var now = after.ToDictionary(e => e.Id);
        return new CalendarChange(
            after.Where(e => !old.ContainsKey(e.Id)).ToList(),
            after.Where(e => old.TryGetValue(e.Id, out var was) && was.Start != e.Start).Select(e => (old[e.Id], e)).ToList(),
            before.Where(e => !now.ContainsKey(e.Id)).ToList());
    }

    public override string ToString() => None ? "nothing" : string.Join("; ",
        Created.Select(e => $"booked {Describe(e.Start)}")
            .Concat(Moved.Select(m => $"moved {Describe(m.From.Start)} -> {Describe(m.To.Start)}"))
            .Concat(Removed.Select(e => $"cancelled {Describe(e.Start)}")));

    private static string Describe(LocalDateTime start) => $"{Expectation.Iso(start.Date)} {Expectation.Hhmm(start.TimeOfDay)}";
}
