using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CalendarConnect.EndToEnd.Tests;

/// <summary>
/// Spec steps 1 to 6 as a person does them, in Debian's Chromium against the real system: the admin adds the
/// company in /clientes, opens the link in a popup, the company clicks "Permitir" on the (emulated) Google page,
/// and the admin's table turns "Conectado" without a reload.
/// </summary>
public class AdminBrowserFlowTests
{
    [Fact]
    public async Task Admin_connects_a_company_through_the_popup()
    {
        SetDefaultExpectTimeout(20_000);
        // After "Permitir" the popup lands on a local page instead of calendar.google.com (no internet here).
        await using var system = await SystemHarness.StartAsync(successUrl: "http://127.0.0.1:9/conectado");
        await system.CreateGoogleAccountAsync("contacto@empresa-abc.com", "America/Argentina/Buenos_Aires");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTesting.LaunchChromiumAsync(playwright);
        await using var context = await browser.NewTestContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, Locale = "es-ES" });
        var page = await context.NewPageAsync();

        await page.OpenAsync(system.Backend.Url("clientes"));
        await page.GetByLabel("Usuario").FillAsync(SystemHarness.AdminUser);
        await page.GetByLabel("Contraseña").FillAsync(SystemHarness.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Clientes", Level = 1 })).ToBeVisibleAsync();
        await page.EvaluateAsync("() => { window.sameDocument = true; }"); // a reload would lose it

        // Step 1: Agregar Cliente, the three fields, Conectar Calendario.
        await page.GetByRole(AriaRole.Button, new() { Name = "Agregar Cliente" }).ClickAsync();
        await page.GetByLabel("ID del Cliente").FillAsync("empresa-abc-123");
        await page.GetByLabel("Email del Cliente").FillAsync("contacto@empresa-abc.com");
        await page.GetByLabel("Nombre del Cliente").FillAsync("Empresa ABC S.A.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Conectar Calendario" }).ClickAsync();

        var row = page.Locator("#customers-body tr", new() { HasText = "empresa-abc-123" });
        await Expect(row.Locator(".badge")).ToHaveTextAsync("No conectado");

        // Step 3, option A: "Abrir ahora" opens Google's page in a popup; steps 4-5: the company allows.
        var popup = await context.RunAndWaitForPageAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Abrir ahora" }).ClickAsync());
        await Expect(popup.GetByText("Ver y gestionar tus eventos de Google Calendar")).ToBeVisibleAsync();
        await Expect(popup.GetByLabel("Correo electrónico")).ToHaveValueAsync("contacto@empresa-abc.com");
        var landed = popup.WaitForRequestAsync("http://127.0.0.1:9/conectado");
        await popup.GetByRole(AriaRole.Button, new() { Name = "Permitir" }).ClickAsync();
        await landed;

        // Step 6: the admin's table and the link panel show the connection without a reload.
        await Expect(row.Locator(".badge")).ToHaveTextAsync("Conectado");
        await Expect(row).ToContainTextAsync("contacto@empresa-abc.com");
        await Expect(page.Locator("#popup-status")).ToHaveTextAsync("Calendario de Empresa ABC S.A. conectado.");
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the page was reloaded");
        var screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "clientes-conectado.png"), FullPage = true });
    }
}
