using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace CalendarConnect.AppHost;

/// <summary>
/// Demo mode: the spec's company (empresa-abc-123, contacto@empresa-abc.com) with a Google account in the emulator
/// whose calendar already has a few events, and the company saved in the backend, ready for "Conectar Calendario".
/// </summary>
public static class DemoSeed
{
    public const string CustomerId = "empresa-abc-123";
    /// <summary>The demo company's WhatsApp business number, so channel messages can be tried without Meta.</summary>
    public const string WhatsAppNumber = "+5491155550000";
    public const string CustomerEmail = "contacto@empresa-abc.com";
    public const string CustomerName = "Empresa ABC S.A.";
    public const string TimeZone = "America/Argentina/Buenos_Aires";

    public static async Task SeedEmulatorAsync(Uri emulator, TimeProvider time, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = emulator };
        (await http.PostAsJsonAsync("/emulator/accounts", new { email = CustomerEmail, time_zone = TimeZone }, cancellationToken)).EnsureSuccessStatusCode();

        // Busy times around "mañana a las 3 PM" so the demo shows both a free hour and the nearest alternatives.
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), zone).DateTime);
        var days = Enumerable.Range(1, 10).Select(today.AddDays).Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).Take(3).ToList();
        var events = new List<object>
        {
            Event("demo-1", "Reunión de equipo", days[0], 10, 11),
            Event("demo-2", "Visita de proveedor", days[0], 16, 17, transparent: false),
            Event("demo-3", "Almuerzo con cliente", days[1], 13, 14),
            Event("demo-4", "Recordatorio (no bloquea)", days[1], 15, 16, transparent: true),
            Event("demo-5", "Capacitación", days[2], 9, 12),
        };
        foreach (var e in events)
        {
            using var response = await http.PostAsJsonAsync($"/emulator/accounts/{Uri.EscapeDataString(CustomerEmail)}/events", e, cancellationToken);
            // The control API replaces an event with the same id (a restart moves the demo events to the coming days); 409 would be fine too.
            if (response.StatusCode != System.Net.HttpStatusCode.Conflict) response.EnsureSuccessStatusCode();
        }

        object Event(string id, string summary, DateOnly day, int fromHour, int toHour, bool transparent = false) => new
        {
            id = "democalendar" + id.Replace("-", "", StringComparison.Ordinal),
            summary,
            start = new { dateTime = $"{day:yyyy-MM-dd}T{fromHour:00}:00:00", timeZone = TimeZone },
            end = new { dateTime = $"{day:yyyy-MM-dd}T{toHour:00}:00:00", timeZone = TimeZone },
            transparency = transparent ? "transparent" : "opaque",
        };
    }

    /// <summary>Saves the demo company through the backend's own API, as an admin would with "Agregar Cliente".</summary>
    public static async Task<string?> SeedBackendAsync(Uri backend, string adminUser, string adminPassword, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = backend };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{adminUser}:{adminPassword}")));
        using var existing = await http.GetAsync($"/v1/customer-calendars/{CustomerId}", cancellationToken);
        if (existing.IsSuccessStatusCode) return null;
        using var response = await http.PostAsJsonAsync("/v1/customer-calendars/connect",
            new { customer_id = CustomerId, customer_email = CustomerEmail, customer_name = CustomerName, whatsapp_number = WhatsAppNumber },
            cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, object?>>(cancellationToken);
        return body?["authorization_url"]?.ToString();
    }
}
