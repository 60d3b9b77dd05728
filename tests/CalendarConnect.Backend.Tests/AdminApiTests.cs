using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CalendarConnect.Backend.Storage;
using CalendarConnect.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static CalendarConnect.Backend.Tests.ResponseAssert;

namespace CalendarConnect.Backend.Tests;

/// <summary>
/// The admin API beyond connect: list search, status filter and pages (X-Total-Count, Link), PATCH of name, email and
/// WhatsApp number, the ADMIN_API_KEY bearer key, and English messages for Accept-Language: en.
/// </summary>
public class AdminApiTests(AdminApiTests.Companies companies) : IClassFixture<AdminApiTests.Companies>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public const string ApiKey1 = "k1-0123456789abcdefghijklmnopqrstuvwxyz-AAAA";
    public const string ApiKey2 = "k2-0123456789abcdefghijklmnopqrstuvwxyz-BBBB";

    private static string[] Ids(JsonElement list) => list.EnumerateArray().Select(e => e.GetProperty("customer_id").GetString()!).ToArray();

    /// <summary>Twelve companies, created one after the other (newest first in the list: empresa-12 … empresa-01), plus three named ones.</summary>
    private static async Task<BackendHarness> WithCompaniesAsync(string engine = Engines.Sqlite)
    {
        var h = await BackendHarness.StartAsync(engine);
        await AddCompaniesAsync(h, Ct);
        return h;
    }

    private static async Task AddCompaniesAsync(BackendHarness h, CancellationToken ct)
    {
        var memory = h.Server.GetRequiredService<CustomerMemory>();
        for (var i = 1; i <= 12; i++) await memory.UpsertAsync($"empresa-{i:00}", $"contacto{i}@empresa{i}.com", $"Empresa Número {i}", ct);
        await memory.UpsertAsync("clinica-norte", "agenda@clinica-norte.com", "Clínica Norte", ct);
        await memory.UpsertAsync("peluqueria-sol", "turnos@sol.com.ar", "PELUQUERÍA SOL", ct);
        await memory.UpsertAsync("taller-ruiz", "ruiz@taller.com", "Taller Ruiz", ct);
        Assert.Equal(WhatsAppNumberResult.Saved, await memory.SetWhatsAppNumberAsync("taller-ruiz", "+5491155550000", ct));
    }

    /// <summary>
    /// The companies of <see cref="WithCompaniesAsync"/> in one backend for the tests that only read them or send what
    /// must be refused (and check that nothing changed); a test that changes a company starts its own.
    /// </summary>
    public sealed class Companies : ClassBackends
    {
        protected override Task SeedAsync(BackendHarness harness) => AddCompaniesAsync(harness, CancellationToken.None);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task The_list_pages_with_a_total_and_link_headers(string engine)
    {
        await using var h = await WithCompaniesAsync(engine);
        using var client = h.AdminClient();

        var first = await client.GetAsync("v1/customer-calendars?page_size=4", Ct);
        var firstPage = await JsonAsync(first);
        Assert.Equal(["taller-ruiz", "peluqueria-sol", "clinica-norte", "empresa-12"], Ids(firstPage));
        Assert.Equal("15", Assert.Single(first.Headers.GetValues("X-Total-Count")));
        Assert.Equal(
            "</v1/customer-calendars?page=1&page_size=4>; rel=\"first\", </v1/customer-calendars?page=2&page_size=4>; rel=\"next\", " +
            "</v1/customer-calendars?page=4&page_size=4>; rel=\"last\"",
            Assert.Single(first.Headers.GetValues("Link")));
        Assert.Equal("+5491155550000", firstPage[0].GetProperty("whatsapp_number").GetString());
        Assert.Equal(JsonValueKind.Null, firstPage[1].GetProperty("whatsapp_number").ValueKind);
        // Only the page's companies were asked about.
        Assert.Equal(4, Assert.Single(h.Mcp!.Requests).PathAndQuery.Split("customer_id=").Length - 1);

        var last = await client.GetAsync("v1/customer-calendars?page=4&page_size=4", Ct);
        Assert.Equal(["empresa-03", "empresa-02", "empresa-01"], Ids(await JsonAsync(last)));
        Assert.Equal(
            "</v1/customer-calendars?page=1&page_size=4>; rel=\"first\", </v1/customer-calendars?page=3&page_size=4>; rel=\"prev\", " +
            "</v1/customer-calendars?page=4&page_size=4>; rel=\"last\"",
            Assert.Single(last.Headers.GetValues("Link")));

        // Past the end: an empty page, the total, and prev pointing at the last real page.
        var beyond = await client.GetAsync("v1/customer-calendars?page=9&page_size=4", Ct);
        Assert.Equal(0, (await JsonAsync(beyond)).GetArrayLength());
        Assert.Equal("15", Assert.Single(beyond.Headers.GetValues("X-Total-Count")));
        Assert.Contains("</v1/customer-calendars?page=4&page_size=4>; rel=\"prev\"", Assert.Single(beyond.Headers.GetValues("Link")));

        // Defaults: page 1 of 50.
        var all = await client.GetAsync("v1/customer-calendars", Ct);
        Assert.Equal(15, (await JsonAsync(all)).GetArrayLength());
        Assert.Equal("</v1/customer-calendars?page=1&page_size=50>; rel=\"first\", </v1/customer-calendars?page=1&page_size=50>; rel=\"last\"",
            Assert.Single(all.Headers.GetValues("Link")));
    }

    [Theory]
    [InlineData("clinica", new[] { "clinica-norte" })]            // accents ignored: "Clínica"
    [InlineData("CLÍNICA NORTE", new[] { "clinica-norte" })]      // case ignored
    [InlineData("peluquería", new[] { "peluqueria-sol" })]        // "PELUQUERÍA SOL"
    [InlineData("sol.com.ar", new[] { "peluqueria-sol" })]        // email
    [InlineData("empresa-1", new[] { "empresa-12", "empresa-11", "empresa-10" })] // id
    [InlineData("número 1", new[] { "empresa-12", "empresa-11", "empresa-10", "empresa-01" })] // name, accent typed
    [InlineData("+54 9 11 5555-0000", new[] { "taller-ruiz" })]   // WhatsApp number as people write it
    [InlineData("5491155550000", new[] { "taller-ruiz" })]        // … and as WhatsApp sends it
    [InlineData("5555", new[] { "taller-ruiz" })]
    [InlineData("<script>", new string[0])]
    [InlineData("%' OR 1=1 --", new string[0])]
    public async Task The_search_matches_id_name_email_and_whatsapp_number(string q, string[] expected)
    {
        var h = await companies.ForAsync();
        using var client = h.AdminClient();
        var response = await client.GetAsync("v1/customer-calendars?q=" + Uri.EscapeDataString(q), Ct);
        Assert.Equal(expected, Ids(await JsonAsync(response)));
        Assert.Equal(expected.Length.ToString(), Assert.Single(response.Headers.GetValues("X-Total-Count")));
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task The_status_filter_uses_the_live_status_and_keeps_q_in_the_links(string engine)
    {
        await using var h = await WithCompaniesAsync(engine);
        h.Mcp!.SetStatus("empresa-02", "connected", "a@empresa2.com");
        h.Mcp.SetStatus("empresa-05", "connected", "a@empresa5.com");
        h.Mcp.SetStatus("empresa-09", "connected", "a@empresa9.com");
        h.Mcp.SetStatus("clinica-norte", "needs_reauthorization", "agenda@clinica-norte.com");
        using var client = h.AdminClient();

        var connected = await client.GetAsync("v1/customer-calendars?status=connected&q=empresa&page_size=2", Ct);
        var page = await JsonAsync(connected);
        Assert.Equal(["empresa-09", "empresa-05"], Ids(page));
        Assert.All(page.EnumerateArray(), v => Assert.True(v.GetProperty("calendar_connected").GetBoolean()));
        Assert.Equal("3", Assert.Single(connected.Headers.GetValues("X-Total-Count")));
        Assert.Contains("</v1/customer-calendars?q=empresa&status=connected&page=2&page_size=2>; rel=\"next\"",
            Assert.Single(connected.Headers.GetValues("Link")));

        Assert.Equal(["clinica-norte"], Ids(await JsonAsync(await client.GetAsync("v1/customer-calendars?status=needs_reauthorization", Ct))));
        Assert.Equal(11, (await JsonAsync(await client.GetAsync("v1/customer-calendars?status=not_connected", Ct))).GetArrayLength());
        Assert.Equal(0, (await JsonAsync(await client.GetAsync("v1/customer-calendars?status=unknown", Ct))).GetArrayLength());

        // The MCP server down: every company is "unknown", and the filter still answers.
        h.Mcp.FailWith = 500;
        Assert.Equal(15, (await JsonAsync(await client.GetAsync("v1/customer-calendars?status=unknown", Ct))).GetArrayLength());
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=-1", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("page=1e3", "page")]
    [InlineData("page=%2B2", "page")]
    [InlineData("page=99999999999999999999", "page")]
    [InlineData("page_size=0", "page_size")]
    [InlineData("page_size=201", "page_size")]
    [InlineData("page_size=2.5", "page_size")]
    [InlineData("status=conectado", "status")]
    [InlineData("status=CONNECTED", "status")]
    [InlineData("page=1&page=2", "page")]
    [InlineData("q=a&q=b", "q")]
    [InlineData("q=%00", "q")]
    [InlineData("q=a%0Ab", "q")]
    public async Task Bad_list_parameters_are_a_400_problem_naming_the_parameter(string query, string parameter)
    {
        var h = await companies.ForAsync();
        using var client = h.AdminClient();
        var problem = await ProblemAsync(await client.GetAsync("v1/customer-calendars?" + query, Ct), HttpStatusCode.BadRequest);
        Assert.Equal([parameter], PropertyNames(problem.GetProperty("errors")));
        Assert.Empty(h.Mcp!.Requests);
    }

    [Fact]
    public async Task The_link_header_escapes_the_search_text()
    {
        var h = await companies.ForAsync();
        using var client = h.AdminClient();
        var response = await client.GetAsync("v1/customer-calendars?q=" + Uri.EscapeDataString("a&b=c <x>;\"") + "&page_size=1", Ct);
        await JsonAsync(response);
        Assert.Equal("</v1/customer-calendars?q=a%26b%3Dc%20%3Cx%3E%3B%22&page=1&page_size=1>; rel=\"first\", </v1/customer-calendars?q=a%26b%3Dc%20%3Cx%3E%3B%22&page=1&page_size=1>; rel=\"last\"",
            Assert.Single(response.Headers.GetValues("Link")));
    }

    [Fact]
    public async Task A_search_longer_than_200_characters_is_refused()
    {
        var h = await companies.ForAsync();
        using var client = h.AdminClient();
        await ProblemAsync(await client.GetAsync("v1/customer-calendars?q=" + new string('a', 201), Ct), HttpStatusCode.BadRequest);
        await JsonAsync(await client.GetAsync("v1/customer-calendars?q=" + new string('a', 200), Ct));
    }

    // ---- PATCH ------------------------------------------------------------------------------------

    private static StringContent MergePatch(string json) => new(json, System.Text.Encoding.UTF8, "application/merge-patch+json");

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Patch_changes_only_the_fields_given_and_null_clears_the_whatsapp_number(string engine)
    {
        await using var h = await WithCompaniesAsync(engine);
        h.Mcp!.SetStatus("clinica-norte", "connected", "agenda@clinica-norte.com");
        using var client = h.AdminClient();
        var memory = h.Server.GetRequiredService<CustomerMemory>();
        var before = (await h.RowsAsync()).Single(r => r.CustomerId == "clinica-norte");

        var renamed = await JsonAsync(await client.PatchAsync("v1/customer-calendars/clinica-norte",
            MergePatch("""{"customer_name":"  Clínica Norte S.R.L. ","whatsapp_number":"+54 9 11 4444-1234"}"""), Ct));
        Assert.Equal("Clínica Norte S.R.L.", renamed.GetProperty("customer_name").GetString());
        Assert.Equal("agenda@clinica-norte.com", renamed.GetProperty("customer_email").GetString());
        Assert.Equal("+5491144441234", renamed.GetProperty("whatsapp_number").GetString());
        Assert.Equal("connected", renamed.GetProperty("status").GetString());
        var row = (await h.RowsAsync()).Single(r => r.CustomerId == "clinica-norte");
        Assert.Equal(before.CreatedAt, row.CreatedAt);
        Assert.True(string.CompareOrdinal(row.UpdatedAt, before.UpdatedAt) > 0);
        Assert.Equal("clinica-norte", (await memory.FindByWhatsAppNumberAsync("+5491144441234", Ct))!.CustomerId);

        // application/json works too; the email alone changes; the number stays.
        var emailOnly = await JsonAsync(await client.PatchAsync("v1/customer-calendars/clinica-norte",
            BackendHarness.Json("""{"customer_email":"turnos@clinica-norte.com"}"""), Ct));
        Assert.Equal(("turnos@clinica-norte.com", "Clínica Norte S.R.L.", "+5491144441234"),
            (emailOnly.GetProperty("customer_email").GetString(), emailOnly.GetProperty("customer_name").GetString(), emailOnly.GetProperty("whatsapp_number").GetString()));

        // {} changes nothing and writes nothing (updated_at stays); it answers the company as it is.
        var unchangedBefore = (await h.RowsAsync()).Single(r => r.CustomerId == "clinica-norte");
        var unchanged = await JsonAsync(await client.PatchAsync("v1/customer-calendars/clinica-norte", MergePatch("{}"), Ct));
        Assert.Equal((await JsonAsync(await client.GetAsync("v1/customer-calendars/clinica-norte", Ct))).ToString(), unchanged.ToString());
        Assert.Equal(unchangedBefore.UpdatedAt, (await h.RowsAsync()).Single(r => r.CustomerId == "clinica-norte").UpdatedAt);
        await ProblemAsync(await client.PatchAsync("v1/customer-calendars/no-existe", MergePatch("{}"), Ct), HttpStatusCode.NotFound);

        // null clears the number; "" is a 400 that says to send null, and changes nothing.
        var cleared = await JsonAsync(await client.PatchAsync("v1/customer-calendars/clinica-norte", MergePatch("""{"whatsapp_number":null}"""), Ct));
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("whatsapp_number").ValueKind);
        await JsonAsync(await client.PatchAsync("v1/customer-calendars/clinica-norte", MergePatch("""{"whatsapp_number":"+5491144441234"}"""), Ct));
        foreach (var empty in new[] { "\"\"", "\"  \"" })
        {
            var refused = await ProblemAsync(await client.PatchAsync("v1/customer-calendars/clinica-norte",
                MergePatch($$"""{"customer_name":"Otro","whatsapp_number":{{empty}}}"""), Ct), HttpStatusCode.BadRequest);
            Assert.Equal("No puede estar vacío: para quitar el número envíe null (\"whatsapp_number\": null).",
                refused.GetProperty("errors").GetProperty("whatsapp_number")[0].GetString());
        }
        Assert.Equal(("Clínica Norte S.R.L.", "+5491144441234"), ((await memory.FindAsync("clinica-norte", Ct))!.CustomerName, (await memory.FindAsync("clinica-norte", Ct))!.WhatsAppNumber));
        var clearedByNull = await JsonAsync(await client.PatchAsync("v1/customer-calendars/clinica-norte", MergePatch("""{"whatsapp_number":null}"""), Ct));
        Assert.Equal(JsonValueKind.Null, clearedByNull.GetProperty("whatsapp_number").ValueKind);

        // GET and the list show the same.
        var got = await JsonAsync(await client.GetAsync("v1/customer-calendars/clinica-norte", Ct));
        Assert.Equal("turnos@clinica-norte.com", got.GetProperty("customer_email").GetString());
        Assert.Equal(JsonValueKind.Null, got.GetProperty("whatsapp_number").ValueKind);
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task A_whatsapp_number_another_company_holds_is_a_409_and_nothing_changes(string engine)
    {
        await using var h = await WithCompaniesAsync(engine);
        using var client = h.AdminClient();
        var before = await h.RowsAsync();

        var problem = await ProblemAsync(await client.PatchAsync("v1/customer-calendars/clinica-norte",
            MergePatch("""{"customer_name":"Otro nombre","whatsapp_number":"0054 9 11 5555 0000"}"""), Ct), HttpStatusCode.Conflict);
        Assert.Contains("taller-ruiz", problem.GetProperty("detail").GetString());
        Assert.Equal(["whatsapp_number"], PropertyNames(problem.GetProperty("errors")));
        Assert.Equal(before.Select(r => (r.CustomerId, r.CustomerName, r.UpdatedAt)), (await h.RowsAsync()).Select(r => (r.CustomerId, r.CustomerName, r.UpdatedAt)));

        // The holder itself may send its own number again.
        await JsonAsync(await client.PatchAsync("v1/customer-calendars/taller-ruiz", MergePatch("""{"whatsapp_number":"+54 9 11 5555 0000"}"""), Ct));
    }

    [Theory]
    [InlineData("[]", "body")]
    [InlineData("\"texto\"", "body")]
    [InlineData("""{"customer_name":null}""", "customer_name")]
    [InlineData("""{"customer_email":null}""", "customer_email")]
    [InlineData("""{"customer_name":""}""", "customer_name")]
    [InlineData("""{"customer_name":"a\u0007b"}""", "customer_name")]
    [InlineData("""{"customer_name":"\ud800"}""", "customer_name")]
    [InlineData("""{"customer_name":5}""", "customer_name")]
    [InlineData("""{"customer_email":"no-es-email"}""", "customer_email")]
    [InlineData("""{"customer_id":"otra"}""", "customer_id")]
    [InlineData("""{"whatsapp_number":""}""", "whatsapp_number")]
    [InlineData("""{"whatsapp_number":"123"}""", "whatsapp_number")]
    [InlineData("""{"whatsapp_number":"1155550000"}""", "whatsapp_number")]
    [InlineData("""{"whatsapp_number":"+54 11 <script>"}""", "whatsapp_number")]
    [InlineData("""{"whatsapp_number":5491155550000}""", "whatsapp_number")]
    [InlineData("""{"whatsapp_number":"+5491155550000000000000000000000000000000000"}""", "whatsapp_number")]
    [InlineData("""{"color":"azul"}""", "color")]
    [InlineData("""{"customer_name":"A","customer_name":"B"}""", "customer_name")]
    public async Task Bad_patch_bodies_are_a_400_problem_naming_the_field_and_change_nothing(string body, string field)
    {
        var h = await companies.ForAsync();
        using var client = h.AdminClient();
        var before = await h.RowsAsync();
        var problem = await ProblemAsync(await client.PatchAsync("v1/customer-calendars/clinica-norte", MergePatch(body), Ct), HttpStatusCode.BadRequest);
        Assert.Contains(field, PropertyNames(problem.GetProperty("errors")));
        Assert.Equal(before.Select(r => (r.CustomerId, r.CustomerEmail, r.CustomerName, r.UpdatedAt)),
            (await h.RowsAsync()).Select(r => (r.CustomerId, r.CustomerEmail, r.CustomerName, r.UpdatedAt)));
    }

    [Fact]
    public async Task Patch_of_unknown_or_hostile_ids_and_unreadable_bodies_are_problems()
    {
        var h = await companies.ForAsync();
        using var client = h.AdminClient();
        await ProblemAsync(await client.PatchAsync("v1/customer-calendars/no-existe", MergePatch("""{"customer_name":"X"}"""), Ct), HttpStatusCode.NotFound);
        await ProblemAsync(await client.PatchAsync("v1/customer-calendars/..%2F..%2Fetc", MergePatch("""{"customer_name":"X"}"""), Ct), HttpStatusCode.BadRequest);
        await ProblemAsync(await client.PatchAsync("v1/customer-calendars/clinica-norte", new StringContent("customer_name=X", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"), Ct), HttpStatusCode.UnsupportedMediaType);
        await ProblemAsync(await client.PatchAsync("v1/customer-calendars/clinica-norte", MergePatch("{\"customer_name\":"), Ct), HttpStatusCode.BadRequest);
        await ProblemAsync(await client.PatchAsync("v1/customer-calendars/clinica-norte", MergePatch("{\"customer_name\":\"" + new string('a', 20_000) + "\"}"), Ct), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("Clínica Norte", (await h.RowsAsync()).Single(r => r.CustomerId == "clinica-norte").CustomerName);
    }

    [Fact]
    public async Task Patch_with_the_cookie_needs_the_antiforgery_header_and_without_credentials_is_401()
    {
        await using var h = await WithCompaniesAsync();
        using var anonymous = h.Server.CreateClient();
        await ProblemAsync(await anonymous.PatchAsync("v1/customer-calendars/clinica-norte", MergePatch("""{"customer_name":"X"}"""), Ct), HttpStatusCode.Unauthorized);

        using var browser = h.Server.CreateClient();
        await BackendHarness.SignInAsync(browser);
        await ProblemAsync(await browser.PatchAsync("v1/customer-calendars/clinica-norte", MergePatch("""{"customer_name":"X"}"""), Ct), HttpStatusCode.BadRequest);
        var token = SignInTests.MetaToken(await (await browser.GetAsync("clientes", Ct)).Content.ReadAsStringAsync(Ct));
        using var request = new HttpRequestMessage(HttpMethod.Patch, "v1/customer-calendars/clinica-norte") { Content = MergePatch("""{"customer_name":"Con token"}""") };
        request.Headers.Add("X-CSRF-TOKEN", token);
        Assert.Equal("Con token", (await JsonAsync(await browser.SendAsync(request, Ct))).GetProperty("customer_name").GetString());
    }

    [Theory]
    [InlineData(Engines.Sqlite)]
    [InlineData(Engines.PostgreSql)]
    public async Task Connect_takes_an_optional_whatsapp_number_and_still_answers_the_six_spec_fields(string engine)
    {
        await using var h = await WithCompaniesAsync(engine);
        using var client = h.AdminClient();

        var connected = await JsonAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.Json(
            """{"customer_id":"nueva-sa","customer_email":"hola@nueva.com","customer_name":"Nueva S.A.","whatsapp_number":"+34 612 345 678"}"""), Ct));
        Assert.Equal(["authorization_url", "calendar_connected", "customer_email", "customer_id", "customer_name", "shareable_link"], PropertyNames(connected));
        var memory = h.Server.GetRequiredService<CustomerMemory>();
        var saved = (await memory.FindAsync("nueva-sa", Ct))!;
        Assert.NotNull(saved.WhatsAppNumber);
        Assert.Equal("+34612345678", saved.WhatsAppNumber);

        // Left out, null or "": the number is kept; connect never clears it (Reconectar sends only the three spec fields).
        await JsonAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody("nueva-sa", "hola@nueva.com", "Nueva S.A."), Ct));
        Assert.Equal(saved.WhatsAppNumber, (await memory.FindAsync("nueva-sa", Ct))!.WhatsAppNumber);
        foreach (var kept in new[] { "null", "\"\"" })
        {
            await JsonAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.Json(
                $$"""{"customer_id":"nueva-sa","customer_email":"hola@nueva.com","customer_name":"Nueva S.A.","whatsapp_number":{{kept}}}"""), Ct));
            Assert.Equal(saved.WhatsAppNumber, (await memory.FindAsync("nueva-sa", Ct))!.WhatsAppNumber);
        }

        // Another company's number: 409, and that company is not saved.
        var problem = await ProblemAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.Json(
            """{"customer_id":"copiona","customer_email":"a@copiona.com","customer_name":"Copiona","whatsapp_number":"+5491155550000"}"""), Ct), HttpStatusCode.Conflict);
        Assert.Contains("taller-ruiz", problem.GetProperty("detail").GetString());
        Assert.Null(await memory.FindAsync("copiona", Ct));

        // An invalid number: 400, nothing saved, the MCP server not asked.
        h.Mcp!.Requests.Clear();
        var invalid = await ProblemAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.Json(
            """{"customer_id":"otra","customer_email":"a@otra.com","customer_name":"Otra","whatsapp_number":"12"}"""), Ct), HttpStatusCode.BadRequest);
        Assert.Equal(["whatsapp_number"], PropertyNames(invalid.GetProperty("errors")));
        Assert.Null(await memory.FindAsync("otra", Ct));
        Assert.Empty(h.Mcp.Requests);
    }

    [Theory]
    [InlineData(Engines.Sqlite, "9 11 2345-6789")]
    [InlineData(Engines.PostgreSql, "5491155550000")]
    public async Task A_typed_whatsapp_number_without_plus_or_00_is_a_400_and_no_country_is_guessed(string engine, string typed)
    {
        await using var h = await WithCompaniesAsync(engine);
        using var client = h.AdminClient();
        using var english = h.AdminClient();
        english.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var memory = h.Server.GetRequiredService<CustomerMemory>();
        var before = await h.RowsAsync();
        var body = System.Text.Json.JsonSerializer.Serialize(new { customer_id = "nueva-sa", customer_email = "hola@nueva.com", customer_name = "Nueva S.A.", whatsapp_number = typed });

        h.Mcp!.Requests.Clear();
        var connect = await ProblemAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.Json(body), Ct), HttpStatusCode.BadRequest);
        Assert.Equal(["whatsapp_number"], PropertyNames(connect.GetProperty("errors")));
        Assert.StartsWith("Debe empezar con + (o 00) y el código de país", connect.GetProperty("errors").GetProperty("whatsapp_number")[0].GetString());
        Assert.Null(await memory.FindAsync("nueva-sa", Ct));
        Assert.Empty(h.Mcp.Requests);

        var patch = System.Text.Json.JsonSerializer.Serialize(new { whatsapp_number = typed });
        var patched = await ProblemAsync(await english.PatchAsync("v1/customer-calendars/clinica-norte", MergePatch(patch), Ct), HttpStatusCode.BadRequest);
        Assert.StartsWith("Must start with + (or 00) and the country code", patched.GetProperty("errors").GetProperty("whatsapp_number")[0].GetString());
        Assert.Equal(before.Select(r => (r.CustomerId, r.UpdatedAt)), (await h.RowsAsync()).Select(r => (r.CustomerId, r.UpdatedAt)));
        Assert.Null((await memory.FindAsync("clinica-norte", Ct))!.WhatsAppNumber);

        // With the prefix the same digits are a number.
        var fixedNumber = System.Text.Json.JsonSerializer.Serialize(new { whatsapp_number = "+54 9 11 2345-6789" });
        var saved = await JsonAsync(await client.PatchAsync("v1/customer-calendars/clinica-norte", MergePatch(fixedNumber), Ct));
        Assert.Equal("+5491123456789", saved.GetProperty("whatsapp_number").GetString());
    }

    [Fact]
    public async Task A_number_lost_to_a_race_answers_409_without_a_question_mark_and_connect_says_the_company_was_saved()
    {
        await using var h = await WithCompaniesAsync(Engines.Sqlite);
        // The race, made reproducible: the unique index refuses the number at the save (a trigger raises the same
        // SQLITE_CONSTRAINT), and by the time the holder is looked up nobody holds it any more.
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={h.DbLocation};Pooling=False"))
        {
            await db.OpenAsync(Ct);
            await using var command = db.CreateCommand();
            command.CommandText = """
                CREATE TRIGGER lost_race BEFORE UPDATE OF whatsapp_number ON customer_memory
                WHEN NEW.whatsapp_number = '+34612345678' BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed'); END;
                """;
            await command.ExecuteNonQueryAsync(Ct);
        }
        using var client = h.AdminClient();
        using var english = h.AdminClient();
        english.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var memory = h.Server.GetRequiredService<CustomerMemory>();

        var connect = await ProblemAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.Json(
            """{"customer_id":"nueva-sa","customer_email":"hola@nueva.com","customer_name":"Nueva S.A.","whatsapp_number":"+34 612 345 678"}"""), Ct), HttpStatusCode.Conflict);
        var detail = connect.GetProperty("detail").GetString()!;
        Assert.DoesNotContain("?", detail);
        Assert.Contains("ya es el WhatsApp de otra empresa", detail);
        Assert.Contains("El cliente se guardó sin ese número", detail);
        var saved = await memory.FindAsync("nueva-sa", Ct); // as the description says: saved, without the number
        Assert.NotNull(saved);
        Assert.Null(saved.WhatsAppNumber);

        var patch = await ProblemAsync(await english.PatchAsync("v1/customer-calendars/clinica-norte",
            MergePatch("""{"whatsapp_number":"+34 612 345 678"}"""), Ct), HttpStatusCode.Conflict);
        var patchDetail = patch.GetProperty("detail").GetString()!;
        Assert.DoesNotContain("?", patchDetail);
        Assert.StartsWith("The number +34612345678 is already the WhatsApp number of another company.", patchDetail);
        Assert.DoesNotContain("was saved", patchDetail);
        Assert.Null((await memory.FindAsync("clinica-norte", Ct))!.WhatsAppNumber);
    }

    // ---- ADMIN_API_KEY ----------------------------------------------------------------------------

    private static async Task<(BackendHarness Harness, CapturedLogs Logs)> WithApiKeysAsync(string? keys)
    {
        var logs = new CapturedLogs();
        var h = await BackendHarness.StartAsync(extraSettings: new Dictionary<string, string?>
        {
            ["ADMIN_API_KEY"] = keys, ["Logging:LogLevel:Default"] = "Debug",
        }, configure: services => services.AddSingleton<ILoggerProvider>(logs));
        return (h, logs);
    }

    [Fact]
    public async Task Every_key_of_ADMIN_API_KEY_works_as_a_bearer_without_antiforgery_and_wrong_keys_are_401()
    {
        var (h, logs) = await WithApiKeysAsync($" {ApiKey1} , {ApiKey2} ");
        await using var _ = h;
        foreach (var key in new[] { ApiKey1, ApiKey2 })
        {
            using var client = h.Server.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            await JsonAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody($"via-{key[..2]}"), Ct));
            await JsonAsync(await client.PatchAsync($"v1/customer-calendars/via-{key[..2]}", MergePatch("""{"customer_name":"Por script"}"""), Ct));
            await JsonAsync(await client.GetAsync("v1/customer-calendars", Ct));
            // The key is for the API only: the page still wants the admin's sign-in.
            Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("clientes", Ct)).StatusCode);
        }
        Assert.Equal(2, (await h.RowsAsync()).Count);

        foreach (var wrong in new[] { ApiKey1 + "x", ApiKey1[..^1], "", new string('k', 5000), ApiKey1.ToUpperInvariant() })
        {
            using var client = h.Server.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, "v1/customer-calendars");
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + wrong);
            var response = await client.SendAsync(request, Ct);
            await ProblemAsync(response, HttpStatusCode.Unauthorized);
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        }
        Assert.DoesNotContain(ApiKey1[3..], logs.All);
        Assert.DoesNotContain(ApiKey2[3..], logs.All);
    }

    [Fact]
    public async Task Beside_a_signed_in_cookie_the_authorization_header_decides_alone()
    {
        var (h, _) = await WithApiKeysAsync(ApiKey1);
        await using var _ = h;
        using var client = h.Server.CreateClient(); // keeps the session cookie
        await BackendHarness.SignInAsync(client);
        var csrf = SignInTests.MetaToken(await BodyAsync(await client.GetAsync("clientes", Ct)));
        // The cookie alone may not write without the antiforgery token …
        await ProblemAsync(await client.PostAsync("v1/customer-calendars/connect", BackendHarness.ConnectBody("solo-cookie"), Ct), HttpStatusCode.BadRequest);

        // … a good bearer key beside it authenticates as the key, which needs none.
        using (var request = new HttpRequestMessage(HttpMethod.Post, "v1/customer-calendars/connect") { Content = BackendHarness.ConnectBody("con-clave") })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey1);
            await JsonAsync(await client.SendAsync(request, Ct));
        }
        Assert.Equal(["con-clave"], (await h.RowsAsync()).Select(r => r.CustomerId));

        // A wrong bearer key (or wrong Basic) is refused even with the valid cookie and antiforgery token: no falling back.
        var wrongHeaders = new[]
        {
            new AuthenticationHeaderValue("Bearer", ApiKey2),
            BackendHarness.Basic(BackendHarness.AdminUser, "wrong password"),
        };
        foreach (var wrong in wrongHeaders)
        {
            using var write = new HttpRequestMessage(HttpMethod.Patch, "v1/customer-calendars/con-clave") { Content = MergePatch("""{"customer_name":"Cambiado"}""") };
            write.Headers.Authorization = wrong;
            write.Headers.Add("X-CSRF-TOKEN", csrf);
            await ProblemAsync(await client.SendAsync(write, Ct), HttpStatusCode.Unauthorized);
            using var read = new HttpRequestMessage(HttpMethod.Get, "v1/customer-calendars");
            read.Headers.Authorization = wrong;
            await ProblemAsync(await client.SendAsync(read, Ct), HttpStatusCode.Unauthorized);
        }
        Assert.Equal("Empresa ABC S.A.", Assert.Single(await h.RowsAsync()).CustomerName);

        // The cookie itself still works with its token.
        using var withToken = new HttpRequestMessage(HttpMethod.Patch, "v1/customer-calendars/con-clave") { Content = MergePatch("""{"customer_name":"Desde la página"}""") };
        withToken.Headers.Add("X-CSRF-TOKEN", csrf);
        await JsonAsync(await client.SendAsync(withToken, Ct));
    }

    [Fact]
    public async Task Without_ADMIN_API_KEY_a_bearer_is_refused_and_many_wrong_bearers_do_not_lock_out_the_admin()
    {
        var (h, _) = await WithApiKeysAsync(null);
        await using var __ = h;
        using var client = h.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey1);
        for (var i = 0; i < 8; i++)
            await ProblemAsync(await client.GetAsync("v1/customer-calendars", Ct), HttpStatusCode.Unauthorized);
        using var admin = h.AdminClient();
        await JsonAsync(await admin.GetAsync("v1/customer-calendars", Ct));
    }

    // ---- Languages --------------------------------------------------------------------------------

    [Fact]
    public async Task Content_language_and_vary_survive_the_error_handler_and_add_to_a_vary_already_set()
    {
        // Something before the language middleware says Vary: Origin (as CORS would).
        await using var h = await BackendHarness.StartAsync(configure: services =>
            services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, VaryOriginFirst>());
        using var english = h.AdminClient();
        english.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        var ok = await english.GetAsync("v1/customer-calendars", Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(["en"], ok.Content.Headers.ContentLanguage);
        Assert.Equal(["Accept-Language", "Origin"], ok.Headers.Vary.Order(StringComparer.Ordinal));

        // The table goes away: the exception handler clears the headers and writes a 500 problem, still in English,
        // still saying which language it is in.
        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={h.DbLocation};Pooling=False"))
        {
            await db.OpenAsync(Ct);
            await using var command = db.CreateCommand();
            command.CommandText = "ALTER TABLE customer_memory RENAME TO customer_memory_gone;";
            await command.ExecuteNonQueryAsync(Ct);
        }
        var failed = await english.GetAsync("v1/customer-calendars", Ct);
        var problem = await ProblemAsync(failed, HttpStatusCode.InternalServerError);
        Assert.Equal("Internal error", problem.GetProperty("title").GetString());
        Assert.Equal(["en"], failed.Content.Headers.ContentLanguage);
        Assert.Contains("Accept-Language", failed.Headers.Vary);
        Assert.Single(failed.Headers.Vary, v => v == "Accept-Language");
    }

    private sealed class VaryOriginFirst : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use(inner => context =>
            {
                context.Response.Headers.Vary = "Origin";
                return inner(context);
            });
            next(app);
        };
    }

    [Fact]
    public async Task Accept_language_en_gets_english_problems_and_spanish_stays_the_default()
    {
        var h = await companies.ForAsync();
        using var spanish = h.AdminClient();
        using var english = h.AdminClient();
        english.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        var es404 = await ProblemAsync(await spanish.GetAsync("v1/customer-calendars/no-existe", Ct), HttpStatusCode.NotFound);
        Assert.Equal("Cliente no encontrado", es404.GetProperty("title").GetString());
        var en404Response = await english.GetAsync("v1/customer-calendars/no-existe", Ct);
        Assert.Equal(["en"], en404Response.Content.Headers.ContentLanguage);
        Assert.Contains("Accept-Language", en404Response.Headers.Vary);
        var en404 = await ProblemAsync(en404Response, HttpStatusCode.NotFound);
        Assert.Equal("Customer not found", en404.GetProperty("title").GetString());
        Assert.Equal("There is no customer with customer_id \"no-existe\".", en404.GetProperty("detail").GetString());

        var en409 = await ProblemAsync(await english.PatchAsync("v1/customer-calendars/clinica-norte", MergePatch("""{"whatsapp_number":"+5491155550000"}"""), Ct), HttpStatusCode.Conflict);
        Assert.Equal("WhatsApp number in use", en409.GetProperty("title").GetString());
        Assert.Equal("This number already belongs to another customer.", en409.GetProperty("errors").GetProperty("whatsapp_number")[0].GetString());

        var en400 = await ProblemAsync(await english.PostAsync("v1/customer-calendars/connect", BackendHarness.Json("""{"customer_id":"-x"}"""), Ct), HttpStatusCode.BadRequest);
        Assert.Equal("Invalid data", en400.GetProperty("title").GetString());
        Assert.Equal("Is required.", en400.GetProperty("errors").GetProperty("customer_email")[0].GetString());
        Assert.StartsWith("Must have 1 to 64 characters", en400.GetProperty("errors").GetProperty("customer_id")[0].GetString());

        var enQuery = await ProblemAsync(await english.GetAsync("v1/customer-calendars?page=0", Ct), HttpStatusCode.BadRequest);
        Assert.Equal("Must be a whole number from 1.", enQuery.GetProperty("errors").GetProperty("page")[0].GetString());

        var enSettings = await ProblemAsync(await english.PutAsync("v1/customer-calendars/clinica-norte/booking-settings",
            BackendHarness.Json("""{"weekly_hours":{"mon":[["14:00","10:00"]]},"slot_minutes":1}"""), Ct), HttpStatusCode.BadRequest);
        Assert.StartsWith("The range 14:00–10:00 ends before it starts", enSettings.GetProperty("errors").GetProperty("weekly_hours.mon")[0].GetString());
        Assert.Equal("Must be a whole number from 5 to 1440.", enSettings.GetProperty("errors").GetProperty("slot_minutes")[0].GetString());

        // Quality values decide; a language the API does not speak falls back to Spanish.
        using var preferSpanish = h.AdminClient();
        preferSpanish.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", "en;q=0.5, es-AR;q=0.9");
        Assert.Equal("Cliente no encontrado", (await ProblemAsync(await preferSpanish.GetAsync("v1/customer-calendars/no-existe", Ct), HttpStatusCode.NotFound)).GetProperty("title").GetString());
        using var german = h.AdminClient();
        german.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", "de-DE, en-US;q=0.8");
        Assert.Equal("Customer not found", (await ProblemAsync(await german.GetAsync("v1/customer-calendars/no-existe", Ct), HttpStatusCode.NotFound)).GetProperty("title").GetString());
        using var garbage = h.AdminClient();
        garbage.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", ";;;,=q");
        Assert.Equal("Cliente no encontrado", (await ProblemAsync(await garbage.GetAsync("v1/customer-calendars/no-existe", Ct), HttpStatusCode.NotFound)).GetProperty("title").GetString());

        // 401 too.
        using var anonymous = h.Server.CreateClient();
        anonymous.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-GB");
        Assert.Equal("Not signed in", (await ProblemAsync(await anonymous.GetAsync("v1/customer-calendars", Ct), HttpStatusCode.Unauthorized)).GetProperty("title").GetString());
    }
}
