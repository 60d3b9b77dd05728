using CalendarConnect.Testing;
using CalendarConnect.Backend.Storage;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CalendarConnect.Backend.Tests.Channels;

/// <summary>/chat's layout in Debian's Chromium (as <see cref="AdminPageBrowserTests"/>).</summary>
public class ChatPageBrowserTests
{
    [Fact]
    public async Task At_1280_px_the_toolbar_stays_inside_its_card_whatever_the_company_names()
    {
        SetDefaultExpectTimeout(15_000);
        await using var h = await BackendHarness.StartAsync();
        var memory = h.Server.GetRequiredService<CustomerMemory>();
        await memory.UpsertAsync("empresa-abc-123", "contacto@empresa-abc.com", "Empresa ABC S.A.");
        // A long name (the longest allowed) makes the company list as wide as its longest entry unless the layout bounds it.
        await memory.UpsertAsync("clinica-odontologica-integral-del-sur", "turnos@clinica.example",
            string.Concat(Enumerable.Repeat("Clínica Odontológica Integral del Sur ", 6))[..200].Trim());
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTesting.LaunchChromiumAsync(playwright);
        var page = await browser.NewTestPageAsync(new() { Locale = "es-ES", ViewportSize = new() { Width = 1280, Height = 800 } });

        await page.OpenAsync(h.Server.Url("chat"));
        await page.GetByLabel("Usuario").FillAsync(BackendHarness.AdminUser);
        await page.GetByLabel("Contraseña").FillAsync(BackendHarness.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(h.Server.Url("chat"));
        await Expect(page.GetByLabel("Empresa")).ToBeEnabledAsync();
        await Expect(page.GetByLabel("Empresa").Locator("option")).ToHaveCountAsync(2);

        var card = (await page.Locator("section.card").BoundingBoxAsync())!;
        foreach (var control in new[]
                 {
                     page.GetByRole(AriaRole.Button, new() { Name = "Nueva conversación" }),
                     page.GetByLabel("Empresa"),
                     page.GetByRole(AriaRole.Button, new() { Name = "Enviar" }),
                 })
        {
            var box = (await control.BoundingBoxAsync())!;
            Assert.True(box.X >= card.X && box.X + box.Width <= card.X + card.Width && box.Y >= card.Y && box.Y + box.Height <= card.Y + card.Height,
                $"{await control.EvaluateAsync<string>("e => e.id")} at x {box.X}–{box.X + box.Width}, y {box.Y}–{box.Y + box.Height}; the card at x {card.X}–{card.X + card.Width}, y {card.Y}–{card.Y + card.Height}");
        }
        // Nothing scrolls sideways either.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
    }
}
