using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CalendarConnect.Testing;
using Dapper;
using Microsoft.AspNetCore.WebUtilities;

namespace CalendarConnect.McpServer.Tests.OAuth;

/// <summary>
/// Issue 11, item 1: a consent with another Google account than the company's expected email connects nothing; the page
/// names the expected account with a working "try again"; the attempt is recorded for the admin, who may accept it.
/// </summary>
public partial class AccountMismatchTests
{
    private static async Task<Uri> VisitLinkAsync(McpServerHarness h, string link)
    {
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var response = await browser.GetAsync(h.Mcp.Url(new Uri(link).AbsolutePath));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!;
    }

    private static string RetryLinkOf(string html)
    {
        var match = ActionLink().Match(html);
        Assert.True(match.Success, "The page has a link to try again.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static async Task<long> TokenRowsAsync(McpServerHarness h)
    {
        await using var db = await h.Database.OpenAsync();
        return await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM oauth_tokens");
    }

    private static async Task<JsonElement> StatusAsync(McpServerHarness h, string customerId)
    {
        using var service = h.ServiceClient();
        return await service.GetFromJsonAsync<JsonElement>($"/customers/{customerId}/calendar-status");
    }

    [Theory]
    [InlineData(Engines.Sqlite, true)]
    [InlineData(Engines.Sqlite, false)]
    [InlineData(Engines.PostgreSql, true)]
    [InlineData(Engines.PostgreSql, false)]
    public async Task Another_account_stores_nothing_names_the_expected_one_and_is_recorded(string engine, bool throughShareableLink)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.CreateAccountAsync("contacto@empresa-b.com");
        await h.CreateAccountAsync("personal@gmail.example");
        var authorization = await h.AuthorizeAsync("empresa-b", "contacto@empresa-b.com");
        var url = throughShareableLink
            ? (await VisitLinkAsync(h, authorization.GetProperty("shareable_link").GetString()!)).ToString()
            : authorization.GetProperty("authorization_url").GetString()!;
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        var redirect = await GoogleConsent.DecideAsync(url, "personal@gmail.example", allow: true);
        using var page = await h.DeliverCallbackAsync(redirect);
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Conflict, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Esta no es la cuenta de Google esperada", html);
        Assert.Contains("contacto@empresa-b.com", html);
        Assert.Contains("personal@gmail.example", html);
        Assert.DoesNotContain("ya29.", html);
        Assert.DoesNotContain("1//", html);
        Assert.DoesNotContain(QueryHelpers.ParseQuery(redirect.Query)["code"].ToString(), html);

        // Nothing stored, nothing connected; the consent is let go at Google too.
        Assert.Equal(0, await TokenRowsAsync(h));
        var status = await StatusAsync(h, "empresa-b");
        Assert.Equal("not_connected", status.GetProperty("status").GetString());
        var attempt = status.GetProperty("account_attempt");
        Assert.Equal("personal@gmail.example", attempt.GetProperty("account_email").GetString());
        Assert.Equal("contacto@empresa-b.com", attempt.GetProperty("expected_email").GetString());
        Assert.InRange(attempt.GetProperty("attempted_at").GetDateTimeOffset(), before, DateTimeOffset.UtcNow.AddSeconds(1));
        var requests = await h.EmulatorRequestsAsync();
        Assert.Contains(requests.EnumerateArray(), r => r.GetProperty("path").GetString() == "/revoke");

        // The batch status (what the backend's list reads) says the same.
        using (var service = h.ServiceClient())
        {
            var batch = await service.GetFromJsonAsync<JsonElement>("/customers/calendar-status?customer_id=empresa-b&customer_id=other");
            Assert.Equal("personal@gmail.example", batch[0].GetProperty("account_attempt").GetProperty("account_email").GetString());
            Assert.Equal(JsonValueKind.Null, batch[1].GetProperty("account_attempt").ValueKind);
        }

        // "Intentar de nuevo" is a fresh authorization for the same company, hinting the expected account; it connects.
        var retry = RetryLinkOf(html);
        var retryQuery = QueryHelpers.ParseQuery(new Uri(retry).Query);
        Assert.StartsWith(h.Emulator.Url("o/oauth2/v2/auth"), retry);
        Assert.Equal("contacto@empresa-b.com", retryQuery["login_hint"]);
        Assert.NotEqual(QueryHelpers.ParseQuery(redirect.Query)["state"], retryQuery["state"]);
        var second = await GoogleConsent.DecideAsync(retry, "contacto@empresa-b.com", allow: true);
        using (var callback = await h.DeliverCallbackAsync(second)) Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        status = await StatusAsync(h, "empresa-b");
        Assert.Equal("connected", status.GetProperty("status").GetString());
        Assert.Equal("contacto@empresa-b.com", status.GetProperty("calendar_email").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("account_attempt").ValueKind);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task The_expected_account_spelled_with_other_capitals_connects(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.CreateAccountAsync("contacto@empresa-b.com");
        var authorization = await h.AuthorizeAsync("empresa-b", "Contacto@Empresa-B.com");
        var redirect = await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, "contacto@empresa-b.com", allow: true);
        using var callback = await h.DeliverCallbackAsync(redirect);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal(1, await TokenRowsAsync(h));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_connected_company_keeps_its_account_when_another_one_consents(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync("company-a", "a@example.com");
        await h.CreateAccountAsync("other@example.com");
        var authorization = await h.AuthorizeAsync("company-a", "a@example.com");
        var redirect = await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, "other@example.com", allow: true);
        using (var page = await h.DeliverCallbackAsync(redirect)) Assert.Equal(HttpStatusCode.Conflict, page.StatusCode);

        var status = await StatusAsync(h, "company-a");
        Assert.Equal("connected", status.GetProperty("status").GetString());
        Assert.Equal("a@example.com", status.GetProperty("calendar_email").GetString());
        Assert.False(status.GetProperty("account_mismatch").GetBoolean());
        Assert.Equal("other@example.com", status.GetProperty("account_attempt").GetProperty("account_email").GetString());
        var result = await h.CallAsync("company-a", "get_available_slots", new() { ["date_iso"] = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd") });
        Assert.NotEqual(true, result.IsError);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task The_admin_accepts_the_other_account_and_the_companys_link_then_connects_it_with_a_whole_new_grant(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync("company-a", "a@example.com");
        await h.CreateAccountAsync("other@example.com");
        var authorization = await h.AuthorizeAsync("company-a", "a@example.com");
        var link = authorization.GetProperty("shareable_link").GetString()!;
        var redirect = await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, "other@example.com", allow: true);
        using (var page = await h.DeliverCallbackAsync(redirect)) Assert.Equal(HttpStatusCode.Conflict, page.StatusCode);

        using var service = h.ServiceClient();
        // Only the account of the attempt can be accepted.
        using (var wrong = await service.PostAsJsonAsync("/customers/company-a/account-attempt/accept", new { account_email = "third@example.com" }))
            Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        using (var none = await service.PostAsJsonAsync("/customers/company-b/account-attempt/accept", new { account_email = "other@example.com" }))
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        using (var bad = await service.PostAsJsonAsync("/customers/company-a/account-attempt/accept", new { account_email = ".other@example.com" }))
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using (var anonymous = await h.Mcp.CreateClient().PostAsJsonAsync("/customers/company-a/account-attempt/accept", new { account_email = "other@example.com" }))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using (var accepted = await service.PostAsJsonAsync("/customers/company-a/account-attempt/accept", new { account_email = "OTHER@example.com" }))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            var body = await accepted.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("other@example.com", body.GetProperty("customer_email").GetString());
        }

        var status = await StatusAsync(h, "company-a");
        Assert.Equal(JsonValueKind.Null, status.GetProperty("account_attempt").ValueKind);

        // The company's link (which said "already connected" while it expected the connected account) now expects the
        // accepted account, and connects it.
        var again = await VisitLinkAsync(h, link);
        Assert.Equal("other@example.com", QueryHelpers.ParseQuery(again.Query)["login_hint"]);
        var consent = await GoogleConsent.DecideAsync(again.ToString(), "other@example.com", allow: true);
        using (var callback = await h.DeliverCallbackAsync(consent)) Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        status = await StatusAsync(h, "company-a");
        Assert.Equal("other@example.com", status.GetProperty("calendar_email").GetString());
        Assert.Equal("other@example.com", status.GetProperty("customer_email").GetString());
        Assert.False(status.GetProperty("account_mismatch").GetBoolean());

        // The first account's refresh token is gone: revoking it changes nothing for the company.
        using (var emulator = h.Emulator.CreateClient())
        {
            (await emulator.PostAsync("/emulator/accounts/a%40example.com/revoke", null)).EnsureSuccessStatusCode();
            (await emulator.PostAsync("/emulator/expire-access-tokens", null)).EnsureSuccessStatusCode();
        }

        var result = await h.CallAsync("company-a", "get_available_slots", new() { ["date_iso"] = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd") });
        Assert.NotEqual(true, result.IsError);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task An_account_connected_for_another_company_is_not_revoked_by_a_wrong_attempt(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.ConnectAsync("company-shared", "shared@example.com");
        var authorization = await h.AuthorizeAsync("company-b", "b@example.com");
        var redirect = await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, "shared@example.com", allow: true);
        using (var page = await h.DeliverCallbackAsync(redirect)) Assert.Equal(HttpStatusCode.Conflict, page.StatusCode);

        var requests = await h.EmulatorRequestsAsync();
        Assert.DoesNotContain(requests.EnumerateArray(), r => r.GetProperty("path").GetString() == "/revoke");
        using (var emulator = h.Emulator.CreateClient())
            (await emulator.PostAsync("/emulator/expire-access-tokens", null)).EnsureSuccessStatusCode();
        var result = await h.CallAsync("company-shared", "get_available_slots", new() { ["date_iso"] = McpServerHarness.NextWeekday().ToString("yyyy-MM-dd") });
        Assert.NotEqual(true, result.IsError);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task An_account_google_cannot_name_connects_nothing_and_gets_a_fresh_try(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.CreateAccountAsync("a@example.com");
        var authorization = await h.AuthorizeAsync("company-a", "a@example.com");
        var redirect = await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, "a@example.com", allow: true);
        using (var control = h.Emulator.CreateClient())
            (await control.PostAsJsonAsync("/emulator/faults", new { path_prefix = "/calendar/v3/calendars/primary", status = 503, count = 4 })).EnsureSuccessStatusCode();

        using var page = await h.DeliverCallbackAsync(redirect);

        Assert.Equal(HttpStatusCode.BadGateway, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("No pudimos comprobar la cuenta de Google", html);
        Assert.Contains("a@example.com", html);
        Assert.Equal(0, await TokenRowsAsync(h));
        var retry = RetryLinkOf(html);
        var consent = await GoogleConsent.DecideAsync(retry, "a@example.com", allow: true);
        using (var callback = await h.DeliverCallbackAsync(consent)) Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal(1, await TokenRowsAsync(h));
    }

    [GeneratedRegex("<a class=\"action\" href=\"([^\"]+)\"")]
    private static partial Regex ActionLink();
}
