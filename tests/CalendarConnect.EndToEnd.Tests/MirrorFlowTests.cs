using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.Testing;

namespace CalendarConnect.EndToEnd.Tests;

/// <summary>
/// The whole system as the AppHost runs it in demo mode — busy-time mirror on, the emulator pushing notifications to the
/// MCP server — on the real clock: a meeting the company's staff put in Google Calendar reaches the assistant's answers
/// within seconds.
/// </summary>
public class MirrorFlowTests
{
    private const string CustomerId = "empresa-abc-123";
    private const string Email = "contacto@empresa-abc.com";
    private const string Zone = "America/Argentina/Buenos_Aires";

    [Fact]
    public async Task A_meeting_added_in_Google_Calendar_reaches_the_assistant_through_push()
    {
        await using var system = await SystemHarness.StartAsync(mirrorWithPush: true);
        await system.CreateGoogleAccountAsync(Email, Zone);
        using (var api = system.AdminApi())
        {
            var body = await (await api.PostAsJsonAsync("/v1/customer-calendars/connect",
                new { customer_id = CustomerId, customer_email = Email, customer_name = "Empresa ABC S.A." })).Content.ReadFromJsonAsync<JsonElement>();
            var redirect = await GoogleConsent.DecideAsync(body.GetProperty("authorization_url").GetString()!, Email, allow: true);
            using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
            (await browser.GetAsync(redirect)).Dispose();
        }

        var day = NextWeekday();
        var spanish = CultureInfo.GetCultureInfo("es-AR");
        var ask = $"Quiero reservar el {day.Day} de {day.ToString("MMMM", spanish)} a las 3 PM";
        Assert.True(await AvailableAsync(system, ask), "15:00 is free before the meeting");

        await system.AddEventAsync(Email, "staff0meeting", day.ToString("yyyy-MM-dd"), "15:00", "16:00", Zone);
        await Eventually.TrueAsync(async () => !await AvailableAsync(system, ask), "the meeting blocks 15:00 in the assistant's answer",
            TimeSpan.FromSeconds(10));
    }

    private static int _conversation;

    /// <summary>A new conversation each time, so nothing pending from the last answer changes this one.</summary>
    private static async Task<bool> AvailableAsync(SystemHarness system, string text)
    {
        using var chat = system.Backend.CreateClient();
        var answer = await (await chat.PostAsJsonAsync("/v1/assistant/messages",
            new { customer_id = CustomerId, conversation_id = $"mirror-{Interlocked.Increment(ref _conversation)}", text })).Content.ReadFromJsonAsync<JsonElement>();
        return answer.GetProperty("available").ValueKind == JsonValueKind.True;
    }

    /// <summary>A weekday at least two days ahead in the company's zone (open 09–18 by default, so 15:00 can be booked).</summary>
    private static DateOnly NextWeekday()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Zone);
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime).AddDays(2);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) day = day.AddDays(1);
        return day;
    }
}
