using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using CalendarConnect.McpServer.TokenVault;
using CalendarConnect.McpServer.Tests.TokenVault;
using CalendarConnect.Testing;
using Dapper;
using Microsoft.AspNetCore.WebUtilities;

namespace CalendarConnect.McpServer.Tests.OAuth;

/// <summary>Spec steps 2, 5 and 6 against the Google emulator over real HTTP.</summary>
/// <param name="refusing">One server for the tests of callbacks it must refuse, which store nothing.</param>
public class OAuthFlowTests(ClassServers refusing) : IClassFixture<ClassServers>
{
    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Authorize_builds_googles_url_with_pkce_and_an_opaque_state(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        var response = await h.AuthorizeAsync("empresa-abc-123", "contacto@empresa-abc.com");

        Assert.Equal("empresa-abc-123", response.GetProperty("customer_id").GetString());
        var url = new Uri(response.GetProperty("authorization_url").GetString()!);
        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.Equal(h.Emulator.Url("o/oauth2/v2/auth"), url.GetLeftPart(UriPartial.Path));
        Assert.Equal("https://www.googleapis.com/auth/calendar", query["scope"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("offline", query["access_type"]);
        Assert.Equal("consent", query["prompt"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(43, query["code_challenge"].ToString().Length);
        var state = response.GetProperty("state").GetString()!;
        Assert.Equal(state, query["state"]);
        Assert.True(state.Length >= 22, "state must carry at least 128 bits");
        Assert.DoesNotContain("empresa", state);
        Assert.True(response.GetProperty("expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(29));

        // Only a hash of the state is stored.
        await using var db = await h.Database.OpenAsync();
        var stored = await db.QuerySingleAsync<string>("SELECT state_hash || customer_id || code_verifier FROM oauth_states");
        Assert.DoesNotContain(state, stored);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Full_flow_stores_fernet_encrypted_tokens_that_python_can_read(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.CreateAccountAsync("contacto@empresa-abc.com");
        var authorization = await h.AuthorizeAsync("empresa-abc-123", "contacto@empresa-abc.com");
        var redirect = await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, "contacto@empresa-abc.com", allow: true);
        Assert.Contains("code=", redirect.Query);

        using var callback = await h.DeliverCallbackAsync(redirect);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("https://calendar.google.com/", callback.Headers.Location!.ToString());

        await using var db = await h.Database.OpenAsync();
        var row = await db.QuerySingleAsync<(string customer_id, string access_token, string refresh_token, string token_expiry, string calendar_email, string created_at, string updated_at)>(
            "SELECT customer_id, access_token, refresh_token, token_expiry, calendar_email, created_at, updated_at FROM oauth_tokens");
        Assert.Equal("empresa-abc-123", row.customer_id);
        Assert.StartsWith("gAAAAA", row.access_token);
        Assert.StartsWith("gAAAAA", row.refresh_token);
        Assert.Equal("contacto@empresa-abc.com", row.calendar_email);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", row.token_expiry);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", row.created_at);

        var access = await FernetPythonInteropTests.Python(
            "import sys; from cryptography.fernet import Fernet; print(Fernet(sys.argv[1].encode()).decrypt(sys.argv[2].encode()).decode())",
            h.EncryptionKey, row.access_token);
        Assert.StartsWith("ya29.", access.Trim());
        var refresh = await FernetPythonInteropTests.Python(
            "import sys; from cryptography.fernet import Fernet; print(Fernet(sys.argv[1].encode()).decrypt(sys.argv[2].encode()).decode())",
            h.EncryptionKey, row.refresh_token);
        Assert.StartsWith("1//", refresh.Trim());

        using var service = h.ServiceClient();
        var status = await service.GetFromJsonAsync<JsonElement>("/customers/empresa-abc-123/calendar-status");
        Assert.Equal("connected", status.GetProperty("status").GetString());
        Assert.True(status.GetProperty("calendar_connected").GetBoolean());
        Assert.Equal("contacto@empresa-abc.com", status.GetProperty("calendar_email").GetString());

        // No token, code or verifier ever reaches a log line.
        var code = QueryHelpers.ParseQuery(redirect.Query)["code"].ToString();
        Assert.DoesNotContain(access.Trim(), h.Logs.All);
        Assert.DoesNotContain(refresh.Trim(), h.Logs.All);
        Assert.DoesNotContain(code, h.Logs.All);
        Assert.DoesNotContain(authorization.GetProperty("state").GetString()!, h.Logs.All);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_state_works_once(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.CreateAccountAsync("a@example.com");
        var authorization = await h.AuthorizeAsync("company-a", "a@example.com");
        var redirect = await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, "a@example.com", allow: true);
        using var first = await h.DeliverCallbackAsync(redirect);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        using var replay = await h.DeliverCallbackAsync(redirect);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("ya no es válido", await replay.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Two_simultaneous_callbacks_with_one_code_exchange_it_once(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.CreateAccountAsync("a@example.com");
        var authorization = await h.AuthorizeAsync("company-a", "a@example.com");
        var redirect = await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, "a@example.com", allow: true);
        var responses = await Task.WhenAll(h.DeliverCallbackAsync(redirect), h.DeliverCallbackAsync(redirect));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
        var requests = await h.EmulatorRequestsAsync();
        Assert.Single(requests.EnumerateArray(), r => r.TryGetProperty("grant_type", out var g) && g.GetString() == "authorization_code");
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Denied_consent_shows_a_spanish_page_and_stores_nothing(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.CreateAccountAsync("a@example.com");
        var authorization = await h.AuthorizeAsync("company-a", "a@example.com");
        var redirect = await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, "a@example.com", allow: false);
        Assert.Contains("error=access_denied", redirect.Query);
        using var page = await h.DeliverCallbackAsync(redirect);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Autorización cancelada", html);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        await using var db = await h.Database.OpenAsync();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM oauth_tokens"));
        using var service = h.ServiceClient();
        var status = await service.GetFromJsonAsync<JsonElement>("/customers/company-a/calendar-status");
        Assert.Equal("not_connected", status.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Expired_state_is_refused(string engine)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var h = await McpServerHarness.StartAsync(clock, engine: engine);
        await h.CreateAccountAsync("a@example.com");
        var authorization = await h.AuthorizeAsync("company-a", "a@example.com");
        var redirect = await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, "a@example.com", allow: true);
        clock.Advance(TimeSpan.FromMinutes(31));
        using var page = await h.DeliverCallbackAsync(redirect);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        var requests = await h.EmulatorRequestsAsync();
        Assert.DoesNotContain(requests.EnumerateArray(), r => r.TryGetProperty("grant_type", out var g) && g.GetString() == "authorization_code");
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Failed_code_exchange_shows_a_page_and_stores_nothing(string engine)
    {
        await using var h = await McpServerHarness.StartAsync(engine: engine);
        await h.CreateAccountAsync("a@example.com");
        var authorization = await h.AuthorizeAsync("company-a", "a@example.com");
        var redirect = await GoogleConsent.DecideAsync(authorization.GetProperty("authorization_url").GetString()!, "a@example.com", allow: true);
        var query = QueryHelpers.ParseQuery(redirect.Query);
        using var http = h.Mcp.CreateClient();
        using var page = await http.GetAsync($"/oauth/callback?code=4/0forged&state={Uri.EscapeDataString(query["state"]!)}");
        Assert.Equal(HttpStatusCode.BadGateway, page.StatusCode);
        Assert.Contains("No pudimos conectar el calendario", await page.Content.ReadAsStringAsync());
        await using var db = await h.Database.OpenAsync();
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM oauth_tokens"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?code=abc")]
    [InlineData("?state=unknown-state&code=abc")]
    [InlineData("?state=%3Cscript%3Ealert(1)%3C%2Fscript%3E&code=x")]
    [InlineData("?state=' OR 1=1 --&code=x")]
    [InlineData("?error=access_denied")]
    [InlineData("?state=a&state=b&code=x")]
    public async Task Bad_callbacks_get_a_page_without_echoing_input(string query)
    {
        var h = await refusing.ForAsync();
        using var http = h.Mcp.CreateClient();
        using var page = await http.GetAsync("/oauth/callback" + query);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("OR 1=1", html);
        Assert.DoesNotContain("   at ", html);
    }

    [Fact]
    public async Task A_long_state_is_refused()
    {
        var h = await refusing.ForAsync();
        using var http = h.Mcp.CreateClient();
        using var page = await http.GetAsync("/oauth/callback?code=x&state=" + new string('a', 5000));
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
    }
}
