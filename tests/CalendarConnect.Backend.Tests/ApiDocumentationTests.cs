using CalendarConnect.Testing;
using System.Net;
using System.Text.Json;
using CalendarConnect.Backend.Web;
using Microsoft.Playwright;
using static CalendarConnect.Backend.Tests.ResponseAssert;
using static Microsoft.Playwright.Assertions;

namespace CalendarConnect.Backend.Tests;

/// <summary>GET /openapi/v1.json and the reference page /docs/api: public, the /v1 contract only, offline.</summary>
public class ApiDocumentationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonElement Schema(JsonElement document, JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Replace("#/components/schemas/", ""));
        return schema;
    }

    private static string[] Properties(JsonElement document, JsonElement schema) =>
        PropertyNames(Schema(document, schema).GetProperty("properties"));

    [Fact]
    public async Task The_openapi_document_is_public_and_describes_the_v1_endpoints_in_snake_case_with_problem_responses()
    {
        await using var h = await BackendHarness.StartAsync();
        using var anonymous = h.Server.CreateClient();

        var doc = await JsonAsync(await anonymous.GetAsync("openapi/v1.json", Ct));
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString());
        var paths = doc.GetProperty("paths");
        Assert.Equal(
            ["/v1/assistant/messages", "/v1/customer-calendars", "/v1/customer-calendars/connect", "/v1/customer-calendars/{customer_id}",
             "/v1/customer-calendars/{customer_id}/account-attempt/accept", "/v1/customer-calendars/{customer_id}/booking-settings", "/v1/customer-calendars/{customer_id}/mcp-keys",
             "/v1/customer-calendars/{customer_id}/mcp-keys/{key_id}", "/v1/system-status"],
            PropertyNames(paths));

        // The spec's connect contract: the three fields in, the six fields out, problems for bad input and a down MCP server.
        var connect = paths.GetProperty("/v1/customer-calendars/connect").GetProperty("post");
        Assert.False(string.IsNullOrWhiteSpace(connect.GetProperty("summary").GetString()));
        Assert.Equal(["customer_email", "customer_id", "customer_name", "whatsapp_number"],
            Properties(doc, connect.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema")));
        Assert.Equal(["authorization_url", "calendar_connected", "customer_email", "customer_id", "customer_name", "shareable_link"],
            Properties(doc, connect.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema")));
        foreach (var status in new[] { "400", "401", "502" })
            Assert.True(connect.GetProperty("responses").GetProperty(status).GetProperty("content").TryGetProperty("application/problem+json", out _), status);

        var list = paths.GetProperty("/v1/customer-calendars").GetProperty("get");
        var item = Schema(doc, list.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.Contains("array", item.GetProperty("type").ToString());
        Assert.Equal(["account_attempt", "account_mismatch", "calendar_connected", "calendar_email", "customer_email", "customer_id", "customer_name", "status", "whatsapp_number"],
            Properties(doc, item.GetProperty("items")));
        Assert.True(paths.GetProperty("/v1/customer-calendars/{customer_id}").GetProperty("get").GetProperty("responses").TryGetProperty("404", out _));
        // The list's search and pages: parameters, headers, 400.
        Assert.Equal(["page", "page_size", "q", "status"],
            list.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(["Link", "X-Total-Count"], PropertyNames(list.GetProperty("responses").GetProperty("200").GetProperty("headers")));
        Assert.True(list.GetProperty("responses").TryGetProperty("400", out _));
        // PATCH: the merge patch body, 404 and 409.
        var patch = paths.GetProperty("/v1/customer-calendars/{customer_id}").GetProperty("patch");
        Assert.Equal(["customer_email", "customer_name", "whatsapp_number"],
            Properties(doc, patch.GetProperty("requestBody").GetProperty("content").GetProperty("application/merge-patch+json").GetProperty("schema")));
        foreach (var status in new[] { "400", "404", "409" })
            Assert.True(patch.GetProperty("responses").TryGetProperty(status, out _), status);
        // connect and PATCH read a null or empty whatsapp_number differently: both descriptions say how.
        var patchDescription = patch.GetProperty("description").GetString()!;
        Assert.Contains("whatsapp_number null clears it", patchDescription);
        Assert.Contains("\"\" answers 400", patchDescription);
        Assert.Contains("left out, null or \"\", the number is kept: connect never clears it", connect.GetProperty("description").GetString());
        Assert.Contains("weekly_hours", Properties(doc, paths.GetProperty("/v1/customer-calendars/{customer_id}/booking-settings")
            .GetProperty("put").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema")));
        // Accepting another Google account: the account named in the body, problems when there is no such attempt.
        var accept = paths.GetProperty("/v1/customer-calendars/{customer_id}/account-attempt/accept").GetProperty("post");
        Assert.Equal(["account_email"], Properties(doc, accept.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema")));
        foreach (var status in new[] { "200", "400", "404", "409", "502" })
            Assert.True(accept.GetProperty("responses").TryGetProperty(status, out _), status);
        Assert.Equal(["label"], Properties(doc, paths.GetProperty("/v1/customer-calendars/{customer_id}/mcp-keys")
            .GetProperty("post").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema")));

        // Admin endpoints carry the security requirement; the assistant entry point is public by design.
        Assert.True(list.TryGetProperty("security", out _));
        Assert.False(paths.GetProperty("/v1/assistant/messages").GetProperty("post").TryGetProperty("security", out _));
        Assert.Equal(["admin_basic", "admin_bearer", "admin_cookie"], PropertyNames(doc.GetProperty("components").GetProperty("securitySchemes")));

        // The document is public; the API it describes is not.
        await ProblemAsync(await anonymous.GetAsync("v1/customer-calendars", Ct), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_reference_page_renders_the_document_loading_nothing_but_this_origin_under_the_strict_csp()
    {
        await using var h = await BackendHarness.StartAsync();
        using (var anonymous = h.Server.CreateClient())
        {
            var response = await anonymous.GetAsync("docs/api", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(SecurityHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
            var html = await response.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotMatch("<script(?![^>]*\\bsrc=\"/assets/)", html); // no inline or foreign script
            Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", ""));
            Assert.DoesNotContain("https://", html);
        }

        SetDefaultExpectTimeout(15_000);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserTesting.LaunchChromiumAsync(playwright);
        var page = await browser.NewTestPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var origin = h.Server.BaseAddress.GetLeftPart(UriPartial.Authority);
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") consoleErrors.Add(message.Text); };
        var failed = new List<string>();
        page.Response += (_, response) => { if (response.Status >= 400 && !response.Url.EndsWith("/favicon.ico")) failed.Add(response.Url); };

        await page.OpenAsync(h.Server.Url("docs/api"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "CalendarConnect Backend API v1", Level = 1 })).ToBeVisibleAsync();
        var connect = page.Locator("section.api-op", new() { HasText = "/v1/customer-calendars/connect" });
        await Expect(connect).ToContainTextAsync("Save a company and get its Google authorization link");
        await Expect(connect).ToContainTextAsync("shareable_link");
        await Expect(connect).ToContainTextAsync("application/problem+json");
        await Expect(connect).ToContainTextAsync("Requires the admin");
        await Expect(page.Locator("section.api-op", new() { HasText = "/v1/assistant/messages" })).ToContainTextAsync("Public: no credentials.");
        await page.GetByRole(AriaRole.Link, new() { Name = "DELETE /v1/customer-calendars/{customer_id}", Exact = true }).ClickAsync();

        Assert.All(requests, url => Assert.StartsWith(origin + "/", url));
        Assert.Contains(origin + "/openapi/v1.json", requests);
        Assert.Empty(failed);
        Assert.DoesNotContain(consoleErrors, e => e.Contains("Content Security Policy") || e.Contains("Refused"));
        var screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, "api-docs.png") });
    }
}
