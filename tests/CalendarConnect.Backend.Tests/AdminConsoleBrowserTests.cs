using CalendarConnect.Testing;
using System.Text.RegularExpressions;
using CalendarConnect.Backend.Storage;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// /clientes as a daily console, in Debian's Chromium: search, status filter and pages kept in the address; the edit
/// dialog with the WhatsApp number; per-company MCP keys; keyboard-only use, labels and accessible names; English
/// server errors; no horizontal overflow at 1280 px.
/// </summary>
public class AdminConsoleBrowserTests(ClassChromium chromium) : IClassFixture<ClassChromium>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Session(IBrowserContext Context, IPage Page, List<string> ConsoleErrors) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Context.DisposeAsync();
    }

    /// <summary>A signed-in /clientes at 1280×800 (Spanish), with clipboard permissions for the page's origin.</summary>
    private async Task<Session> OpenConsoleAsync(BackendHarness h, string path = "clientes")
    {
        SetDefaultExpectTimeout(15_000);
        var browser = await chromium.BrowserAsync();
        var context = await browser.NewTestContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 }, Locale = "es-ES" });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = h.Server.BaseAddress.GetLeftPart(UriPartial.Authority) });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        // Chromium logs every 4xx answer of fetch() as "Failed to load resource"; the tests provoke those on purpose.
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource: the server responded with a status of 4", StringComparison.Ordinal))
                errors.Add(message.Text);
        };
        page.Dialog += async (_, dialog) => { errors.Add("unexpected browser dialog: " + dialog.Message); await dialog.DismissAsync(); };
        await page.OpenAsync(h.Server.Url(path));
        await page.GetByLabel("Usuario").FillAsync(BackendHarness.AdminUser);
        await page.GetByLabel("Contraseña").FillAsync(BackendHarness.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Clientes", Level = 1 })).ToBeVisibleAsync();
        return new Session(context, page, errors);
    }

    private static ILocator Row(IPage page, string customerId) => page.Locator($"#customers-body tr[data-customer-id='{customerId}']");

    private static async Task ExpectNoHorizontalOverflowAsync(IPage page)
    {
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 1280, $"the page is {width} px wide at a 1280 px window");
        // Nor does the table scroll sideways inside its box.
        var inner = await page.EvaluateAsync<int[]>("() => { const w = document.querySelector('#customers-table').closest('.table-wrap'); return [w.scrollWidth, w.clientWidth]; }");
        Assert.True(inner[0] <= inner[1], $"the table is {inner[0]} px wide in a {inner[1]} px box");
    }

    [Fact]
    public async Task Search_status_filter_and_pages_over_60_companies_keep_their_state_in_the_address()
    {
        await using var h = await BackendHarness.StartAsync();
        var memory = h.Server.GetRequiredService<CustomerMemory>();
        for (var i = 1; i <= 60; i++)
            await memory.UpsertAsync($"empresa-{i:00}", $"contacto@empresa-{i:00}.com", i == 7 ? "Clínica Ñandú del Sur, Sociedad de Responsabilidad Limitada" : $"Empresa {i:00}", Ct);
        await memory.SetWhatsAppNumberAsync("empresa-33", "+5491155550033", Ct);
        // The longest id and a long unbroken email and name must wrap, not widen the table.
        var longId = "a" + new string('b', 63);
        await memory.UpsertAsync(longId, "muy.largo.nombre.de.contacto.sin.espacios@subdominio.largo.empresa-con-nombre-largo.com.ar",
            new string('N', 120), Ct);
        foreach (var id in new[] { "empresa-03", "empresa-13", "empresa-23" }) h.Mcp!.SetStatus(id, "connected", $"contacto@{id}.com");
        h.Mcp!.SetStatus("empresa-44", "needs_reauthorization", "contacto@empresa-44.com");
        await using var s = await OpenConsoleAsync(h);
        var page = s.Page;

        // Page 1 of 2 (50 a page), newest first.
        await Expect(page.Locator("#customers-body tr")).ToHaveCountAsync(50);
        await Expect(page.Locator("#total-count")).ToHaveTextAsync("Mostrando 1–50 de 61");
        await Expect(page.Locator("#page-info")).ToHaveTextAsync("Página 1 de 2");
        await Expect(page.Locator("#customers-body tr").First).ToHaveAttributeAsync("data-customer-id", longId);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Anterior" })).ToBeDisabledAsync();
        await ExpectNoHorizontalOverflowAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AdminPageBrowserTests.RepositoryScreenshots(), "clientes-lista.png") });

        await page.GetByRole(AriaRole.Button, new() { Name = "Siguiente" }).ClickAsync();
        await Expect(page.Locator("#customers-body tr")).ToHaveCountAsync(11);
        await Expect(page.Locator("#total-count")).ToHaveTextAsync("Mostrando 51–61 de 61");
        await Expect(page).ToHaveURLAsync(new Regex(@"/clientes\?page=2$"));
        await Expect(Row(page, "empresa-07")).ToContainTextAsync("Clínica Ñandú del Sur");
        await ExpectNoHorizontalOverflowAsync(page);

        // Back returns to page 1; a reload keeps page 2.
        await page.GoBackAsync();
        await Expect(page.Locator("#page-info")).ToHaveTextAsync("Página 1 de 2");
        await Expect(page.Locator("#customers-body tr")).ToHaveCountAsync(50);
        await page.GoForwardAsync();
        await Expect(page.Locator("#page-info")).ToHaveTextAsync("Página 2 de 2");
        await page.ReloadAsync();
        await Expect(page.Locator("#customers-body tr")).ToHaveCountAsync(11);

        // Search (debounced): accents and case ignored, page back to 1, state in the address.
        await page.GetByLabel("Buscar").FillAsync("nandu");
        await Expect(page.Locator("#customers-body tr")).ToHaveCountAsync(1);
        await Expect(Row(page, "empresa-07")).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/clientes\?q=nandu$"));
        await Expect(page.Locator("#total-count")).ToHaveTextAsync("1 empresa");
        // A WhatsApp number as people type it.
        await page.GetByLabel("Buscar").FillAsync("+54 9 11 5555 0033");
        await Expect(page).ToHaveURLAsync(new Regex(@"/clientes\?q=%2B54\+9\+11\+5555\+0033$"));
        await Expect(page.Locator("#customers-body tr")).ToHaveCountAsync(1);
        await Expect(Row(page, "empresa-33")).ToContainTextAsync("WhatsApp +5491155550033");
        await page.GetByLabel("Buscar").FillAsync("no-existe-nada");
        await Expect(page).ToHaveURLAsync(new Regex(@"/clientes\?q=no-existe-nada$"));
        await Expect(page.Locator("#empty-state")).ToBeVisibleAsync();
        await Expect(page.Locator("#empty-state")).ToHaveTextAsync("Ninguna empresa coincide con la búsqueda o el filtro.");
        await Expect(page.Locator("#customers-body tr")).ToHaveCountAsync(0);
        await page.ReloadAsync();
        await Expect(page.GetByLabel("Buscar")).ToHaveValueAsync("no-existe-nada");
        await Expect(page.Locator("#empty-state")).ToBeVisibleAsync();
        await page.GoBackAsync();
        await Expect(page.GetByLabel("Buscar")).ToHaveValueAsync("+54 9 11 5555 0033");
        await Expect(Row(page, "empresa-33")).ToBeVisibleAsync();

        // The status filter, combined with the search, and the page size.
        await page.GetByLabel("Buscar").FillAsync("");
        await Expect(page.Locator("#customers-body tr")).ToHaveCountAsync(50);
        await page.GetByLabel("Filtrar por estado").SelectOptionAsync("connected");
        await Expect(page.Locator("#customers-body tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("#customers-body .badge")).ToHaveTextAsync(["Conectado", "Conectado", "Conectado"]);
        await Expect(page).ToHaveURLAsync(new Regex(@"/clientes\?status=connected$"));
        await page.GetByLabel("Buscar").FillAsync("empresa-1");
        await Expect(page.Locator("#customers-body tr")).ToHaveCountAsync(1);
        await Expect(Row(page, "empresa-13")).ToBeVisibleAsync();
        await page.GetByLabel("Buscar").FillAsync("");
        await page.GetByLabel("Filtrar por estado").SelectOptionAsync("needs_reauthorization");
        await Expect(page.Locator("#customers-body tr")).ToHaveCountAsync(1);
        await Expect(Row(page, "empresa-44").Locator(".badge")).ToHaveTextAsync("Requiere re-autorización");
        // A company authorizes while the filter is on: it joins the filtered list without a reload.
        h.Mcp.SetStatus("empresa-50", "needs_reauthorization", "contacto@empresa-50.com");
        await Expect(page.Locator("#customers-body tr")).ToHaveCountAsync(2);
        await page.GetByLabel("Filtrar por estado").SelectOptionAsync("");
        await page.GetByLabel("Por página").SelectOptionAsync("25");
        await Expect(page.Locator("#customers-body tr")).ToHaveCountAsync(25);
        await Expect(page.Locator("#page-info")).ToHaveTextAsync("Página 1 de 3");
        await Expect(page).ToHaveURLAsync(new Regex(@"/clientes\?page_size=25$"));

        // An address past the last page shows the last page (and says so in the address).
        await page.OpenAsync(h.Server.Url("clientes?page=99&page_size=25"));
        await Expect(page.Locator("#page-info")).ToHaveTextAsync("Página 3 de 3");
        await Expect(page.Locator("#customers-body tr")).ToHaveCountAsync(11);
        await Expect(page).ToHaveURLAsync(new Regex(@"/clientes\?page=3&page_size=25$"));

        // A hand-made address with bad values falls back to the defaults instead of failing.
        await page.OpenAsync(h.Server.Url("clientes?page=-4&page_size=7&status=%3Cb%3E&q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"));
        await Expect(page.GetByLabel("Buscar")).ToHaveValueAsync("<img src=x onerror=alert(1)>");
        await Expect(page.Locator("#empty-state")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("img").CountAsync());
        Assert.Empty(s.ConsoleErrors);
    }

    [Fact]
    public async Task Edit_dialog_by_keyboard_changes_name_email_and_whatsapp_and_shows_a_whatsapp_conflict_inline()
    {
        await using var h = await BackendHarness.StartAsync();
        var memory = h.Server.GetRequiredService<CustomerMemory>();
        await memory.UpsertAsync("taller-ruiz", "ruiz@taller.com", "Taller Ruiz", Ct);
        await memory.SetWhatsAppNumberAsync("taller-ruiz", "+5491155550000", Ct);
        await memory.UpsertAsync("clinica-norte", "agenda@clinica-norte.com", "Clínica Norte", Ct);
        await using var s = await OpenConsoleAsync(h);
        var page = s.Page;
        var row = Row(page, "clinica-norte");
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Editar Clínica Norte (clinica-norte)" });

        // Keyboard: Enter on the row's Editar opens the dialog with focus on its first field.
        await row.GetByRole(AriaRole.Button, new() { Name = "Editar" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByLabel("Nombre", new() { Exact = true })).ToBeFocusedAsync();
        await Expect(dialog.GetByLabel("Email", new() { Exact = true })).ToHaveValueAsync("agenda@clinica-norte.com");

        // Inline errors in the dialog: the client's own checks, then the server's 409 for a number another company holds.
        await dialog.GetByLabel("Email", new() { Exact = true }).FillAsync("no-es-email");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#edit-customer_email-error")).ToHaveTextAsync("Ingrese un email válido, por ejemplo contacto@empresa-abc.com.");
        await Expect(dialog.GetByLabel("Email", new() { Exact = true })).ToBeFocusedAsync();
        await dialog.GetByLabel("Email", new() { Exact = true }).FillAsync("turnos@clinica-norte.com");
        await dialog.GetByLabel("WhatsApp", new() { Exact = true }).FillAsync("+54 9 11 5555-0000");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        await Expect(page.Locator("#edit-whatsapp_number-error")).ToHaveTextAsync("Este número ya pertenece a otro cliente.");
        await Expect(page.Locator("#edit-error")).ToContainTextAsync("taller-ruiz");
        await Expect(dialog.GetByLabel("WhatsApp", new() { Exact = true })).ToBeFocusedAsync();
        await Expect(dialog.GetByLabel("Email", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "false"); // the earlier email error is gone
        Assert.Equal("agenda@clinica-norte.com", (await memory.FindAsync("clinica-norte", Ct))!.CustomerEmail); // nothing saved
        // Transitions (the border colours) are fast-forwarded to their end for the picture.
        await page.ScreenshotAsync(new() { Path = Path.Combine(AdminPageBrowserTests.RepositoryScreenshots(), "clientes-editar.png"), Animations = ScreenshotAnimations.Disabled });

        // Escape closes it, and focus is back on the row's Editar.
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Editar" })).ToBeFocusedAsync();

        // Again, a free number and a markup name: saved, shown as text in the row.
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Control+a");
        await page.Keyboard.TypeAsync("<b>Clínica</b> Norte");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await Expect(dialog.GetByLabel("WhatsApp", new() { Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("+54 9 11 4444-1234");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("<b>Clínica</b> Norte");
        await Expect(row).ToContainTextAsync("WhatsApp +5491144441234");
        var saved = (await memory.FindAsync("clinica-norte", Ct))!;
        Assert.Equal(("<b>Clínica</b> Norte", "agenda@clinica-norte.com", "+5491144441234"), (saved.CustomerName, saved.CustomerEmail, saved.WhatsAppNumber));
        Assert.Equal(0, await page.Locator("#customers-body b").CountAsync());

        // Emptying the number clears it.
        await row.GetByRole(AriaRole.Button, new() { Name = "Editar" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByLabel("WhatsApp", new() { Exact = true }).FillAsync("");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        await Expect(row).Not.ToContainTextAsync("WhatsApp");
        Assert.Null((await memory.FindAsync("clinica-norte", Ct))!.WhatsAppNumber);

        // Guardar without a change sends nothing: the dialog closes and says so.
        var patches = 0;
        page.Request += (_, request) => { if (request.Method == "PATCH") Interlocked.Increment(ref patches); };
        var updatedAt = (await memory.FindAsync("clinica-norte", Ct))!.UpdatedAt;
        // The list's poll rewrites the status line every few seconds: record every text it shows.
        await page.EvaluateAsync("""
            () => { const el = document.getElementById('refresh-status'); window.statusTexts = [];
                    new MutationObserver(() => window.statusTexts.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true }); }
            """);
        await row.GetByRole(AriaRole.Button, new() { Name = "Editar" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Guardar" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await page.WaitForFunctionAsync("text => window.statusTexts.includes(text)", "Sin cambios en <b>Clínica</b> Norte.");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Editar" })).ToBeFocusedAsync();
        Assert.Equal(0, patches);
        Assert.Equal(updatedAt, (await memory.FindAsync("clinica-norte", Ct))!.UpdatedAt);
        Assert.Empty(s.ConsoleErrors);
    }

    [Fact]
    public async Task Mcp_keys_are_created_shown_once_copied_listed_and_revoked_after_confirmation()
    {
        await using var h = await BackendHarness.StartAsync();
        await h.Server.GetRequiredService<CustomerMemory>().UpsertAsync("empresa-a", "a@empresa-a.com", "Empresa A", Ct);
        await h.Server.GetRequiredService<CustomerMemory>().UpsertAsync("empresa-b", "b@empresa-b.com", "Empresa B", Ct);
        await using var s = await OpenConsoleAsync(h);
        var page = s.Page;
        var row = Row(page, "empresa-a");
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Claves MCP de Empresa A (empresa-a)" });

        await row.GetByRole(AriaRole.Button, new() { Name = "Claves MCP" }).ClickAsync();
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByLabel("Etiqueta (opcional)")).ToBeFocusedAsync();
        await Expect(page.Locator("#keys-status")).ToHaveTextAsync("Esta empresa aún no tiene claves MCP.");

        // Create with a label (markup stays text): the key is shown once, with a warning, and copied.
        await dialog.GetByLabel("Etiqueta (opcional)").FillAsync("Recepción <i>WhatsApp</i>");
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog.GetByLabel("Clave nueva")).ToHaveValueAsync(new Regex("^mcpk_"));
        var apiKey = Assert.Single(h.Mcp!.IssuedApiKeys);
        await Expect(dialog.GetByLabel("Clave nueva")).ToHaveValueAsync(apiKey);
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Copie esta clave ahora: no se volverá a mostrar.");
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Copiar clave" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#key-copy-status")).ToHaveTextAsync("Clave copiada");
        Assert.Equal(apiKey, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        var keyRow = dialog.Locator("#keys-body tr");
        await Expect(keyRow).ToHaveCountAsync(1);
        await Expect(keyRow.Locator("td").Nth(0)).ToHaveTextAsync("Recepción <i>WhatsApp</i>");
        await Expect(keyRow.Locator("td").Nth(1)).ToHaveTextAsync(new Regex("^mk_"));
        await Expect(keyRow.Locator("td").Nth(3)).ToHaveTextAsync("Nunca");
        await ExpectNoHorizontalOverflowAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AdminPageBrowserTests.RepositoryScreenshots(), "clientes-claves-mcp.png") });

        // Closed and opened again: the key is gone from the page (no field's value, no text holds it); the list still
        // names it. page.ContentAsync() would not do: it serialises attributes, not an input's value property.
        const string keyOnPage = "key => document.body.innerText.includes(key) || [...document.querySelectorAll('input, textarea')].some(e => e.value.includes(key))";
        Assert.True(await page.EvaluateAsync<bool>(keyOnPage, apiKey)); // the probe sees it while it is shown
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Claves MCP" })).ToBeFocusedAsync();
        Assert.False(await page.EvaluateAsync<bool>(keyOnPage, apiKey));
        Assert.Equal("", await page.Locator("#new-key-value").EvaluateAsync<string>("e => e.value"));
        await Expect(page.Locator("#new-key")).ToBeHiddenAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.GetByLabel("Clave nueva")).ToBeHiddenAsync();
        await Expect(keyRow).ToHaveCountAsync(1);

        // Revocar asks first; Cancelar keeps the key.
        await keyRow.GetByRole(AriaRole.Button, new() { Name = "Revocar" }).ClickAsync();
        await Expect(keyRow).ToContainTextAsync("¿Revocar esta clave?");
        await Expect(keyRow.GetByRole(AriaRole.Button, new() { Name = "Cancelar" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(keyRow.GetByRole(AriaRole.Button, new() { Name = "Revocar" })).ToBeFocusedAsync();
        Assert.DoesNotContain(h.Mcp.Requests, r => r.Method == "DELETE");
        await keyRow.GetByRole(AriaRole.Button, new() { Name = "Revocar" }).ClickAsync();
        await keyRow.GetByRole(AriaRole.Button, new() { Name = "Sí, revocar" }).ClickAsync();
        await Expect(keyRow.Locator(".badge")).ToContainTextAsync("Revocada el");
        await Expect(page.Locator("#keys-status")).ToHaveTextAsync("Clave Recepción <i>WhatsApp</i> revocada.");
        Assert.Single(h.Mcp.Requests, r => r.Method == "DELETE" && r.PathAndQuery.StartsWith("/customers/empresa-a/mcp-keys/mk_", StringComparison.Ordinal));
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cerrar" }).ClickAsync();

        // The other company's keys are its own.
        await Row(page, "empresa-b").GetByRole(AriaRole.Button, new() { Name = "Claves MCP" }).ClickAsync();
        await Expect(page.Locator("#keys-status")).ToHaveTextAsync("Esta empresa aún no tiene claves MCP.");
        Assert.Equal(0, await page.Locator("#keys-dialog i").CountAsync());
        Assert.Empty(s.ConsoleErrors);
    }

    [Fact]
    public async Task Keyboard_only_add_with_whatsapp_popup_completion_noticed_labels_and_english_server_errors()
    {
        await using var h = await BackendHarness.StartAsync();
        var memory = h.Server.GetRequiredService<CustomerMemory>();
        await memory.UpsertAsync("taller-ruiz", "ruiz@taller.com", "Taller Ruiz", Ct);
        await memory.SetWhatsAppNumberAsync("taller-ruiz", "+5491155550000", Ct);
        await using var s = await OpenConsoleAsync(h);
        var page = s.Page;

        // Every input and select has a label; every button has an accessible name (also in the closed dialogs).
        var unlabeled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
                .map(el => el.id || el.outerHTML)
            """);
        Assert.Empty(unlabeled);
        var unnamed = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('button')]
                .filter(el => !(el.getAttribute('aria-label') || el.textContent).trim())
                .map(el => el.id || el.outerHTML)
            """);
        Assert.Empty(unnamed);
        foreach (var label in new[] { "Buscar", "Filtrar por estado", "Por página" })
            await Expect(page.GetByLabel(label, new() { Exact = true })).ToBeVisibleAsync();

        // Keyboard only: Tab to "Agregar Cliente", Enter, type each field, Enter submits.
        await page.Locator("body").FocusAsync();
        for (var i = 0; i < 12 && !await page.GetByRole(AriaRole.Button, new() { Name = "Agregar Cliente" }).EvaluateAsync<bool>("b => b === document.activeElement"); i++)
            await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Agregar Cliente" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByLabel("ID del Cliente")).ToBeFocusedAsync();
        foreach (var label in new[] { "ID del Cliente", "Email del Cliente", "Nombre del Cliente", "Número de WhatsApp" })
            await Expect(page.GetByLabel(label, new() { Exact = true })).ToBeVisibleAsync();
        await page.Keyboard.TypeAsync("nueva-sa");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("hola@nueva.com");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("Nueva S.A.");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Número de WhatsApp")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("12ab");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#whatsapp_number-error")).ToHaveTextAsync("Ingrese el número con + y el código de país, por ejemplo +54 9 11 5555-0000.");
        await Expect(page.GetByLabel("Número de WhatsApp")).ToBeFocusedAsync();
        // A national number without "+": refused on the page too (its first digits are no country code).
        await page.GetByLabel("Número de WhatsApp").FillAsync("9 11 2345-6789");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#whatsapp_number-error")).ToHaveTextAsync("Ingrese el número con + y el código de país, por ejemplo +54 9 11 5555-0000.");
        await Expect(page.Locator("#whatsapp_number-hint")).ToContainTextAsync("Con + y el código de país");
        Assert.Null(await memory.FindAsync("nueva-sa", Ct));
        // A number another company holds: the server's 409 under the field and its detail above, nothing saved.
        await page.GetByLabel("Número de WhatsApp").FillAsync("+54 9 11 5555-0000");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#whatsapp_number-error")).ToHaveTextAsync("Este número ya pertenece a otro cliente.");
        await Expect(page.Locator("#form-error")).ToContainTextAsync("taller-ruiz");
        Assert.Null(await memory.FindAsync("nueva-sa", Ct));

        // In English the server's messages are English too.
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect Calendar" }).ClickAsync();
        await Expect(page.Locator("#whatsapp_number-error")).ToHaveTextAsync("This number already belongs to another customer.");
        await Expect(page.Locator("#form-error")).ToContainTextAsync("is already the WhatsApp number of customer \"taller-ruiz\"");
        await page.GetByRole(AriaRole.Button, new() { Name = "Español" }).ClickAsync();

        // A free number: saved; the link panel takes focus; the popup opens Google's page.
        await page.GetByLabel("Número de WhatsApp").FillAsync("+34 612 345 678");
        await page.GetByLabel("Número de WhatsApp").PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Abrir ahora" })).ToBeFocusedAsync();
        Assert.Equal("+34612345678", (await memory.FindAsync("nueva-sa", Ct))!.WhatsAppNumber);
        await Expect(Row(page, "nueva-sa")).ToContainTextAsync("WhatsApp +34612345678");
        var popup = await s.Context.RunAndWaitForPageAsync(() => page.Keyboard.PressAsync("Enter"));
        await Expect(popup).ToHaveURLAsync(h.Mcp!.AuthorizationUrlFor("nueva-sa"), new() { Timeout = 30_000 });

        // Copiar link by keyboard: the clipboard holds the link, and the status says until when it is valid.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copiar link" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#copy-status")).ToHaveTextAsync(new Regex("^Link copiado · válido hasta .*2031"));
        Assert.Equal(h.Mcp.ShareableLinkFor("nueva-sa"), await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        // The company allows in the popup: the panel notices, without a reload.
        h.Mcp.SetStatus("nueva-sa", "connected", "hola@nueva.com");
        await Expect(page.Locator("#popup-status")).ToHaveTextAsync("Calendario de Nueva S.A. conectado.");
        await Expect(Row(page, "nueva-sa").Locator(".badge")).ToHaveTextAsync("Conectado");
        await popup.CloseAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(AdminPageBrowserTests.RepositoryScreenshots(), "clientes-link.png") });

        // Escape closes the panel and focus goes back to "Agregar Cliente".
        await page.GetByRole(AriaRole.Button, new() { Name = "Copiar link" }).FocusAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#link-panel")).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Agregar Cliente" })).ToBeFocusedAsync();

        // The disconnect dialog by keyboard: focus starts on Cancelar, Escape closes, focus returns to the row.
        var disconnect = Row(page, "nueva-sa").GetByRole(AriaRole.Button, new() { Name = "Desconectar" });
        await disconnect.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Dialog, new() { Name = "¿Desconectar el calendario?" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancelar" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await Expect(disconnect).ToBeFocusedAsync();
        Assert.Equal("connected", h.Mcp.StatusOf("nueva-sa"));
        await ExpectNoHorizontalOverflowAsync(page);
        Assert.Empty(s.ConsoleErrors);
    }

    [Fact]
    public async Task Reconectar_reads_the_company_fresh_and_does_not_undo_a_change_saved_since_the_list_was_drawn()
    {
        await using var h = await BackendHarness.StartAsync();
        var memory = h.Server.GetRequiredService<CustomerMemory>();
        await memory.UpsertAsync("clinica-norte", "agenda@clinica-norte.com", "Clínica Norte", Ct);
        h.Mcp!.SetStatus("clinica-norte", "needs_reauthorization", "agenda@clinica-norte.com");
        await using var s = await OpenConsoleAsync(h);
        var page = s.Page;
        var row = Row(page, "clinica-norte");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Reconectar" })).ToBeVisibleAsync();

        // The list is not refreshed from here on (its polls fail), so the row keeps the old name and email …
        await page.RouteAsync(new Regex(@"/v1/customer-calendars(\?[^/]*)?$"), route => route.AbortAsync());
        // … while a script (or another tab) saves new ones.
        var update = await memory.UpdateAsync("clinica-norte", "turnos@clinica-norte.com", "Clínica Norte S.R.L.", false, null, Ct);
        Assert.Equal(WhatsAppNumberResult.Saved, update.Result);
        var connects = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.EndsWith("/v1/customer-calendars/connect", StringComparison.Ordinal))
                lock (connects) connects.Add(request.PostData ?? "");
        };
        await Expect(row).ToContainTextAsync("agenda@clinica-norte.com");

        await row.GetByRole(AriaRole.Button, new() { Name = "Reconectar" }).ClickAsync();
        await Expect(page.GetByLabel("Link para compartir")).ToHaveValueAsync(h.Mcp.ShareableLinkFor("clinica-norte"));
        await Expect(page.Locator("#link-customer")).ToHaveTextAsync("Clínica Norte S.R.L. (clinica-norte)");
        var sent = System.Text.Json.JsonDocument.Parse(Assert.Single(connects)).RootElement;
        Assert.Equal(("turnos@clinica-norte.com", "Clínica Norte S.R.L."), (sent.GetProperty("customer_email").GetString(), sent.GetProperty("customer_name").GetString()));
        var saved = (await memory.FindAsync("clinica-norte", Ct))!;
        Assert.Equal(("turnos@clinica-norte.com", "Clínica Norte S.R.L."), (saved.CustomerEmail, saved.CustomerName));
        Assert.Contains(h.Mcp.Requests, r => r.PathAndQuery == "/oauth/authorize" && r.Body.Contains("turnos@clinica-norte.com"));
    }
}
