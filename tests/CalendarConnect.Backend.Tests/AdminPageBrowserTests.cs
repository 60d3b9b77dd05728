using CalendarConnect.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CalendarConnect.Backend.Tests;

/// <summary>The admin page /clientes in Debian's Chromium (never Playwright's own browser download).</summary>
public class AdminPageBrowserTests(ClassChromium chromium) : IClassFixture<ClassChromium>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Admin_adds_a_company_opens_and_copies_the_link_sees_the_status_change_and_disconnects()
    {
        SetDefaultExpectTimeout(15_000);
        await using var h = await BackendHarness.StartAsync();
        var browser = await chromium.BrowserAsync();
        var origin = h.Server.BaseAddress.GetLeftPart(UriPartial.Authority);
        await using var context = await browser.NewTestContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, Locale = "es-ES" });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = origin });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add(message.Text); };
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) => { dialogs.Add(dialog.Message); await dialog.DismissAsync(); };

        // Sign in: /clientes sends us to /ingresar and back.
        await page.OpenAsync(h.Server.Url("clientes"));
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
        var shareableLink = h.Mcp.ShareableLinkFor("empresa-abc-123");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Abrir ahora" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Link para compartir")).ToHaveValueAsync(shareableLink);
        await Expect(page.Locator("#link-expiry")).ToContainTextAsync("válido hasta");
        await Expect(page.Locator("#link-expiry")).ToContainTextAsync("2031");

        var popup = await context.RunAndWaitForPageAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Abrir ahora" }).ClickAsync());
        // Web-first: the popup's URL and heading, not its load event (which a busy machine was seen to miss).
        await Expect(popup).ToHaveURLAsync(authorizationUrl, new() { Timeout = 30_000 });
        await Expect(popup.GetByRole(AriaRole.Heading, new() { Name = "Permitir acceso" })).ToBeVisibleAsync();
        await popup.CloseAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Copiar link" }).ClickAsync();
        await Expect(page.Locator("#copy-status")).ToContainTextAsync("Link copiado · válido hasta");
        Assert.Equal(shareableLink, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        // The table: "No conectado", then the company authorizes and "Conectado" appears without a reload.
        var row = page.Locator("#customers-body tr", new() { HasText = "empresa-abc-123" });
        await Expect(row.Locator(".badge")).ToHaveTextAsync("No conectado");
        await Expect(row).ToContainTextAsync("Empresa ABC S.A.");
        await Expect(row).ToContainTextAsync("contacto@empresa-abc.com");
        h.Mcp.SetStatus("empresa-abc-123", "connected", "Contacto@Empresa-ABC.com");
        await Expect(row.Locator(".badge")).ToHaveTextAsync("Conectado");
        await Expect(row).ToContainTextAsync("Contacto@Empresa-ABC.com");
        await Expect(row.Locator(".mismatch")).ToHaveCountAsync(0);

        // The consenting Google account is not the company's email: a warning next to it.
        h.Mcp.SetStatus("empresa-abc-123", "connected", "otra.persona@gmail.com", accountMismatch: true);
        await Expect(row.Locator(".mismatch")).ToHaveTextAsync("Otra cuenta");
        await Expect(row).ToContainTextAsync("Distinta del email de la empresa (contacto@empresa-abc.com)");

        // Desconectar asks first, in the page; Cancelar changes nothing.
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "¿Desconectar el calendario?" });
        await row.GetByRole(AriaRole.Button, new() { Name = "Desconectar" }).ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync("Empresa ABC S.A. (empresa-abc-123)");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancelar" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        Assert.DoesNotContain(h.Mcp.Requests, r => r.Method == "DELETE");
        Assert.Equal("connected", h.Mcp.StatusOf("empresa-abc-123"));
        await row.GetByRole(AriaRole.Button, new() { Name = "Desconectar" }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Sí, desconectar" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(row.Locator(".badge")).ToHaveTextAsync("No conectado");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Desconectar" })).ToHaveCountAsync(0);
        Assert.Single(h.Mcp.Requests, r => r.Method == "DELETE" && r.PathAndQuery == "/customers/empresa-abc-123/calendar");
        Assert.Equal("not_connected", h.Mcp.StatusOf("empresa-abc-123"));
        Assert.Single(await h.RowsAsync(), r => r.CustomerId == "empresa-abc-123"); // still a client

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

        // Reconectar runs the connect flow again for that company: a fresh link in the panel.
        await page.Locator("#link-panel").EvaluateAsync("p => p.hidden = true");
        await xssRow.GetByRole(AriaRole.Button, new() { Name = "Reconectar" }).ClickAsync();
        await Expect(page.GetByLabel("Link para compartir")).ToHaveValueAsync(h.Mcp.ShareableLinkFor("xss-co"));
        await Expect(page.Locator("#link-customer")).ToHaveTextAsync(xssName + " (xss-co)");
        // The panel may still show the first link (the stand-in's link per company is stable): wait for the second request.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (h.Mcp.Requests.Count(r => r.PathAndQuery == "/oauth/authorize" && r.Body.Contains("xss-co")) < 2 && DateTime.UtcNow < deadline)
            await Task.Delay(50, Ct);
        Assert.Equal(2, h.Mcp.Requests.Count(r => r.PathAndQuery == "/oauth/authorize" && r.Body.Contains("xss-co")));
        Assert.Equal(0, await page.Locator("img").CountAsync());
        Assert.Empty(dialogs);
        Assert.DoesNotContain(consoleErrors, e => e.Contains("Content Security Policy"));

        var screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "clientes.png"), FullPage = true });
        await page.OpenAsync(h.Server.Url("clientes")); // a fresh load shows the table right away
        await Expect(page.Locator("#customers-body tr")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task Admin_sets_a_companys_hours_sees_them_saved_after_a_reload_and_reads_inline_errors()
    {
        SetDefaultExpectTimeout(15_000);
        await using var h = await BackendHarness.StartAsync();
        using (var api = h.AdminClient())
            (await api.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody("empresa-horas", "agenda@empresa-horas.com", "Peluquería <b>Sol</b>"), Ct))
                .EnsureSuccessStatusCode();
        var browser = await chromium.BrowserAsync();
        await using var context = await browser.NewTestContextAsync(new() { Locale = "es-ES", ViewportSize = new() { Width = 1280, Height = 1000 } });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add(message.Text); };
        await page.OpenAsync(h.Server.Url("clientes"));
        await page.GetByLabel("Usuario").FillAsync(BackendHarness.AdminUser);
        await page.GetByLabel("Contraseña").FillAsync(BackendHarness.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(h.Server.Url("clientes"));

        // Keyboard: focus the row's button and press Enter; the panel opens with the defaults, focus in its first field.
        var row = page.Locator("#customers-body tr", new() { HasText = "empresa-horas" });
        await row.GetByRole(AriaRole.Button, new() { Name = "Configurar horarios" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var panel = page.Locator("#settings-panel");
        await Expect(panel.GetByRole(AriaRole.Heading, new() { Name = "Horarios de Peluquería <b>Sol</b> (empresa-horas)" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Zona horaria")).ToBeFocusedAsync();
        await Expect(page.GetByLabel("Zona horaria")).ToHaveValueAsync("");
        var mondayFrom = page.GetByLabel("Lunes, rango 1: desde", new() { Exact = true });
        var mondayTo = page.GetByLabel("Lunes, rango 1: hasta", new() { Exact = true });
        await Expect(mondayFrom).ToHaveValueAsync("09:00");
        await Expect(mondayTo).ToHaveValueAsync("18:00");
        await Expect(page.Locator("#bs-sat-ranges")).ToHaveTextAsync("Cerrado");
        await Expect(page.GetByLabel("Duración del turno (min)")).ToHaveValueAsync("60");
        await Expect(page.GetByLabel("Margen antes (min)")).ToHaveValueAsync("0");
        await Expect(page.GetByLabel("Margen después (min)")).ToHaveValueAsync("0");
        await Expect(page.GetByLabel("Anticipación mínima (min)")).ToHaveValueAsync("60");
        await Expect(page.GetByLabel("Horizonte (días)")).ToHaveValueAsync("60");
        await Expect(page.GetByLabel("Calendarios")).ToHaveValueAsync("primary");
        var anyStart = page.GetByLabel("Permitir turnos a cualquier hora del horario");
        await Expect(anyStart).Not.ToBeCheckedAsync();
        await anyStart.CheckAsync();

        // Lunes 10:00–14:00; a second range on Sábado added and removed again; Guardar.
        await mondayFrom.FillAsync("10:00");
        await mondayTo.FillAsync("14:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Agregar rango al Sábado" }).ClickAsync();
        await Expect(page.GetByLabel("Sábado, rango 1: desde", new() { Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("09:00");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("13:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Agregar rango al Sábado" }).ClickAsync();
        await page.GetByLabel("Sábado, rango 2: desde", new() { Exact = true }).FillAsync("15:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Quitar rango 2 del Sábado" }).ClickAsync();
        await Expect(page.GetByLabel("Sábado, rango 2: desde", new() { Exact = true })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        await Expect(page.Locator("#settings-success")).ToHaveTextAsync("Horarios guardados para Peluquería <b>Sol</b>.");
        using (var saved = System.Text.Json.JsonDocument.Parse(h.Mcp!.BookingSettingsOf("empresa-horas")!))
        {
            Assert.Equal("""[["10:00","14:00"]]""", saved.RootElement.GetProperty("weekly_hours").GetProperty("mon").GetRawText());
            Assert.Equal("""[["09:00","13:00"]]""", saved.RootElement.GetProperty("weekly_hours").GetProperty("sat").GetRawText());
            Assert.True(saved.RootElement.GetProperty("allow_off_grid_starts").GetBoolean());
        }

        // A reload shows what was saved.
        await page.ReloadAsync();
        await page.Locator("#customers-body tr", new() { HasText = "empresa-horas" }).GetByRole(AriaRole.Button, new() { Name = "Configurar horarios" }).ClickAsync();
        await Expect(mondayFrom).ToHaveValueAsync("10:00");
        await Expect(mondayTo).ToHaveValueAsync("14:00");
        await Expect(page.GetByLabel("Sábado, rango 1: hasta", new() { Exact = true })).ToHaveValueAsync("13:00");
        await Expect(anyStart).ToBeCheckedAsync();
        await Expect(page.GetByLabel("Martes, rango 1: desde", new() { Exact = true })).ToHaveValueAsync("09:00");

        // An inverted range and a too-short slot: inline Spanish errors next to each, focus on the first, nothing saved.
        await mondayFrom.FillAsync("14:00");
        await mondayTo.FillAsync("10:00");
        await page.GetByLabel("Duración del turno (min)").FillAsync("1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        await Expect(page.Locator("[id='bs-weekly_hours.mon-error']")).ToContainTextAsync("El rango 14:00–10:00 termina antes de empezar");
        await Expect(page.Locator("#bs-slot_minutes-error")).ToHaveTextAsync("Debe ser un número entero de 5 a 1440.");
        await Expect(mondayFrom).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("Duración del turno (min)")).ToBeFocusedAsync();
        await Expect(page.Locator("#settings-success")).ToBeHiddenAsync();
        using (var unchanged = System.Text.Json.JsonDocument.Parse(h.Mcp.BookingSettingsOf("empresa-horas")!))
            Assert.Equal("""[["10:00","14:00"]]""", unchanged.RootElement.GetProperty("weekly_hours").GetProperty("mon").GetRawText());

        // What only the MCP server can refuse shows under its field too, as the server wrote it.
        await mondayFrom.FillAsync("10:00");
        await mondayTo.FillAsync("14:00");
        await page.GetByLabel("Duración del turno (min)").FillAsync("30");
        await page.GetByLabel("Calendarios").FillAsync("primary, unreadable@group.calendar.google.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        await Expect(page.Locator("#bs-calendar_ids-error")).ToHaveTextAsync("The connected account cannot read calendar 'unreadable@group.calendar.google.com'.");
        await Expect(page.Locator("[id='bs-weekly_hours.mon-error']")).ToHaveTextAsync("");
        await Expect(page.Locator("#bs-slot_minutes-error")).ToHaveTextAsync("");

        var screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "clientes-horarios.png"), FullPage = true });

        // Cerrar (or Escape) hides the panel and gives focus back to the row's button.
        await page.GetByLabel("Calendarios").PressAsync("Escape");
        await Expect(panel).ToBeHiddenAsync();
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Configurar horarios" })).ToBeFocusedAsync();
        Assert.Equal(0, await page.Locator("#settings-panel b").CountAsync());
        Assert.DoesNotContain(consoleErrors, e => e.Contains("Content Security Policy"));
    }

    /// <summary>
    /// Where the screenshots go: the test's output folder on every run, and docs/screenshots of the repository (the
    /// README shows them) only when UPDATE_SCREENSHOTS=1 — a test run must not rewrite tracked files (the page shows
    /// the time of its last refresh, so every run would change them).
    /// </summary>
    public static string RepositoryScreenshots()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots");
        if (Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1")
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Directory.Packages.props"))) folder = folder.Parent;
            if (folder is not null) path = Path.Combine(folder.FullName, "docs", "screenshots");
        }

        Directory.CreateDirectory(path);
        return path;
    }

    [Fact]
    public async Task Admin_switches_the_page_to_english_and_back_and_the_choice_is_remembered()
    {
        SetDefaultExpectTimeout(15_000);
        await using var h = await BackendHarness.StartAsync();
        using (var api = h.AdminClient())
        {
            (await api.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody("empresa-abc-123", "contacto@empresa-abc.com", "Empresa ABC S.A."), Ct)).EnsureSuccessStatusCode();
            (await api.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody("peluqueria-sol", "turnos@peluqueria-sol.com", "Peluquería Sol"), Ct)).EnsureSuccessStatusCode();
            (await api.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody("clinica-norte", "agenda@clinica-norte.com", "Clínica Norte"), Ct)).EnsureSuccessStatusCode();
        }
        h.Mcp!.SetStatus("empresa-abc-123", "connected", "contacto@empresa-abc.com");
        h.Mcp.SetStatus("clinica-norte", "needs_reauthorization", "agenda@clinica-norte.com");
        var browser = await chromium.BrowserAsync();
        await using var context = await browser.NewTestContextAsync(new() { Locale = "es-ES", ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add(message.Text); };
        await page.OpenAsync(h.Server.Url("clientes"));
        await page.GetByLabel("Usuario").FillAsync(BackendHarness.AdminUser);
        await page.GetByLabel("Contraseña").FillAsync(BackendHarness.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(h.Server.Url("clientes"));

        ILocator Badge(string id) => page.Locator("#customers-body tr", new() { HasText = id }).Locator(".badge");
        async Task ExpectSpanishAsync()
        {
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "es");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Clientes", Level = 1 })).ToBeVisibleAsync();
            await Expect(Badge("empresa-abc-123")).ToHaveTextAsync("Conectado");
            await Expect(Badge("peluqueria-sol")).ToHaveTextAsync("No conectado");
            await Expect(Badge("clinica-norte")).ToHaveTextAsync("Requiere re-autorización");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Agregar Cliente" })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Reconectar" })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Estado" })).ToBeVisibleAsync();
        }

        // Spanish by default.
        await ExpectSpanishAsync();
        var screenshots = RepositoryScreenshots();
        await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "clientes-es.png") });

        // English: every label, button, badge and message; the keyboard reaches the switch.
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Customers", Level = 1 })).ToBeVisibleAsync();
        await Expect(Badge("empresa-abc-123")).ToHaveTextAsync("Connected");
        await Expect(Badge("peluqueria-sol")).ToHaveTextAsync("Not connected");
        await Expect(Badge("clinica-norte")).ToHaveTextAsync("Needs re-authorization");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Reconnect" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Set hours" })).ToHaveCountAsync(3);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add Customer" }).ClickAsync();
        await Expect(page.GetByLabel("Customer ID")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Customer Email")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Customer Name")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect Calendar" }).ClickAsync();
        await Expect(page.Locator("#customer_id-error")).ToHaveTextAsync("Enter the customer ID.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await page.Locator("#customers-body tr", new() { HasText = "peluqueria-sol" }).GetByRole(AriaRole.Button, new() { Name = "Set hours" }).ClickAsync();
        await Expect(page.GetByLabel("Monday, range 1: from", new() { Exact = true })).ToHaveValueAsync("09:00");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add range to Saturday" })).ToBeVisibleAsync();
        await Expect(page.Locator("#bs-sat-ranges")).ToHaveTextAsync("Closed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(page.Locator("#settings-panel")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "clientes-en.png") });

        // Remembered across a reload; the status change still shows without a reload, in English.
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Customers", Level = 1 })).ToBeVisibleAsync();
        h.Mcp.SetStatus("peluqueria-sol", "connected", "turnos@peluqueria-sol.com");
        await Expect(Badge("peluqueria-sol")).ToHaveTextAsync("Connected");
        h.Mcp.SetStatus("peluqueria-sol", "not_connected", null);

        // And back to Spanish.
        await page.GetByRole(AriaRole.Button, new() { Name = "Español" }).ClickAsync();
        await ExpectSpanishAsync();
        await page.ReloadAsync();
        await ExpectSpanishAsync();
        Assert.DoesNotContain(consoleErrors, e => e.Contains("Content Security Policy"));
    }

    [Fact]
    public async Task The_sign_in_page_shows_a_spanish_error_for_a_wrong_password()
    {
        SetDefaultExpectTimeout(15_000);
        await using var h = await BackendHarness.StartAsync();
        var browser = await chromium.BrowserAsync();
        await using var context = await browser.NewTestContextAsync();
        var page = await context.NewPageAsync();
        await page.OpenAsync(h.Server.Url("ingresar"));
        await page.GetByLabel("Usuario").FillAsync("admin");
        await page.GetByLabel("Contraseña").FillAsync("equivocada");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Usuario o contraseña incorrectos.");
        var screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "ingresar.png") });
    }
}
