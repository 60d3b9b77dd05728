using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests;

public partial class SignInTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GET", "v1/customer-calendars")]
    [InlineData("GET", "v1/customer-calendars/empresa-abc-123")]
    [InlineData("POST", "v1/customer-calendars/connect")]
    public async Task The_api_without_credentials_is_a_401_problem(string method, string path)
    {
        await using var h = await BackendHarness.StartAsync();
        using var client = h.Server.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = BackendHarness.ConnectBody();

        var response = await client.SendAsync(request, Ct);

        await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Empty(await h.RowsAsync());
        Assert.Empty(h.Mcp!.Requests);
    }

    [Theory]
    [InlineData("admin", "wrong")]
    [InlineData("root", BackendHarness.AdminPassword)]
    [InlineData("admin", "")]
    [InlineData("", "")]
    public async Task Wrong_basic_credentials_are_a_401_problem(string user, string password)
    {
        await using var h = await BackendHarness.StartAsync();
        using var client = h.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = BackendHarness.Basic(user, password);

        var response = await client.GetAsync("v1/customer-calendars", Ct);

        await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.StartsWith("Basic", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Malformed_authorization_headers_are_a_401_problem()
    {
        await using var h = await BackendHarness.StartAsync();
        foreach (var header in new[] { "Basic !!!notbase64", "Basic " + Convert.ToBase64String("no-colon"u8.ToArray()), "Bearer " + StandInMcpServer.ApiKey, "Basic" })
        {
            using var client = h.Server.CreateClient();
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
            await ProblemAsync(await client.GetAsync("v1/customer-calendars", Ct), HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task Basic_auth_works_on_the_api_without_antiforgery()
    {
        await using var h = await BackendHarness.StartAsync();
        using var client = h.AdminClient();
        await JsonAsync(await client.GetAsync("v1/customer-calendars", Ct));
        await JsonAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct));
    }

    [Fact]
    public async Task The_page_without_sign_in_redirects_to_ingresar()
    {
        await using var h = await BackendHarness.StartAsync();
        using var client = h.Server.CreateClient();
        var response = await client.GetAsync("clientes", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ingresar", response.Headers.Location!.AbsolutePath);
        Assert.Contains("volver=%2Fclientes", response.Headers.Location.Query);

        // Basic is for the API only: the page wants the signed-in cookie.
        client.DefaultRequestHeaders.Authorization = BackendHarness.Basic(BackendHarness.AdminUser, BackendHarness.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("clientes", Ct)).StatusCode);
    }

    [Fact]
    public async Task Sign_in_with_the_form_then_use_the_page_and_the_api_with_antiforgery()
    {
        await using var h = await BackendHarness.StartAsync();
        using var client = h.Server.CreateClient();

        var form = await client.GetAsync("ingresar?volver=%2Fclientes", Ct);
        var formHtml = await BodyAsync(form);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Equal("text/html", form.Content.Headers.ContentType?.MediaType);
        foreach (var text in new[] { "Usuario", "Contraseña", "Ingresar" }) Assert.Contains(text, formHtml);
        var token = FormToken(formHtml);

        var signIn = await client.PostAsync("ingresar", SignInForm(token, BackendHarness.AdminUser, BackendHarness.AdminPassword), Ct);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/clientes", signIn.Headers.Location!.OriginalString);
        var setCookie = string.Join("\n", signIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains("cc_admin=", setCookie);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);

        var page = await client.GetAsync("clientes", Ct);
        var pageHtml = await BodyAsync(page);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(">Clientes</h1>", pageHtml);
        var apiToken = MetaToken(pageHtml);

        await JsonAsync(await client.GetAsync("v1/customer-calendars", Ct));

        // A cookie-authenticated write without the antiforgery header is refused (CSRF) …
        await ProblemAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody(), Ct), HttpStatusCode.BadRequest);
        using (var forged = new HttpRequestMessage(HttpMethod.Post, "v1/customer-calendars/connect") { Content = BackendHarness.ConnectBody() })
        {
            forged.Headers.Add("X-CSRF-TOKEN", "forged");
            await ProblemAsync(await client.SendAsync(forged, Ct), HttpStatusCode.BadRequest);
        }
        Assert.Empty(await h.RowsAsync());

        // … and accepted with the page's token.
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/customer-calendars/connect") { Content = BackendHarness.ConnectBody() };
        request.Headers.Add("X-CSRF-TOKEN", apiToken);
        await JsonAsync(await client.SendAsync(request, Ct));
        Assert.Single(await h.RowsAsync());

        // Sign out: the cookie no longer works.
        var signOut = await client.PostAsync("salir", new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = FormToken(pageHtml) }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        await ProblemAsync(await client.GetAsync("v1/customer-calendars", Ct), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("clientes", Ct)).StatusCode);
    }

    [Fact]
    public async Task Sign_in_without_the_antiforgery_token_is_refused()
    {
        await using var h = await BackendHarness.StartAsync();
        using var client = h.Server.CreateClient();
        await client.GetAsync("ingresar", Ct); // antiforgery cookie, but the form token is missing or wrong

        foreach (var token in new[] { "", "forged-token" })
        {
            var response = await client.PostAsync("ingresar", SignInForm(token, BackendHarness.AdminUser, BackendHarness.AdminPassword), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("expiró", await BodyAsync(response));
            Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("cc_admin=")));
        }
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("clientes", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_shows_the_form_again_with_a_spanish_message()
    {
        await using var h = await BackendHarness.StartAsync();
        using var client = h.Server.CreateClient();
        var token = FormToken(await (await client.GetAsync("ingresar", Ct)).Content.ReadAsStringAsync(Ct));

        var response = await client.PostAsync("ingresar", SignInForm(token, BackendHarness.AdminUser, "wrong"), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var html = await BodyAsync(response);
        Assert.Contains("Usuario o contraseña incorrectos.", html);
        Assert.Contains("value=\"admin\"", html); // the user name stays filled in, the password does not
        Assert.DoesNotContain("wrong", html);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("clientes", Ct)).StatusCode);
    }

    [Fact]
    public async Task Repeated_failures_lock_the_client_out_even_with_the_right_password()
    {
        await using var h = await BackendHarness.StartAsync();
        using var client = h.Server.CreateClient();
        var token = FormToken(await (await client.GetAsync("ingresar", Ct)).Content.ReadAsStringAsync(Ct));

        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("ingresar", SignInForm(token, "admin", "guess" + i), Ct)).StatusCode);

        var locked = await client.PostAsync("ingresar", SignInForm(token, BackendHarness.AdminUser, BackendHarness.AdminPassword), Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Contains("Demasiados intentos", await BodyAsync(locked));
        Assert.True(locked.Headers.RetryAfter is not null);

        using var basic = h.AdminClient();
        await ProblemAsync(await basic.GetAsync("v1/customer-calendars", Ct), HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Failed_sign_ins_are_logged_with_the_address_and_user_but_never_the_password()
    {
        var logs = new CalendarConnect.Testing.CapturedLogs();
        await using var h = await BackendHarness.StartAsync(configure: s => s.AddLogging(l => l.AddProvider(logs)));
        using var client = h.Server.CreateClient();
        var token = FormToken(await (await client.GetAsync("ingresar", Ct)).Content.ReadAsStringAsync(Ct));
        await client.PostAsync("ingresar", SignInForm(token, "root", "hunter2-guess"), Ct);
        client.DefaultRequestHeaders.Authorization = BackendHarness.Basic("admin", "basic-guess");
        await client.GetAsync("v1/customer-calendars", Ct);

        var failures = logs.Lines.Where(l => l.Contains("Failed admin sign-in")).ToList();
        Assert.Equal(2, failures.Count);
        Assert.All(failures, l => Assert.StartsWith("Warning ", l));
        Assert.Contains(failures, l => l.Contains("(form) from 127.0.0.1 as root"));
        Assert.Contains(failures, l => l.Contains("(HTTP Basic) from 127.0.0.1 as admin"));
        Assert.DoesNotContain("guess", logs.All);
    }

    [Fact]
    public async Task Failed_basic_attempts_count_too()
    {
        await using var h = await BackendHarness.StartAsync();
        using var wrong = h.Server.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = BackendHarness.Basic("admin", "nope");
        for (var i = 0; i < 5; i++) await ProblemAsync(await wrong.GetAsync("v1/customer-calendars", Ct), HttpStatusCode.Unauthorized);
        using var right = h.AdminClient();
        await ProblemAsync(await right.GetAsync("v1/customer-calendars", Ct), HttpStatusCode.TooManyRequests);
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task Sign_in_never_redirects_off_site(string volver)
    {
        await using var h = await BackendHarness.StartAsync();
        using var client = h.Server.CreateClient();
        var token = FormToken(await (await client.GetAsync("ingresar", Ct)).Content.ReadAsStringAsync(Ct));
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__csrf"] = token, ["usuario"] = BackendHarness.AdminUser, ["contrasena"] = BackendHarness.AdminPassword, ["volver"] = volver,
        });
        var response = await client.PostAsync("ingresar", form, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/clientes", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("ingresar")]
    [InlineData("clientes")]
    public async Task Pages_send_security_headers(string path)
    {
        await using var h = await BackendHarness.StartAsync();
        using var client = h.Server.CreateClient();
        if (path == "clientes") await BackendHarness.SignInAsync(client);

        var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Equal("nosniff", string.Join("", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", string.Join("", response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", string.Join("", response.Headers.GetValues("X-Frame-Options")));
        var html = await BodyAsync(response);
        Assert.DoesNotMatch(InlineScript(), html); // every script is a separate file
    }

    [Fact]
    public async Task The_page_assets_are_served_from_the_assembly()
    {
        await using var h = await BackendHarness.StartAsync();
        using var client = h.Server.CreateClient();
        // The admin script is ES modules (no bundler): every module the page's script imports, and the ones those
        // import, is served with a JavaScript type (browsers refuse a module script of any other type).
        var modules = new Queue<Uri>([new Uri(client.BaseAddress!, "assets/clientes.js")]);
        var served = new HashSet<Uri>();
        while (modules.TryDequeue(out var module))
        {
            if (!served.Add(module)) continue;
            var js = await client.GetAsync(module, Ct);
            Assert.Equal(HttpStatusCode.OK, js.StatusCode);
            Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);
            Assert.Equal("no-cache", js.Headers.CacheControl?.ToString());
            var script = await js.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain("innerHTML", script);
            Assert.DoesNotContain("insertAdjacentHTML", script);
            Assert.DoesNotContain("eval(", script);
            foreach (Match import in ModuleImport().Matches(script)) modules.Enqueue(new Uri(module, import.Groups[1].Value));
        }
        Assert.True(served.Count > 10, $"the admin script imports its modules ({served.Count} served)");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("assets/clientes/no-such-module.js", Ct)).StatusCode);
        var css = await client.GetAsync("assets/admin.css", Ct);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_admin_page_loads_its_script_as_a_module_from_its_own_origin()
    {
        await using var h = await BackendHarness.StartAsync();
        using var client = h.Server.CreateClient();
        await BackendHarness.SignInAsync(client);

        var html = await BodyAsync(await client.GetAsync("clientes", Ct));

        Assert.Equal("<script type=\"module\" src=\"/assets/clientes.js\"></script>", Assert.Single(ScriptTag().Matches(html)).Value);
    }

    internal static FormUrlEncodedContent SignInForm(string token, string user, string password) => new(new Dictionary<string, string>
    {
        ["__csrf"] = token, ["usuario"] = user, ["contrasena"] = password, ["volver"] = "/clientes",
    });

    internal static string FormToken(string html) => WebUtility.HtmlDecode(FormTokenPattern().Match(html).Groups[1].Value);
    internal static string MetaToken(string html) => WebUtility.HtmlDecode(MetaTokenPattern().Match(html).Groups[1].Value);

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex FormTokenPattern();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex MetaTokenPattern();

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>")]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<script\b[^>]*>\s*</script>")]
    private static partial Regex ScriptTag();

    // import { … } from './x.js'; (the admin modules import only by relative path)
    [GeneratedRegex(@"^import\b[^;]*?\bfrom '(\./[^']+)';", RegexOptions.Multiline)]
    private static partial Regex ModuleImport();
}
