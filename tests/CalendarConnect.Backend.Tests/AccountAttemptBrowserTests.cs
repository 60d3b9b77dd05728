using CalendarConnect.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// Issue 11, item 1, in /clientes (Debian's Chromium): a company's consent with another Google account shows as a note on
/// its row, and "Aceptar cuenta" accepts that account only after a confirmation in the page.
/// </summary>
public class AccountAttemptBrowserTests
{
    [Fact]
    public async Task The_attempt_shows_on_the_row_and_is_accepted_after_a_confirmation()
    {
        SetDefaultExpectTimeout(15_000);
        await using var h = await BackendHarness.StartAsync();
        using (var client = h.AdminClient())
            (await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        h.Mcp!.SetAccountAttempt("empresa-abc-123", "otra.persona@gmail.com", "contacto@empresa-abc.com", DateTimeOffset.UtcNow.AddMinutes(-5));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTesting.LaunchChromiumAsync(playwright);
        var (context, page, errors) = await SignedInAsync(browser, h);
        await using var _ = context;

        var row = page.Locator("#customers-body tr[data-customer-id='empresa-abc-123']");
        await Expect(row.Locator(".badge")).ToHaveTextAsync("No conectado");
        await Expect(row.Locator(".account-attempt")).ToContainTextAsync("Intentó conectar con otra cuenta: otra.persona@gmail.com");
        await Expect(row.Locator(".account-attempt")).ToContainTextAsync("No se conectó ni se guardó nada.");

        // Cancelar changes nothing; the dialog names the company and the account.
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "¿Aceptar la otra cuenta de Google?" });
        var accept = row.GetByRole(AriaRole.Button, new() { Name = "Aceptar cuenta: Empresa ABC S.A." });
        await accept.ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync("Empresa ABC S.A. (empresa-abc-123)");
        await Expect(dialog).ToContainTextAsync("otra.persona@gmail.com");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancelar" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(accept).ToBeFocusedAsync();
        Assert.DoesNotContain(h.Mcp.Requests, r => r.PathAndQuery.Contains("account-attempt", StringComparison.Ordinal));

        await accept.ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Sí, aceptar esta cuenta" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        // The link for the accepted account is ready to send; the row shows the new email and no note any more.
        await Expect(page.GetByLabel("Link para compartir")).ToHaveValueAsync(h.Mcp.ShareableLinkFor("empresa-abc-123"));
        await Expect(page.Locator("#refresh-status")).ToContainTextAsync("Cuenta otra.persona@gmail.com aceptada para Empresa ABC S.A.");
        await Expect(row).ToContainTextAsync("otra.persona@gmail.com");
        await Expect(row.Locator(".account-attempt")).ToHaveCountAsync(0);
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Aceptar cuenta: Empresa ABC S.A." })).ToHaveCountAsync(0);
        Assert.Equal("otra.persona@gmail.com", Assert.Single(await h.RowsAsync()).CustomerEmail);
        Assert.True(errors.Count == 0, string.Join(" | ", errors));
    }

    /// <summary>A signed-in /clientes at 1280×800 in Spanish, and the script errors it logs.</summary>
    internal static async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> SignedInAsync(IBrowser browser, BackendHarness h)
    {
        var context = await browser.NewTestContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 }, Locale = "es-ES" });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        // Chromium logs every 4xx answer (the favicon's too) as "Failed to load resource"; script errors are what count.
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource: the server responded with a status of 4", StringComparison.Ordinal))
                errors.Add(message.Text);
        };
        page.Dialog += async (_, dialog) => { errors.Add("unexpected browser dialog: " + dialog.Message); await dialog.DismissAsync(); };
        await page.OpenAsync(h.Server.Url("clientes"));
        await page.GetByLabel("Usuario").FillAsync(BackendHarness.AdminUser);
        await page.GetByLabel("Contraseña").FillAsync(BackendHarness.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }).ClickAsync();
        return (context, page, errors);
    }

    [Fact]
    public async Task A_disconnection_google_did_not_confirm_says_the_access_may_still_be_active()
    {
        SetDefaultExpectTimeout(15_000);
        await using var h = await BackendHarness.StartAsync();
        using (var client = h.AdminClient())
            (await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        h.Mcp!.SetStatus("empresa-abc-123", "connected", "contacto@empresa-abc.com");
        h.Mcp.RevocationFails = true;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTesting.LaunchChromiumAsync(playwright);
        var (context, page, errors) = await SignedInAsync(browser, h);
        await using var _ = context;

        var row = page.Locator("#customers-body tr[data-customer-id='empresa-abc-123']");
        await row.GetByRole(AriaRole.Button, new() { Name = "Desconectar: Empresa ABC S.A." }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Sí, desconectar" }).ClickAsync();

        await Expect(row.Locator(".badge")).ToHaveTextAsync("No conectado");
        await Expect(page.Locator("#refresh-status")).ToContainTextAsync("Google no confirmó la revocación: el acceso puede seguir activo en Google");
        Assert.True(errors.Count == 0, string.Join(" | ", errors));
    }
}
