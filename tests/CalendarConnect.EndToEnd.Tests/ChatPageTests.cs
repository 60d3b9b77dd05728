using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CalendarConnect.EndToEnd.Tests;

/// <summary>
/// /chat in Debian's Chromium against the real system: the admin signs in, picks the company and books
/// "mañana a las 3 PM" as its customer would, moves it to Friday and cancels it; each change is checked in the
/// (emulated) Google calendar.
/// </summary>
public class ChatPageTests
{
    [Fact]
    public async Task The_admin_books_moves_and_cancels_an_appointment_as_a_customer_in_the_chat_page()
    {
        SetDefaultExpectTimeout(30_000);
        await using var system = await SystemHarness.StartAsync(ChannelFlows.SpecClock());
        await ChannelFlows.ConnectCompanyAsync(system);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTesting.LaunchChromiumAsync(playwright);
        await using var context = await browser.NewTestContextAsync(new() { ViewportSize = new() { Width = 1100, Height = 900 }, Locale = "es-ES" });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        // Chromium asks for /favicon.ico on its own (there is none); any other failed request or console error counts.
        page.Response += (_, response) => { if (response.Status >= 400 && !response.Url.EndsWith("/favicon.ico")) problems.Add($"{response.Status} {response.Url}"); };
        page.Console += (_, message) => { if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource")) problems.Add(message.Text); };
        page.Dialog += async (_, dialog) => { problems.Add("dialog: " + dialog.Message); await dialog.DismissAsync(); };

        // Signed-in admins only: /chat sends us to /ingresar and back.
        await page.OpenAsync(system.Backend.Url("chat"));
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/ingresar"));
        await page.GetByLabel("Usuario").FillAsync(SystemHarness.AdminUser);
        await page.GetByLabel("Contraseña").FillAsync(SystemHarness.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ingresar" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(system.Backend.Url("chat"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Chat de prueba", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Empresa")).ToHaveValueAsync(WhatsAppFlowTests.CustomerId);

        var log = page.Locator("#messages");
        var assistant = log.Locator("li[data-from=assistant]:not(.msg-pending)");
        async Task Say(string text, System.Text.RegularExpressions.Regex expectedReply)
        {
            var before = await assistant.CountAsync();
            await page.GetByLabel("Mensaje").FillAsync(text);
            await page.GetByRole(AriaRole.Button, new() { Name = "Enviar" }).ClickAsync();
            await Expect(assistant).ToHaveCountAsync(before + 1);
            await Expect(assistant.Nth(before)).ToHaveTextAsync(expectedReply);
        }

        // The spec's sentence (the assistant may go on to name the day and time it is about).
        await Say("Quiero reservar para mañana a las 3 PM", new("^¡Perfecto! El horario está disponible\\. ¿Confirmas la reserva"));
        await Say("Sí", new("^¿A nombre de quién hago la reserva\\?$"));
        await Say("Ana", new("^Listo, reservé tu turno para el jueves 16 de enero a las 15:00\\. ¡Te esperamos!$"));
        var booked = Assert.Single(await ChannelFlows.EventsOn16thAsync(system));
        Assert.Contains("Ana", booked.GetRawText());

        // Moving it: asked first, then the same event is on Friday at 10:00.
        await Say("quiero cambiar mi turno al viernes a las 10", new(
            "^El viernes 17 de enero a las 10:00 está disponible\\. ¿Confirmas que cambio tu turno del jueves 16 de enero a las 15:00 al viernes 17 de enero a las 10:00\\?$"));
        Assert.Single(await ChannelFlows.EventsOn16thAsync(system));
        await Say("sí", new("^Listo, cambié tu turno: era el jueves 16 de enero a las 15:00 y ahora es el viernes 17 de enero a las 10:00\\. ¡Te esperamos!$"));
        Assert.Empty(await ChannelFlows.EventsOn16thAsync(system));
        var moved = Assert.Single(await ChannelFlows.EventsOnAsync(system, "2025-01-17"));
        Assert.Equal(booked.GetProperty("id").GetString(), moved.GetProperty("id").GetString());
        Assert.Equal(new DateTimeOffset(2025, 1, 17, 10, 0, 0, TimeSpan.FromHours(-3)), ChannelFlows.Start(moved));

        // Cancelling it: asked first, then gone from the calendar.
        await Say("Quiero cancelar mi turno", new("^¿Confirmas que quieres cancelar tu turno del viernes 17 de enero a las 10:00\\? Responde «sí» o «no»\\.$"));
        Assert.Single(await ChannelFlows.EventsOnAsync(system, "2025-01-17"));
        await Say("Sí", new("^Listo, cancelé tu turno del viernes 17 de enero a las 10:00\\.$"));
        Assert.Empty(await ChannelFlows.EventsOnAsync(system, "2025-01-17"));

        // What a person types is shown as text, never run as HTML.
        const string hostile = "<img src=x onerror=alert(1)><b>hola</b>";
        await page.GetByLabel("Mensaje").FillAsync(hostile);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enviar" }).ClickAsync();
        await Expect(log.Locator("li[data-from=customer]").Last).ToHaveTextAsync(hostile);
        Assert.Equal(0, await log.Locator("img, b").CountAsync());

        // A fresh conversation knows nothing of the last one: a "sí" books nothing.
        await page.GetByRole(AriaRole.Button, new() { Name = "Nueva conversación" }).ClickAsync();
        await Expect(log.Locator("li")).ToHaveCountAsync(0);
        await page.GetByLabel("Mensaje").FillAsync("¿Cuándo es mi turno?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enviar" }).ClickAsync();
        await Expect(assistant).ToHaveCountAsync(1);
        await Expect(assistant.First).Not.ToContainTextAsync("16 de enero");

        // English on request.
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Test chat", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "New conversation" })).ToBeVisibleAsync();

        var screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "chat.png"), FullPage = true });

        // /chat and /clientes link to each other, so an admin finds the chat without typing its address.
        await page.Locator("header a[href='/clientes']").ClickAsync();
        await Expect(page).ToHaveURLAsync(system.Backend.Url("clientes"));
        await page.Locator("header").GetByRole(AriaRole.Link, new() { Name = "Chat", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(system.Backend.Url("chat"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Test chat", Level = 1 })).ToBeVisibleAsync();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
