using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CalendarConnect.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarConnect.GoogleEmulator.Tests;

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
}

public sealed record TokenSet(string AccessToken, string? RefreshToken, JsonObject Body);

/// <summary>The emulator on a loopback port plus the steps most tests need (accounts, the OAuth dance, API calls).</summary>
public sealed partial class EmulatorHarness : IAsyncDisposable
{
    public const string RedirectUri = "http://127.0.0.1:5123/oauth/callback";

    private EmulatorHarness(LoopbackServer server, ManualClock clock)
    {
        Server = server;
        Clock = clock;
        Http = server.CreateClient();
    }

    public LoopbackServer Server { get; }
    public ManualClock Clock { get; }
    public HttpClient Http { get; }

    /// <param name="stateFile">EMULATOR_STATE_FILE; unset keeps everything in memory.</param>
    /// <param name="clock">Share one clock between a server and its restarted successor.</param>
    /// <param name="time">A clock whose timers the test fires itself (FakeTimeProvider) instead of <paramref name="clock"/>'s real ones.</param>
    public static async Task<EmulatorHarness> StartAsync(DateTimeOffset? now = null, string? stateFile = null, ManualClock? clock = null, TimeProvider? time = null)
    {
        clock ??= new ManualClock(now ?? DateTimeOffset.UtcNow);
        var server = await LoopbackServer.StartAsync(
            (args, settings) => Program.BuildApp(args, settings, services => services.AddSingleton(time ?? clock)),
            stateFile is null ? null : new Dictionary<string, string?> { ["EMULATOR_STATE_FILE"] = stateFile });
        return new EmulatorHarness(server, clock);
    }

    public async Task CreateAccountAsync(string email, string timeZone = "Europe/Madrid")
    {
        var response = await Http.PostAsJsonAsync("/emulator/accounts", new { email, time_zone = timeZone });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonObject> InsertEventAsync(string email, JsonObject resource)
    {
        var response = await Http.PostAsync($"/emulator/accounts/{Uri.EscapeDataString(email)}/events", Json(resource));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await ReadObjectAsync(response);
    }

    /// <summary>GET the consent page, read its form, post it back with the email and decision.</summary>
    public async Task<HttpResponseMessage> PostConsentAsync(string authorizeQuery, string email, string decision)
    {
        var page = await Http.GetAsync("/o/oauth2/v2/auth?" + authorizeQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var fields = HiddenInputs(await page.Content.ReadAsStringAsync());
        fields["email"] = email;
        fields["decision"] = decision;
        return await Http.PostAsync("/o/oauth2/v2/auth", new FormUrlEncodedContent(fields));
    }

    public static Dictionary<string, string> HiddenInputs(string html) =>
        HiddenInput().Matches(html).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["name"].Value), m => WebUtility.HtmlDecode(m.Groups["value"].Value));

    public static string AuthorizeQuery(string? challenge, string accessType = "offline", string? prompt = "consent", string scope = EmulatorDefaults.CalendarScope, string state = "st-123")
    {
        var parts = new Dictionary<string, string?>
        {
            ["client_id"] = EmulatorDefaults.ClientId,
            ["redirect_uri"] = RedirectUri,
            ["response_type"] = "code",
            ["scope"] = scope,
            ["access_type"] = accessType,
            ["prompt"] = prompt,
            ["state"] = state,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = challenge is null ? null : "S256",
        };
        return string.Join('&', parts.Where(p => p.Value is not null).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}"));
    }

    /// <summary>Consent as <paramref name="email"/>, then the code from the redirect.</summary>
    public async Task<string> AuthorizeAsync(string email, string verifier, string accessType = "offline", string? prompt = "consent", string scope = EmulatorDefaults.CalendarScope)
    {
        var response = await PostConsentAsync(AuthorizeQuery(Challenge(verifier), accessType, prompt, scope), email, "allow");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = QueryOf(response.Headers.Location!);
        return query["code"];
    }

    public Task<HttpResponseMessage> ExchangeCodeAsync(string code, string? verifier, string clientSecret = EmulatorDefaults.ClientSecret, string redirectUri = RedirectUri)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["client_id"] = EmulatorDefaults.ClientId,
            ["client_secret"] = clientSecret,
            ["redirect_uri"] = redirectUri,
        };
        if (verifier is not null) form["code_verifier"] = verifier;
        return Http.PostAsync("/token", new FormUrlEncodedContent(form));
    }

    public Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        Http.PostAsync("/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = EmulatorDefaults.ClientId,
            ["client_secret"] = EmulatorDefaults.ClientSecret,
        }));

    /// <summary>An account, consent and a token: the starting point of every Calendar API test.</summary>
    public async Task<TokenSet> SignInAsync(string email, string timeZone = "Europe/Madrid", string scope = EmulatorDefaults.CalendarScope)
    {
        await CreateAccountAsync(email, timeZone);
        var verifier = NewVerifier();
        var code = await AuthorizeAsync(email, verifier, scope: scope);
        var response = await ExchangeCodeAsync(code, verifier);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ReadObjectAsync(response);
        return new TokenSet(body["access_token"]!.GetValue<string>(), body["refresh_token"]?.GetValue<string>(), body);
    }

    public Task<HttpResponseMessage> ApiAsync(HttpMethod method, string path, string? accessToken, JsonNode? body = null)
    {
        var request = new HttpRequestMessage(method, "/calendar/v3/" + path.TrimStart('/'));
        if (accessToken is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (body is not null) request.Content = Json(body);
        return Http.SendAsync(request);
    }

    public async Task<JsonObject> ApiObjectAsync(HttpMethod method, string path, string accessToken, JsonNode? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await ApiAsync(method, path, accessToken, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public Task<HttpResponseMessage> PutJsonAsync(string path, object body) => Http.PutAsJsonAsync(path, body);

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    public static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static Dictionary<string, string> QueryOf(Uri uri) =>
        uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""));

    public static string NewVerifier() => Base64Url(RandomNumberGenerator.GetBytes(48));

    public static string Challenge(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static JsonObject LoadRecorded(params string[] parts) =>
        JsonNode.Parse(File.ReadAllText(RepositoryPaths.SharedFile(["google", "recorded", .. parts])))!.AsObject();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]*)" value="(?<value>[^"]*)">""")]
    private static partial Regex HiddenInput();
}
