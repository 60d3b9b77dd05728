using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace CalendarConnect.GoogleEmulator.Tests;

public class OAuthTests
{
    private const string Ana = "ana@example.com";

    [Fact]
    public async Task Full_dance_with_pkce_then_refresh_then_revoke_kills_the_grant()
    {
        await using var google = await EmulatorHarness.StartAsync();
        await google.CreateAccountAsync(Ana);
        var verifier = EmulatorHarness.NewVerifier();

        var page = await google.Http.GetAsync("/o/oauth2/v2/auth?" + EmulatorHarness.AuthorizeQuery(EmulatorHarness.Challenge(verifier)));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<form method=\"post\" action=\"/o/oauth2/v2/auth\">", html);
        Assert.Contains("Ver y gestionar tus eventos de Google Calendar", html);
        Assert.Contains("name=\"decision\" value=\"allow\"", html);
        Assert.Contains("Permitir", html);
        Assert.Contains("Cancelar", html);
        var fields = EmulatorHarness.HiddenInputs(html);
        Assert.Equal(EmulatorHarness.RedirectUri, fields["redirect_uri"]);
        Assert.Equal("st-123", fields["state"]);
        Assert.Equal("S256", fields["code_challenge_method"]);

        fields["email"] = Ana;
        fields["decision"] = "allow";
        var consent = await google.Http.PostAsync("/o/oauth2/v2/auth", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        var location = consent.Headers.Location!;
        Assert.StartsWith(EmulatorHarness.RedirectUri + "?", location.ToString());
        var query = EmulatorHarness.QueryOf(location);
        Assert.Equal("st-123", query["state"]);
        Assert.Equal(EmulatorDefaults.CalendarScope, query["scope"]);
        Assert.StartsWith("4/0", query["code"]);

        var exchange = await google.ExchangeCodeAsync(query["code"], verifier);
        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
        Assert.Equal("application/json; charset=utf-8", exchange.Content.Headers.ContentType!.ToString());
        Assert.Contains("no-store", exchange.Headers.CacheControl!.ToString());
        var tokens = await EmulatorHarness.ReadObjectAsync(exchange);
        Assert.StartsWith("ya29.", tokens["access_token"]!.GetValue<string>());
        Assert.StartsWith("1//0", tokens["refresh_token"]!.GetValue<string>());
        Assert.Equal(3599, tokens["expires_in"]!.GetValue<int>());
        Assert.Equal("Bearer", tokens["token_type"]!.GetValue<string>());
        Assert.Equal(EmulatorDefaults.CalendarScope, tokens["scope"]!.GetValue<string>());

        var refreshed = await google.RefreshAsync(tokens["refresh_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var refreshBody = await EmulatorHarness.ReadObjectAsync(refreshed);
        Assert.Null(refreshBody["refresh_token"]);
        var newAccess = refreshBody["access_token"]!.GetValue<string>();
        Assert.NotEqual(tokens["access_token"]!.GetValue<string>(), newAccess);
        Assert.Equal(HttpStatusCode.OK, (await google.ApiAsync(HttpMethod.Get, "calendars/primary", newAccess)).StatusCode);

        var revoke = await google.Http.PostAsync("/revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = newAccess }));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal("{}", (await revoke.Content.ReadAsStringAsync()).Trim());

        var afterRevoke = await google.RefreshAsync(tokens["refresh_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, afterRevoke.StatusCode);
        Assert.Equal("""{"error":"invalid_grant","error_description":"Token has been expired or revoked."}""",
            (await EmulatorHarness.ReadObjectAsync(afterRevoke)).ToJsonString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await google.ApiAsync(HttpMethod.Get, "calendars/primary", tokens["access_token"]!.GetValue<string>())).StatusCode);

        var again = await google.Http.PostAsync("/revoke?token=" + Uri.EscapeDataString(newAccess), null);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("""{"error":"invalid_token","error_description":"Token expired or revoked"}""", (await EmulatorHarness.ReadObjectAsync(again)).ToJsonString());
    }

    [Fact]
    public async Task Deny_redirects_with_access_denied_and_state()
    {
        await using var google = await EmulatorHarness.StartAsync();
        await google.CreateAccountAsync(Ana);
        var response = await google.PostConsentAsync(EmulatorHarness.AuthorizeQuery(null), Ana, "deny");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(EmulatorHarness.RedirectUri + "?state=st-123&error=access_denied", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Unknown_email_shows_the_page_again_with_an_error()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var response = await google.PostConsentAsync(EmulatorHarness.AuthorizeQuery(null), "nobody@example.com", "allow");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("No se ha podido encontrar tu cuenta de Google", html);
        Assert.Contains("<form method=\"post\"", html);
    }

    [Theory]
    [InlineData("client_id=someone-else.apps.googleusercontent.com&redirect_uri=http%3A%2F%2Flocalhost%3A1%2Fcb&response_type=code&scope=openid", 401, "invalid_client")]
    [InlineData("redirect_uri=http%3A%2F%2Flocalhost%3A1%2Fcb&response_type=code&scope=openid", 400, "invalid_request")]
    [InlineData("client_id=calendarconnect-demo.apps.googleusercontent.com&redirect_uri=https%3A%2F%2Fevil.example.com%2Fcb&response_type=code&scope=openid", 400, "redirect_uri_mismatch")]
    [InlineData("client_id=calendarconnect-demo.apps.googleusercontent.com&redirect_uri=http%3A%2F%2Flocalhost.evil.com%2Fcb&response_type=code&scope=openid", 400, "redirect_uri_mismatch")]
    [InlineData("client_id=calendarconnect-demo.apps.googleusercontent.com&redirect_uri=http%3A%2F%2Flocalhost%3A1%2Fcb&response_type=token&scope=openid", 400, "invalid_request")]
    [InlineData("client_id=calendarconnect-demo.apps.googleusercontent.com&redirect_uri=http%3A%2F%2Flocalhost%3A1%2Fcb&response_type=code", 400, "invalid_request")]
    [InlineData("client_id=calendarconnect-demo.apps.googleusercontent.com&redirect_uri=http%3A%2F%2Flocalhost%3A1%2Fcb&response_type=code&scope=openid&code_challenge=short&code_challenge_method=S256", 400, "invalid_request")]
    [InlineData("client_id=calendarconnect-demo.apps.googleusercontent.com&redirect_uri=http%3A%2F%2Flocalhost%3A1%2Fcb&response_type=code&scope=openid&code_challenge_method=S256", 400, "invalid_request")]
    [InlineData("client_id=calendarconnect-demo.apps.googleusercontent.com&redirect_uri=http%3A%2F%2Flocalhost%3A1%2Fcb&response_type=code&scope=openid&access_type=forever", 400, "invalid_request")]
    [InlineData("client_id=calendarconnect-demo.apps.googleusercontent.com&redirect_uri=http%3A%2F%2Flocalhost%3A1%2Fcb&response_type=code&scope=https%3A%2F%2Fexample.com%2Fall", 400, "invalid_scope")]
    public async Task Bad_authorization_requests_get_google_error_pages(string query, int status, string error)
    {
        await using var google = await EmulatorHarness.StartAsync();
        var response = await google.Http.GetAsync("/o/oauth2/v2/auth?" + query);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains($"Error {status}: {error}", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("http://localhost/cb")]
    [InlineData("http://localhost:8080/cb")]
    [InlineData("http://127.0.0.1:65000/oauth/callback?x=1")]
    [InlineData("http://[::1]:9999/cb")]
    public async Task Any_loopback_redirect_is_accepted(string redirectUri)
    {
        await using var google = await EmulatorHarness.StartAsync();
        var response = await google.Http.GetAsync(
            $"/o/oauth2/v2/auth?client_id={EmulatorDefaults.ClientId}&redirect_uri={Uri.EscapeDataString(redirectUri)}&response_type=code&scope=openid");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Consent_page_encodes_html_in_login_hint_and_state()
    {
        await using var google = await EmulatorHarness.StartAsync();
        const string evil = "\"><script>alert(1)</script>@x.com";
        var response = await google.Http.GetAsync("/o/oauth2/v2/auth?" + EmulatorHarness.AuthorizeQuery(null, state: evil)
            + "&login_hint=" + Uri.EscapeDataString(evil));
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Equal(evil, EmulatorHarness.HiddenInputs(html)["state"]);
        Assert.Equal(evil, EmulatorHarness.HiddenInputs(html)["login_hint"]);

        // The unknown-account page echoes the typed email too.
        var fields = EmulatorHarness.HiddenInputs(html);
        fields["email"] = evil;
        fields["decision"] = "allow";
        var retry = await (await google.Http.PostAsync("/o/oauth2/v2/auth", new FormUrlEncodedContent(fields))).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", retry);
    }

    [Fact]
    public async Task Code_exchange_failures_match_google()
    {
        await using var google = await EmulatorHarness.StartAsync();
        await google.CreateAccountAsync(Ana);
        var verifier = EmulatorHarness.NewVerifier();

        async Task AssertInvalidGrant(HttpResponseMessage response, string description)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var body = await EmulatorHarness.ReadObjectAsync(response);
            Assert.Equal("invalid_grant", body["error"]!.GetValue<string>());
            Assert.Equal(description, body["error_description"]!.GetValue<string>());
        }

        var code = await google.AuthorizeAsync(Ana, verifier);
        await AssertInvalidGrant(await google.ExchangeCodeAsync(code, null), "Missing code verifier.");
        await AssertInvalidGrant(await google.ExchangeCodeAsync(code, EmulatorHarness.NewVerifier()), "Invalid code verifier.");
        Assert.Equal(HttpStatusCode.OK, (await google.ExchangeCodeAsync(code, verifier)).StatusCode);
        await AssertInvalidGrant(await google.ExchangeCodeAsync(code, verifier), "Code was already redeemed.");
        await AssertInvalidGrant(await google.ExchangeCodeAsync("4%2F0garbage", verifier), "Malformed auth code.");

        var late = await google.AuthorizeAsync(Ana, verifier);
        google.Clock.Advance(TimeSpan.FromMinutes(10));
        await AssertInvalidGrant(await google.ExchangeCodeAsync(late, verifier), "Token has been expired or revoked.");

        var wrongRedirect = await google.AuthorizeAsync(Ana, verifier);
        var mismatch = await google.ExchangeCodeAsync(wrongRedirect, verifier, redirectUri: "http://127.0.0.1:5123/other");
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Equal("redirect_uri_mismatch", (await EmulatorHarness.ReadObjectAsync(mismatch))["error"]!.GetValue<string>());

        await AssertInvalidGrant(await google.RefreshAsync("1//0not-a-real-token"), "Token has been expired or revoked.");
    }

    [Fact]
    public async Task Plain_pkce_and_no_pkce_both_work()
    {
        await using var google = await EmulatorHarness.StartAsync();
        await google.CreateAccountAsync(Ana);
        var verifier = EmulatorHarness.NewVerifier();
        var page = await google.Http.GetAsync($"/o/oauth2/v2/auth?client_id={EmulatorDefaults.ClientId}&redirect_uri={Uri.EscapeDataString(EmulatorHarness.RedirectUri)}&response_type=code&scope={Uri.EscapeDataString(EmulatorDefaults.CalendarScope)}&code_challenge={verifier}&code_challenge_method=plain");
        var fields = EmulatorHarness.HiddenInputs(await page.Content.ReadAsStringAsync());
        fields["email"] = Ana;
        fields["decision"] = "allow";
        var redirect = await google.Http.PostAsync("/o/oauth2/v2/auth", new FormUrlEncodedContent(fields));
        var code = EmulatorHarness.QueryOf(redirect.Headers.Location!)["code"];
        var exchange = await google.ExchangeCodeAsync(code, verifier);
        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
        // access_type was not offline: no refresh token.
        Assert.Null((await EmulatorHarness.ReadObjectAsync(exchange))["refresh_token"]);

        var noPkce = await google.PostConsentAsync(EmulatorHarness.AuthorizeQuery(null), Ana, "allow");
        var plainCode = EmulatorHarness.QueryOf(noPkce.Headers.Location!)["code"];
        Assert.Equal(HttpStatusCode.OK, (await google.ExchangeCodeAsync(plainCode, null)).StatusCode);
    }

    [Fact]
    public async Task Refresh_token_only_on_first_offline_consent_unless_consent_is_forced()
    {
        await using var google = await EmulatorHarness.StartAsync();
        await google.CreateAccountAsync(Ana);
        var verifier = EmulatorHarness.NewVerifier();
        async Task<string?> RefreshTokenOf(string? prompt)
        {
            var code = await google.AuthorizeAsync(Ana, verifier, prompt: prompt);
            return (await EmulatorHarness.ReadObjectAsync(await google.ExchangeCodeAsync(code, verifier)))["refresh_token"]?.GetValue<string>();
        }
        var first = await RefreshTokenOf(null);
        Assert.NotNull(first);
        Assert.Null(await RefreshTokenOf(null));
        var forced = await RefreshTokenOf("consent");
        Assert.NotNull(forced);
        Assert.NotEqual(first, forced);
    }

    [Fact]
    public async Task Client_authentication_failures_are_401_invalid_client()
    {
        await using var google = await EmulatorHarness.StartAsync();
        await google.CreateAccountAsync(Ana);
        var verifier = EmulatorHarness.NewVerifier();
        var code = await google.AuthorizeAsync(Ana, verifier);

        var badSecret = await google.ExchangeCodeAsync(code, verifier, clientSecret: "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, badSecret.StatusCode);
        Assert.Equal("""{"error":"invalid_client","error_description":"Unauthorized"}""", (await EmulatorHarness.ReadObjectAsync(badSecret)).ToJsonString());

        var unknownClient = await google.Http.PostAsync("/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["client_id"] = "other.apps.googleusercontent.com", ["client_secret"] = "x",
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, unknownClient.StatusCode);
        Assert.Equal("""{"error":"invalid_client","error_description":"The OAuth client was not found."}""", (await EmulatorHarness.ReadObjectAsync(unknownClient)).ToJsonString());

        // HTTP Basic client authentication works too.
        var basic = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = EmulatorHarness.RedirectUri, ["code_verifier"] = verifier,
            }),
        };
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{EmulatorDefaults.ClientId}:{EmulatorDefaults.ClientSecret}")));
        Assert.Equal(HttpStatusCode.OK, (await google.Http.SendAsync(basic)).StatusCode);
    }

    [Fact]
    public async Task Unsupported_grant_type_is_400()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var response = await google.Http.PostAsync("/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = EmulatorDefaults.ClientId, ["client_secret"] = EmulatorDefaults.ClientSecret,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", (await EmulatorHarness.ReadObjectAsync(response))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Access_tokens_expire_after_3599_seconds_of_the_injected_clock()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var tokens = await google.SignInAsync(Ana);
        google.Clock.Advance(TimeSpan.FromSeconds(3598));
        Assert.Equal(HttpStatusCode.OK, (await google.ApiAsync(HttpMethod.Get, "calendars/primary", tokens.AccessToken)).StatusCode);
        google.Clock.Advance(TimeSpan.FromSeconds(1));
        var expired = await google.ApiAsync(HttpMethod.Get, "calendars/primary", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await google.RefreshAsync(tokens.RefreshToken!)).StatusCode);
    }

    [Fact]
    public async Task Prompt_none_cannot_succeed_without_a_session()
    {
        await using var google = await EmulatorHarness.StartAsync();
        var response = await google.Http.GetAsync("/o/oauth2/v2/auth?" + EmulatorHarness.AuthorizeQuery(null, prompt: "none"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("interaction_required", EmulatorHarness.QueryOf(response.Headers.Location!)["error"]);
    }
}
