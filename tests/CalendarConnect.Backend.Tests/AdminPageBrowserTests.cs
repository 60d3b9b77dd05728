using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CalendarConnect.Backend.Tests;

/// <summary>The admin page /clientes in Debian's Chromium (never Playwright's own browser download).</summary>
public class AdminPageBrowserTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright)
    {
        Assert.True(File.Exists(ChromiumPath), $"Chromium not found at {ChromiumPath}: apt-get install -y chromium, or set CHROMIUM_PATH.");
        return await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    [Fact]
    public async Task Admin_adds_a_company_opens_and_copies_the_link_and_sees_the_status_change()
    {
        SetDefaultExpectTimeout(15_000);
        await using var h = await BackendHarness.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchChromiumAsync(playwright);
        var origin = h.Server.BaseAddress.GetLeftPart(UriPartial.Authority);
        await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, Locale = "es-ES" });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = origin });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add(message.Text); };
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) => { dialogs.Add(dialog.Message); await dialog.DismissAsync(); };

        // Sign in: /clientes sends us to /ingresar and back.
        await page.GotoAsync(h.Server.Url("clientes"));
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/ingresar"));
        await page.GetByLabel("Usuario").FillAsync(BackendHarness.AdminUser);
        await page.GetByLabel("Contraseña").FillAsync(BackendHarness.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(h.Server.Url("clientes"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Clientes", Level = 1 })).ToBeVisibleAsync();

        // Step 1: Agregar Cliente; inline Spanish errors first.
        await page.GetByRole(AriaRole.Button, new() { Name = "Agregar Cliente" }).ClickAsync();
        await Expect(page.GetByLabel("ID del Cliente")).ToHaveAttributeAsync("placeholder", "empresa-abc-123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Conectar Calendario" }).ClickAsync();
        await Expect(page.Locator("#customer_id-error")).ToHaveTextAsync("Ingrese el ID del cliente.");
        await page.GetByLabel("ID del Cliente").FillAsync("-mal id");
        await page.GetByLabel("Email del Cliente").FillAsync("no-es-email");
        await page.GetByRole(AriaRole.Button, new() { Name = "Conectar Calendario" }).ClickAsync();
        await Expect(page.Locator("#customer_id-error")).ToContainTextAsync("empezando con letra o número");
        await Expect(page.Locator("#customer_email-error")).ToContainTextAsync("email válido");
        Assert.Empty(await h.RowsAsync());

        await page.GetByLabel("ID del Cliente").FillAsync("empresa-abc-123");
        await page.GetByLabel("Email del Cliente").FillAsync("contacto@empresa-abc.com");
        await page.GetByLabel("Nombre del Cliente").FillAsync("Empresa ABC S.A.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Conectar Calendario" }).ClickAsync();

        // Step 3: the link panel.
        var authorizationUrl = h.Mcp!.AuthorizationUrlFor("empresa-abc-123");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Abrir ahora" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Link para compartir")).ToHaveValueAsync(authorizationUrl);

        var popup = await context.RunAndWaitForPageAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Abrir ahora" }).ClickAsync());
        await popup.WaitForLoadStateAsync();
        Assert.Equal(authorizationUrl, popup.Url);
        await Expect(popup.GetByRole(AriaRole.Heading, new() { Name = "Permitir acceso" })).ToBeVisibleAsync();
        await popup.CloseAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Copiar link" }).ClickAsync();
        await Expect(page.GetByText("Link copiado")).ToBeVisibleAsync();
        Assert.Equal(authorizationUrl, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        // The table: "No conectado", then the company authorizes and "Conectado" appears without a reload.
        var row = page.Locator("#customers-body tr", new() { HasText = "empresa-abc-123" });
        await Expect(row.Locator(".badge")).ToHaveTextAsync("No conectado");
        await Expect(row).ToContainTextAsync("Empresa ABC S.A.");
        await Expect(row).ToContainTextAsync("contacto@empresa-abc.com");
        h.Mcp.SetStatus("empresa-abc-123", "connected", "agenda@empresa-abc.com");
        await Expect(row.Locator(".badge")).ToHaveTextAsync("Conectado");
        await Expect(row).ToContainTextAsync("agenda@empresa-abc.com");

        // A company whose name is markup stays text.
        const string xssName = "<img src=x onerror=alert(1)>";
        await page.GetByRole(AriaRole.Button, new() { Name = "Agregar Cliente" }).ClickAsync();
        await page.GetByLabel("ID del Cliente").FillAsync("xss-co");
        await page.GetByLabel("Email del Cliente").FillAsync("xss@xss-co.com");
        await page.GetByLabel("Nombre del Cliente").FillAsync(xssName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Conectar Calendario" }).ClickAsync();
        await Expect(page.Locator("#link-customer")).ToHaveTextAsync(xssName + " (xss-co)");
        var xssRow = page.Locator("#customers-body tr", new() { HasText = "xss-co" });
        await Expect(xssRow.Locator("td").Nth(1)).ToHaveTextAsync(xssName);
        h.Mcp.SetStatus("xss-co", "needs_reauthorization", "xss@xss-co.com");
        await Expect(xssRow.Locator(".badge")).ToHaveTextAsync("Requiere re-autorización");
        Assert.Equal(0, await page.Locator("img").CountAsync());
        Assert.Empty(dialogs);
        Assert.DoesNotContain(consoleErrors, e => e.Contains("Content Security Policy"));

        var screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "clientes.png"), FullPage = true });
        await page.GotoAsync(h.Server.Url("clientes")); // a fresh load shows the table right away
        await Expect(page.Locator("#customers-body tr")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task The_sign_in_page_shows_a_spanish_error_for_a_wrong_password()
    {
        SetDefaultExpectTimeout(15_000);
        await using var h = await BackendHarness.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(h.Server.Url("ingresar"));
        await page.GetByLabel("Usuario").FillAsync("admin");
        await page.GetByLabel("Contraseña").FillAsync("equivocada");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Usuario o contraseña incorrectos.");
        var screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "ingresar.png") });
    }
}
