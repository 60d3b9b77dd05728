using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarConnect.McpServer.SystemStatus;
using CalendarConnect.Testing;
using Microsoft.Playwright;
using ModelContextProtocol.Client;
using static Microsoft.Playwright.Assertions;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// "Estado del sistema": GET /v1/system-status (admin only, the MCP server's report passed on, 502 when it cannot be
/// read) and the /estado page in Debian's Chromium against the real MCP server and the emulator: a company whose grant
/// Google revoked and a Google failure injected at the emulator appear, with a link to reconnect in /clientes, in Spanish
/// and in English, without console errors.
/// </summary>
public class SystemStatusTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_report_is_for_the_admin_only()
    {
        await using var h = await BackendHarness.StartAsync();
        using var anonymous = h.Server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("v1/system-status", Ct)).StatusCode);
        using var wrong = h.Server.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = BackendHarness.Basic(BackendHarness.AdminUser, "wrong password");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("v1/system-status", Ct)).StatusCode);
        // The page itself sends a browser to sign in, and back here afterwards.
        using var response = await anonymous.GetAsync("estado", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("volver=%2Festado", response.Headers.Location!.Query);
    }

    [Fact]
    public async Task Without_the_MCP_server_the_report_is_a_502_problem()
    {
        await using var h = await BackendHarness.StartAsync(mcpDown: true);
        using var admin = h.AdminClient();
        using var response = await admin.GetAsync("v1/system-status", Ct);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_empty_system_reports_nothing_to_worry_about()
    {
        await using var h = await SystemHarness.StartAsync();
        using var admin = h.AdminApi();
        using var response = await admin.GetAsync("/v1/system-status", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(0, status.GetProperty("needs_reauthorization").GetProperty("total").GetInt64());
        Assert.Empty(status.GetProperty("needs_reauthorization").GetProperty("companies").EnumerateArray());
        Assert.Equal(60, status.GetProperty("google_failures").GetProperty("window_minutes").GetInt32());
        Assert.Equal(0, status.GetProperty("google_failures").GetProperty("by_kind").GetProperty("calendar_api").GetInt64());
        Assert.Equal(0, status.GetProperty("google_failures").GetProperty("by_kind").GetProperty("token_refresh").GetInt64());
        Assert.Empty(status.GetProperty("google_failures").GetProperty("latest").EnumerateArray());
        Assert.False(status.GetProperty("mirror").GetProperty("enabled").GetBoolean());
    }

    private static async Task CallAvailabilityAsync(SystemHarness h, string customerId)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(h.Mcp.BaseAddress, "mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + h.ApiKey, ["X-Customer-Id"] = customerId },
        });
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: Ct);
        // A weekday, inside the default business hours: the tool must ask Google.
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(3);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) day = day.AddDays(1);
        var result = await client.CallToolAsync("get_available_slots", new Dictionary<string, object?> { ["date_iso"] = day.ToString("yyyy-MM-dd") },
            cancellationToken: Ct);
        Assert.True(result.IsError, $"{customerId}: the call should have failed");
    }

    [Fact]
    public async Task The_page_shows_a_company_to_reauthorize_and_a_Google_failure_in_Spanish_and_English()
    {
        SetDefaultExpectTimeout(30_000);
        await using var h = await SystemHarness.StartAsync();
        const string Zone = "America/Argentina/Buenos_Aires";
        await h.ConnectCompanyAsync("empresa-revocada", "agenda@empresa-revocada.com", "Empresa Revocada", Zone);
        await h.ConnectCompanyAsync("empresa-caida", "agenda@empresa-caida.com", "Empresa Caída", Zone);
        using (var control = h.Emulator.CreateClient())
        {
            // The company revokes access at Google: the next call's refresh is refused (invalid_grant).
            (await control.PostAsync("/emulator/accounts/agenda%40empresa-revocada.com/revoke", null, Ct)).EnsureSuccessStatusCode();
            await CallAvailabilityAsync(h, "empresa-revocada");
            // Google's Calendar API fails for the other company's next calls.
            (await control.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/calendar/v3/freeBusy", status = 503, count = 50 }, Ct))
                .EnsureSuccessStatusCode();
            await CallAvailabilityAsync(h, "empresa-caida");
        }
        // What the MCP server counted is written every few seconds; written now, the page's first read has it.
        await h.Mcp.GetRequiredService<GoogleFailureFlusher>().FlushAsync(Ct);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTesting.LaunchChromiumAsync(playwright);
        await using var context = await browser.NewTestContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, Locale = "es-ES" });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add(message.Text + " at " + message.Location); };
        page.PageError += (_, error) => consoleErrors.Add(error);

        // Same sign-in as /clientes, and back to /estado.
        await page.OpenAsync(h.Backend.Url("estado"));
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/ingresar"));
        await page.GetByLabel("Usuario").FillAsync(SystemHarness.AdminUser);
        await page.GetByLabel("Contraseña").FillAsync(SystemHarness.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(h.Backend.Url("estado"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Estado del sistema", Level = 1 })).ToBeVisibleAsync();

        // The company to re-authorize: why, since when, and a link to reconnect it in /clientes.
        var reauthorization = page.Locator("#reauth-body tr", new() { HasText = "empresa-revocada" });
        await Expect(reauthorization).ToContainTextAsync("Google revocó o venció el permiso (invalid_grant)");
        await Expect(page.Locator("#reauth-body tr")).ToHaveCountAsync(1);
        await Expect(reauthorization.GetByRole(AriaRole.Link, new() { Name = "Reconectar en Clientes" }))
            .ToHaveAttributeAsync("href", "/clientes?q=empresa-revocada&status=needs_reauthorization");

        // The last hour's Google failures: the refresh Google refused, and the Calendar API's 503.
        await Expect(page.Locator("#count-token_refresh")).ToHaveTextAsync("1");
        await Expect(page.Locator("#count-calendar_api")).Not.ToHaveTextAsync("0");
        var calendarFailure = page.Locator("#failures-body tr", new() { HasText = "empresa-caida" });
        await Expect(calendarFailure).ToContainTextAsync("Calendar API");
        await Expect(calendarFailure).ToContainTextAsync("Error interno de Google (backendError, HTTP 503)");
        var refreshFailure = page.Locator("#failures-body tr", new() { HasText = "empresa-revocada" });
        await Expect(refreshFailure).ToContainTextAsync("Renovación de token");
        await Expect(page.Locator("#failures-empty")).ToBeHiddenAsync();
        await Expect(page.Locator("#mirror-empty")).ToContainTextAsync("El espejo de calendarios está apagado");
        // Never a token or a Google message on the page.
        Assert.DoesNotContain("ya29", await page.Locator("main").InnerTextAsync());

        // English, as on /clientes.
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "System status", Level = 1 })).ToBeVisibleAsync();
        await Expect(page).ToHaveTitleAsync("System status · CalendarConnect");
        await Expect(reauthorization).ToContainTextAsync("Google revoked or expired the grant (invalid_grant)");
        await Expect(calendarFailure).ToContainTextAsync("Google internal error (backendError, HTTP 503)");
        await Expect(refreshFailure).ToContainTextAsync("Token refresh");
        await Expect(page.Locator("#mirror-empty")).ToContainTextAsync("The calendar mirror is off");

        // The link leads to the company in /clientes, where it can be reconnected.
        await reauthorization.GetByRole(AriaRole.Link, new() { Name = "Reconnect in Customers" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(h.Backend.Url("clientes?q=empresa-revocada&status=needs_reauthorization"));
        var row = page.Locator("#customers-body tr", new() { HasText = "empresa-revocada" });
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Reconnect" })).ToBeVisibleAsync();
        await Expect(page.Locator("#customers-body tr")).ToHaveCountAsync(1);

        // The browser's own request for /favicon.ico (there is none) is not the page's.
        Assert.DoesNotContain(consoleErrors, e => !e.Contains("/favicon.ico"));
    }

    [Fact]
    public async Task With_the_mirror_on_the_page_shows_each_calendars_last_sync()
    {
        SetDefaultExpectTimeout(30_000);
        await using var h = await SystemHarness.StartAsync(mirrorWithPush: true);
        await h.ConnectCompanyAsync("empresa-espejo", "agenda@empresa-espejo.com", "Empresa Espejo", "America/Argentina/Buenos_Aires");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTesting.LaunchChromiumAsync(playwright);
        await using var context = await browser.NewTestContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, Locale = "es-ES" });
        var page = await context.NewPageAsync();
        await page.OpenAsync(h.Backend.Url("estado"));
        await page.GetByLabel("Usuario").FillAsync(SystemHarness.AdminUser);
        await page.GetByLabel("Contraseña").FillAsync(SystemHarness.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(h.Backend.Url("estado"));

        // The mirror syncs the new calendar on its own; the page refreshes itself until the row says so.
        var calendar = page.Locator("#mirror-body tr", new() { HasText = "empresa-espejo" });
        await Expect(calendar).ToContainTextAsync("Al día", new() { Timeout = 60_000 });
        await Expect(page.Locator("#mirror-empty")).ToBeHiddenAsync();
        await Expect(calendar).Not.ToContainTextAsync("Nunca");
    }
}
